package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken config: one clear line per problem, exit code 2, no stack trace — for validate and for run. */
class BadConfigIT {
  @TempDir Path dir;

  private Path badConfig() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, """
        {
          "version": "0.21",
          "models": {
            "main": {
              "type": "openrouter",
              "model": "some/model",
              "capabilities": ["chat"],
              "api_key_env": "PARTYCLAW_IT_SURELY_UNSET_KEY",
              "timeout_seconds": "abc"
            }
          },
          "agent": { "agent_frame": { "available_models": ["main", "ghost"] } },
          "main_agent": {},
          "channels": [ { "kind": "command_line", "id": "cli" } ]
        }
        """);
    return file;
  }

  @Test
  void validateReportsEveryProblemOnItsOwnLine() throws Exception {
    Path config = badConfig();
    try (DaemonProcess p = DaemonProcess.start(dir, "validate", null, Map.of(), "validate", "--config", config.toString())) {
      assertEquals(2, p.waitForExit(Duration.ofSeconds(60)));
      List<String> lines = Arrays.stream(p.stderr().split("\n")).filter(l -> l.startsWith("  $")).toList();
      assertEquals(3, lines.size(), p.stderr());
      assertTrue(lines.stream().anyMatch(l -> l.contains("timeout_seconds")), p.stderr());
      assertTrue(lines.stream().anyMatch(l -> l.contains("ghost")), p.stderr());
      assertTrue(lines.stream().anyMatch(l -> l.contains("PARTYCLAW_IT_SURELY_UNSET_KEY")), p.stderr());
      assertFalse(p.stderr().contains("Exception"), p.stderr());
      assertFalse(p.stderr().contains("\tat "), p.stderr());
    }
  }

  @Test
  void runRefusesToStartWithTheSameReport() throws Exception {
    Path config = badConfig();
    try (DaemonProcess p = DaemonProcess.start(dir, "run", null, Map.of(),
        "run", "--config", config.toString(), "--workdir", dir.resolve("wd").toString())) {
      assertEquals(2, p.waitForExit(Duration.ofSeconds(60)));
      assertTrue(p.stderr().contains("ghost"), p.stderr());
      assertFalse(p.stderr().contains("\tat "), p.stderr());
    }
  }
}
