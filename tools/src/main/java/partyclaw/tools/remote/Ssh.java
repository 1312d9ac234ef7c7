package partyclaw.tools.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import partyclaw.core.tool.ToolException;

/**
 * The one way partyclaw reaches a remote host (tools.md §1.5): the system {@code ssh} (or {@code AGENT_HOST_SSH_BIN} /
 * {@code AGENT_FRAME_SSH_BIN}) in batch mode, so a host that wants a password or an unknown host key fails at once
 * instead of hanging on a prompt nobody sees. The remote side runs {@code sh -c '<cd into root> && <command>'}.
 */
public final class Ssh {
  public static final int CONNECT_TIMEOUT_SECONDS = 10;
  /** Output kept per stream: a remote tool's answer is small; anything past this is a runaway. */
  static final int MAX_OUTPUT_BYTES = 16 << 20;

  /** What came back: the exit status of ssh (255: ssh itself failed), stdout and stderr. */
  public record Result(int exit, String stdout, String stderr, boolean timedOut) {}

  private Ssh() {}

  /** The ssh binary: {@code AGENT_HOST_SSH_BIN}, else {@code AGENT_FRAME_SSH_BIN}, else {@code ssh} on PATH. */
  public static String binary(Map<String, String> env) {
    for (String key : List.of("AGENT_HOST_SSH_BIN", "AGENT_FRAME_SSH_BIN")) {
      String v = env.get(key);
      if (v == null) v = System.getenv(key);
      if (v != null && !v.isBlank()) return v.trim();
    }
    return "ssh";
  }

  /** The argv of {@code ssh -o BatchMode=yes -o ConnectTimeout=N -T host "sh -c '<cd root> && <command>'"}. */
  public static List<String> argv(Map<String, String> env, String host, int connectTimeoutSeconds, String root,
      String command) {
    List<String> argv = new ArrayList<>(List.of(binary(env), "-o", "BatchMode=yes", "-o",
        "ConnectTimeout=" + connectTimeoutSeconds, "-T", host));
    argv.add("sh -c " + ShellQuote.quote(ShellQuote.cdInto(root) + " && " + command));
    return argv;
  }

  /**
   * The ssh invocation of an exec_start with {@code remote} as one shell command line for the local exec machinery:
   * {@code -T}, or {@code -tt} for a terminal (tools.md §1.5).
   */
  public static String commandLine(Map<String, String> env, String host, String root, String command, boolean tty) {
    List<String> argv = argv(env, host, CONNECT_TIMEOUT_SECONDS, root, command);
    if (tty) argv.set(argv.indexOf("-T"), "-tt");
    StringBuilder sb = new StringBuilder();
    for (String a : argv) sb.append(sb.length() == 0 ? "" : " ").append(ShellQuote.quote(a));
    return sb.toString();
  }

  /** {@code s} as one single-quoted shell word. */
  public static String quote(String s) {
    return ShellQuote.quote(s);
  }

  /** Runs {@code command} on {@code host} in {@code root} with {@code stdin}; waits up to {@code timeout}. */
  public static Result run(Map<String, String> env, String host, String root, String command, byte[] stdin,
      int connectTimeoutSeconds, Duration timeout) throws ToolException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv(env, host, connectTimeoutSeconds, root, command));
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new ToolException("cannot run ssh (" + binary(env) + "): " + e.getMessage()
          + "; install the OpenSSH client or set AGENT_HOST_SSH_BIN");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread o = pump(p.getInputStream(), out);
    Thread e = pump(p.getErrorStream(), err);
    Thread in = new Thread(() -> {
      try (OutputStream os = p.getOutputStream()) {
        if (stdin != null) os.write(stdin);
      } catch (IOException ignored) {
        // the remote side stopped reading; its exit status says why
      }
    }, "ssh-stdin");
    in.setDaemon(true);
    in.start();
    boolean done;
    try {
      done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException ie) {
      p.destroyForcibly();
      throw ie;
    }
    if (!done) {
      p.destroyForcibly();
      p.waitFor(2, TimeUnit.SECONDS);
    }
    o.join(2000);
    e.join(2000);
    return new Result(done ? p.exitValue() : -1, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8), !done);
  }

  private static Thread pump(InputStream in, ByteArrayOutputStream to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          synchronized (to) {
            if (to.size() + n <= MAX_OUTPUT_BYTES) to.write(buf, 0, n);
          }
        }
      } catch (IOException ignored) {
        // process gone
      }
    }, "ssh-output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
