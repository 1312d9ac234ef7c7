package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Secrets must not appear in anything a daemon wrote: its stdout, its stderr and every file of its log directory
 * (server.log and rolled files, compressed or not). A file that is missing or cannot be read fails the check: a
 * check that cannot look must not pass.
 */
final class LogLeakCheck {
  private LogLeakCheck() {}

  static void assertNoSecret(DaemonProcess p, Path workdir, String... secrets) throws IOException {
    assertNoSecret(List.of(p.stdoutFile(), p.stderrFile()), workdir, secrets);
  }

  /** {@code outputs}: the captured stdout and stderr; {@code workdir}: the daemon's, whose logs/ is checked. */
  static void assertNoSecret(List<Path> outputs, Path workdir, String... secrets) throws IOException {
    Path logs = workdir.resolve("logs");
    assertTrue(Files.isDirectory(logs), "no log directory " + logs);
    assertTrue(Files.isRegularFile(logs.resolve("server.log")), "no server.log in " + logs);
    List<Path> files = new ArrayList<>(outputs);
    // the per-stream files (logs/{channels,sessions,agents,api}/*.jsonl) too
    try (Stream<Path> list = Files.walk(logs)) {
      list.filter(Files::isRegularFile).sorted().forEach(files::add);
    }
    for (Path f : files) {
      String text = read(f);
      for (String secret : secrets) assertFalse(text.contains(secret), "a secret is in " + f);
    }
  }

  /** The whole text of a log file, decompressed if rolled with gzip; fails when it cannot be read. */
  static String read(Path f) {
    try (InputStream raw = Files.newInputStream(f);
        InputStream in = f.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("log file " + f + " cannot be read: " + e, e);
    }
  }
}
