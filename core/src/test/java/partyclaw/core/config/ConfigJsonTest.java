package partyclaw.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import partyclaw.core.json.Json;

/** The canonical model can travel as JSON (e.g. in a persisted event) and comes back equal. */
class ConfigJsonTest {

  @Test
  void loadedConfigRoundTripsThroughTheSharedMapper() throws Exception {
    Map<String, String> env = Map.of("OPENROUTER_API_KEY", "k", "TELEGRAM_BOT_TOKEN", "1:x");
    PartyclawConfig cfg = ConfigFixtures.parse("""
        {"version": "0.21",
         "models": {"m": {"type": "openrouter", "model": "x", "capabilities": ["chat", "image_in"],
                          "reasoning": {"effort": "low"}, "retry_mode": {"mode": "random", "max_retries": 2,
                          "retry_random_mean": 1.0}, "native_web_search": {"enabled": true}}},
         "tooling": {"image": "m"},
         "main_agent": {"model": "m", "timeout_seconds": 10},
         "channels": [{"kind": "telegram", "id": "t", "allowed_chat_ids": [1]},
                      {"kind": "dingtalk_robot", "id": "r", "webhook_url": "https://h"},
                      {"kind": "web", "id": "w"},
                      {"kind": "command_line", "id": "cli"}]}
        """, env);

    String json = Json.write(cfg);
    assertTrue(json.contains("\"kind\":\"telegram\""), json);
    PartyclawConfig back = Json.MAPPER.readValue(json, PartyclawConfig.class);
    assertEquals(cfg, back);
  }
}
