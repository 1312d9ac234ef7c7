package partyclaw.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real {@code scripts/partyclaw} process, as a user starts it, with stdout/stderr captured to files. */
final class DaemonProcess implements AutoCloseable {
  static final Path REPO = Path.of(System.getProperty("partyclaw.repo.root", "..")).toAbsolutePath().normalize();

  private final Process process;
  private OutputStream stdin;
  private final Path stdout;
  private final Path stderr;

  private DaemonProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts {@code partyclaw <args>}; {@code stdin} is written then closed (null = closed at once). */
  static DaemonProcess start(Path logDir, String name, String stdin, Map<String, String> env, String... args)
      throws IOException {
    DaemonProcess p = startInteractive(logDir, name, env, args);
    if (stdin != null) p.stdin.write(stdin.getBytes(StandardCharsets.UTF_8));
    p.closeStdin();
    return p;
  }

  /** Starts {@code partyclaw <args>} with stdin kept open for {@link #send} until {@link #closeStdin}. */
  static DaemonProcess startInteractive(Path logDir, String name, Map<String, String> env, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("bash");
    cmd.add(REPO.resolve("scripts/partyclaw").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Files.createDirectories(logDir);
    Path out = logDir.resolve(name + ".stdout");
    Path err = logDir.resolve(name + ".stderr");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    pb.environment().putAll(env);
    pb.environment().put("PARTYCLAW_LOG_LEVEL", "INFO");
    // The jar under test is the one `mvn verify` just packaged; never rebuild it from inside a test.
    pb.environment().put("PARTYCLAW_NO_REBUILD", "1");
    DaemonProcess p = new DaemonProcess(pb.start(), out, err);
    p.stdin = p.process.getOutputStream();
    return p;
  }

  void send(String line) throws IOException {
    stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  void closeStdin() throws IOException {
    stdin.close();
  }

  int waitForExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("partyclaw did not exit within " + timeout + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
    }
    return process.exitValue();
  }

  /** SIGKILL: no shutdown hook, no flush — a crash. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM: the JVM's shutdown hooks run (coordinated shutdown), as under systemd's stop. */
  void terminate() throws InterruptedException {
    process.destroy();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  String stdout() {
    return read(stdout);
  }

  /** Where stdout is captured, for checks that must fail when it cannot be read. */
  Path stdoutFile() {
    return stdout;
  }

  Path stderrFile() {
    return stderr;
  }

  String stderr() {
    return read(stderr);
  }

  /** A test that cannot read what the daemon printed must fail, not compare against a placeholder. */
  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + p, e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) kill9();
  }
}
