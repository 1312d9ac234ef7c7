package partyclaw.tools.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;

/**
 * The remote variants of file_read, file_write, edit, glob, grep and ls (tools.md §1.5): one ssh call that runs an
 * embedded Python 3 script on the host (python3, else python; exit 127 with a clear error when neither exists), in
 * the conversation's workpath for that host or the remote home. Object results gain {@code "remote": host}; the ls
 * text is prefixed {@code remote: <host>}.
 */
public final class RemoteFiles {
  /** A remote file tool call is immediate; a host that accepts the connection and then stalls is cut off here. */
  static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String SCRIPT = load();
  private static final String BOOTSTRAP = "import sys,json\n"
      + "data=sys.stdin.buffer.read().decode('utf-8')\n"
      + "line,_,src=data.partition('\\n')\n"
      + "g={'REQUEST':json.loads(line),'__name__':'remote_file_tool'}\n"
      + "exec(compile(src,'remote_file_tool','exec'),g)\n";
  private static final int NO_PYTHON = 127;
  /** ssh's own exit status when it could not connect or authenticate. */
  static final int SSH_FAILED = 255;

  private RemoteFiles() {}

  /** Runs {@code op} with {@code request} on {@code host}; the result as the local tool would return it. */
  public static JsonNode call(ToolContext ctx, String host, String op, ObjectNode request)
      throws ToolException, InterruptedException {
    request.put("op", op);
    String root = root(ctx, host);
    String command = "if command -v python3 >/dev/null 2>&1; then PY=python3; "
        + "elif command -v python >/dev/null 2>&1; then PY=python; "
        + "else echo 'remote file tools require Python 3 on this host (neither python3 nor python is on PATH)' >&2;"
        + " exit " + NO_PYTHON + "; fi; exec \"$PY\" -c " + ShellQuote.quote(BOOTSTRAP);
    byte[] stdin = (Json.write(request) + "\n" + SCRIPT).getBytes(StandardCharsets.UTF_8);
    Ssh.Result r = Ssh.run(ctx.processEnvironment(), host, root, command, stdin, Ssh.CONNECT_TIMEOUT_SECONDS, TIMEOUT);
    String tool = toolName(op);
    if (r.timedOut()) {
      throw new ToolException("remote " + tool + " tool on " + host + " did not finish within " + TIMEOUT.toSeconds()
          + " s");
    }
    if (r.exit() == NO_PYTHON) {
      throw new ToolException("remote file tools require Python 3 on this host (" + host
          + "): neither python3 nor python was found");
    }
    if (r.exit() != 0) {
      throw new ToolException("remote " + tool + " tool failed on " + host + " with " + r.exit() + ": "
          + stderrHint(r.stderr(), host));
    }
    JsonNode answer;
    try {
      answer = Json.parse(r.stdout());
    } catch (JsonProcessingException e) {
      throw new ToolException("remote " + tool + " on " + host + " failed: the host answered something that is not"
          + " the tool's JSON");
    }
    if (!answer.path("ok").asBoolean(false)) {
      throw new ToolException("remote " + tool + " on " + host + " failed: " + answer.path("error").asText("unknown"));
    }
    JsonNode result = answer.path("result");
    if (result.isTextual()) return TextNode.valueOf("remote: " + host + "\n" + result.asText());
    if (result.isObject()) ((ObjectNode) result).put("remote", host);
    return result;
  }

  /**
   * A shell command on {@code host} in its root with {@code stdin} (apply_patch's {@code git apply}): its exit status
   * and output are the result, not an error; only ssh failing (255) or a timeout is.
   */
  public static ObjectNode command(ToolContext ctx, String host, String tool, String command, String stdin)
      throws ToolException, InterruptedException {
    Ssh.Result r = Ssh.run(ctx.processEnvironment(), host, root(ctx, host), command,
        stdin.getBytes(StandardCharsets.UTF_8), Ssh.CONNECT_TIMEOUT_SECONDS, TIMEOUT);
    if (r.timedOut()) {
      throw new ToolException("remote " + tool + " tool on " + host + " did not finish within " + TIMEOUT.toSeconds()
          + " s");
    }
    if (r.exit() == SSH_FAILED) {
      throw new ToolException("remote " + tool + " tool failed on " + host + " with " + r.exit() + ": "
          + stderrHint(r.stderr(), host));
    }
    ObjectNode out = Json.object();
    out.put("applied", r.exit() == 0);
    out.put("returncode", r.exit());
    out.put("stdout", r.stdout());
    out.put("stderr", r.stderr());
    out.put("remote", host);
    return out;
  }

  /** The directory relative remote paths resolve in: the conversation's workpath for the host, else the home. */
  public static String root(ToolContext ctx, String host) throws ToolException {
    return WorkpathStore.of(ctx.workdir(), ctx.conversationId()).find(host).map(Workpath::path).orElse("~");
  }

  private static String toolName(String op) {
    return switch (op) {
      case "read" -> "file_read";
      case "write" -> "file_write";
      default -> op;
    };
  }

  /** ssh's own message, with what to do for the usual refusals. */
  static String stderrHint(String stderr, String host) {
    String s = stderr.strip();
    if (s.isEmpty()) return "(no error output)";
    if (s.contains("Permission denied")) {
      s += " (the host refused the key: partyclaw connects with ssh -o BatchMode=yes, so the host must accept a key"
          + " from the daemon user's ~/.ssh or ssh config; passwords cannot be typed)";
    } else if (s.contains("Host key verification failed")) {
      s += " (the host's key is not in known_hosts: connect once by hand, or configure StrictHostKeyChecking for "
          + host + ")";
    } else if (s.contains("Could not resolve hostname")) {
      s += " (" + host + " is neither a Host alias of the ssh config nor a resolvable name)";
    }
    return s;
  }

  private static String load() {
    try (InputStream in = RemoteFiles.class.getResourceAsStream("remote_file_tool.py")) {
      if (in == null) throw new IllegalStateException("remote_file_tool.py is missing from the build");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
