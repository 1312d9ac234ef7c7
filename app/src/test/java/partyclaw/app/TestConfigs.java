package partyclaw.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Config files for end-to-end tests: one model on the fake server, the CLI channel. */
final class TestConfigs {
  private TestConfigs() {}

  static Path cli(Path dir, String baseUrl) throws IOException {
    return cli(dir, baseUrl, "");
  }

  /** The CLI config with the management endpoint on {@code listenAddr}. */
  static Path cliWithManagement(Path dir, String baseUrl, String listenAddr) throws IOException {
    return cli(dir, baseUrl, ",\n  \"management\": { \"listen_addr\": \"" + listenAddr + "\" }");
  }

  private static Path cli(Path dir, String baseUrl, String extra) throws IOException {
    String json = """
        {
          "version": "0.21",
          "models": {
            "main": {
              "type": "openrouter",
              "api_endpoint": "%s",
              "model": "fake-model",
              "capabilities": ["chat"],
              "timeout_seconds": 30
            }
          },
          "main_agent": { "language": "en", "debounce_ms": 200 },
          "channels": [ { "kind": "command_line", "id": "cli" } ]%s
        }
        """.formatted(baseUrl, extra);
    Path file = dir.resolve("config.json");
    Files.writeString(file, json);
    return file;
  }
}
