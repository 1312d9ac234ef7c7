package partyclaw.core.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretNamesTest {
  private static final String JSON = """
      {"version": "0.21",
       "models": {"m": {"type": "openrouter", "model": "x", "api_key_env": "CUSTOM_MODEL_KEY", "capabilities": ["chat"]},
                  "n": {"type": "openrouter", "model": "y", "api_key": "${INTERPOLATED_KEY}", "capabilities": ["chat"],
                        "headers": {"Authorization": "Bearer ${HEADER_TOKEN}"}}},
       "main_agent": {},
       "channels": [
         {"kind": "telegram", "id": "t", "bot_token_env": "MY_TG"},
         {"kind": "dingtalk", "id": "d", "client_id_env": "DT_ID", "client_secret_env": "DT_SECRET"},
         {"kind": "dingtalk_robot", "id": "r", "webhook_url_env": "HOOK", "app_key_env": "RB_KEY"},
         {"kind": "web", "id": "w", "auth_token_env": "WEB_TOKEN"},
         {"kind": "command_line", "id": "cli"}
       ]}
      """;
  private static final Map<String, String> ENV = Map.of(
      "CUSTOM_MODEL_KEY", "k1", "INTERPOLATED_KEY", "interpolated-secret", "HEADER_TOKEN", "header-secret-123",
      "MY_TG", "1:x", "DT_ID", "id", "DT_SECRET", "s", "HOOK", "https://h", "HOME", "/home/someone",
      "SHORT", "x");

  @Test
  void namesEveryEnvFieldAndTheWellKnownDefaults() {
    Set<String> names = SecretNames.of(ConfigFixtures.parse(JSON, ENV));
    for (String n : List.of("CUSTOM_MODEL_KEY", "OPENAI_API_KEY", "MY_TG", "DT_ID", "DT_SECRET", "HOOK", "RB_KEY",
        "DINGTALK_ROBOT_APP_SECRET", "WEB_TOKEN", "OPENROUTER_API_KEY", "TELEGRAM_BOT_TOKEN", "CLAWPARTY_WEB_AUTH_TOKEN")) {
      assertTrue(names.contains(n), n);
    }
    assertFalse(names.contains("HOME"));
    assertFalse(names.contains("INTERPOLATED_KEY"));
  }

  @Test
  void withTheEnvironmentAlsoNamesVariablesInterpolatedIntoSecrets() {
    Set<String> names = SecretNames.of(ConfigFixtures.parse(JSON, ENV), Environment.of(ENV));
    assertTrue(names.contains("INTERPOLATED_KEY"));
    assertTrue(names.contains("HEADER_TOKEN"));
    assertTrue(names.contains("CUSTOM_MODEL_KEY"));
    assertFalse(names.contains("HOME"));
    assertFalse(names.contains("SHORT"));
  }

  @Test
  void legacyWebSearchKeysAreSecretsToo() {
    PartyclawConfig cfg = ConfigFixtures.parse("""
        {"version": "0.3",
         "models": {"chat": {"m": {"type": "openrouter", "model": "x", "web_search": "s"}},
                    "web_search": {"s": {"api_key_env": "SEARCH_KEY"}}},
         "main_agent": {}, "channels": [{"kind": "command_line", "id": "cli"}]}
        """, Map.of());
    assertTrue(SecretNames.of(cfg).contains("SEARCH_KEY"));
  }
}
