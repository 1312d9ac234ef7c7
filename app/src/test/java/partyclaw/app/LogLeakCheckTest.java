package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leak check itself: it must see every log and fail when it cannot look. */
class LogLeakCheckTest {
  static final String SECRET = "sk-the-secret-value";
  @TempDir Path dir;
  Path wd;
  List<Path> outputs;

  @BeforeEach
  void daemonOutput() throws Exception {
    wd = dir.resolve("wd");
    Files.createDirectories(wd.resolve("logs"));
    Files.writeString(wd.resolve("logs/server.log"), "INFO started\n");
    outputs = List.of(Files.writeString(dir.resolve("d.stdout"), "hello\n"), Files.writeString(dir.resolve("d.stderr"), ""));
  }

  private static void gzip(Path file, String text) throws Exception {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void cleanLogsPass() throws Exception {
    gzip(wd.resolve("logs/server.2026-01-01.0.log.gz"), "INFO old\n");
    LogLeakCheck.assertNoSecret(outputs, wd, SECRET);
  }

  @Test
  void aSecretInARolledCompressedLogIsFound() throws Exception {
    gzip(wd.resolve("logs/server.2026-01-01.0.log.gz"), "WARN key " + SECRET + "\n");
    AssertionError e = assertThrows(AssertionError.class, () -> LogLeakCheck.assertNoSecret(outputs, wd, SECRET));
    assertTrue(e.getMessage().contains("server.2026-01-01.0.log.gz"), e.getMessage());
  }

  @Test
  void aSecretInStderrIsFound() throws Exception {
    Files.writeString(outputs.get(1), "ERROR " + SECRET);
    assertThrows(AssertionError.class, () -> LogLeakCheck.assertNoSecret(outputs, wd, SECRET));
  }

  @Test
  void aMissingOrUnreadableLogFailsTheCheck() throws Exception {
    Files.delete(wd.resolve("logs/server.log"));
    assertThrows(AssertionError.class, () -> LogLeakCheck.assertNoSecret(outputs, wd, SECRET));
    Files.writeString(wd.resolve("logs/server.log"), "INFO started\n");
    Files.writeString(wd.resolve("logs/server.2026-01-01.0.log.gz"), "not gzip at all");
    assertThrows(AssertionError.class, () -> LogLeakCheck.assertNoSecret(outputs, wd, SECRET));
    Files.delete(wd.resolve("logs/server.2026-01-01.0.log.gz"));
    assertThrows(AssertionError.class,
        () -> LogLeakCheck.assertNoSecret(List.of(dir.resolve("gone.stdout")), wd, SECRET));
  }
}
