package partyclaw.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Config files for end-to-end tests: one model on the fake server, the CLI channel. */
final class TestConfigs {
  private TestConfigs() {}

  static Path cli(Path dir, String baseUrl) throws IOException {
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
          "channels": [ { "kind": "command_line", "id": "cli" } ]
        }
        """.formatted(baseUrl);
    Path file = dir.resolve("config.json");
    Files.writeString(file, json);
    return file;
  }
}
