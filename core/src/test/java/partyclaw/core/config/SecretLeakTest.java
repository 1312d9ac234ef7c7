package partyclaw.core.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Problem messages are printed and logged: no secret value may ever appear in one. */
class SecretLeakTest {
  private static final List<String> SECRETS = List.of(
      "sk-or-v1-LEAKED0001", "LEAKEDTOKEN0002", "777:LEAKED0003", "sk-LEAKED0004", "LEAKED0005hook",
      "sk-LEAKED0006", "LEAKED0007");

  @Test
  void noSecretValueAppearsInAnyProblemOrInTheExceptionMessage() {
    String json = """
        {"version": "0.21",
         "models": {
           "pasted": {"type": "openrouter", "model": "x", "capabilities": ["chat"], "api_key_env": "sk-or-v1-LEAKED0001"},
           "typed": {"type": "openrouter", "model": "y", "capabilities": ["chat"], "api_key": 12345,
                     "headers": {"Authorization": 777, "X-Key": ["LEAKEDTOKEN0002"]}},
           "interp": {"type": "openrouter", "model": "z", "api_key": "${REAL_KEY}", "capabilities": ["chat", 1],
                      "timeout_seconds": "${REAL_KEY}", "context_window_tokens": "${OTHER_SECRET}"}
         },
         "main_agent": {},
         "channels": [
           {"kind": "telegram", "id": "t", "bot_token_env": "777:LEAKED0003"},
           {"kind": "dingtalk", "id": "d", "client_secret": ["x"], "client_id_env": "DT"},
           {"kind": "dingtalk_robot", "id": "r", "webhook_url": {"u": "LEAKED0005hook"}},
           {"kind": "web", "id": "w", "auth_token": 42}
         ]}
        """;
    Map<String, String> env = Map.of("REAL_KEY", "sk-LEAKED0004", "OTHER_SECRET", "sk-LEAKED0006", "DT", "LEAKED0007");
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> ConfigFixtures.parse(json, env));
    assertTrue(e.problems().size() >= 8, e.getMessage());
    for (ConfigProblem p : e.problems()) {
      for (String secret : SECRETS) assertFalse(p.toString().contains(secret), p + " leaks " + secret);
    }
    for (String secret : SECRETS) assertFalse(e.getMessage().contains(secret), "exception message leaks " + secret);
    assertFalse(e.getMessage().contains("12345"));
  }

  @Test
  void jsonSyntaxErrorsDoNotEchoAnUnquotedSecret() {
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> ConfigFixtures.parse("{\"version\": \"0.21\", \"models\": {\"m\": {\"api_key\": sk_LEAKED0008}}}", Map.of()));
    assertFalse(e.getMessage().contains("LEAKED0008"), e.getMessage());
    assertTrue(e.problems().get(0).message().startsWith("invalid JSON at line 1"));
  }

  @Test
  void modelAndChannelToStringShowNoSecrets() {
    PartyclawConfig cfg = ConfigFixtures.parse("""
        {"version": "0.21",
         "models": {"m": {"type": "openrouter", "model": "x", "api_key": "sk-LEAKED0009", "capabilities": ["chat"]}},
         "main_agent": {},
         "channels": [{"kind": "telegram", "id": "t", "bot_token": "1:LEAKED0010"},
                      {"kind": "web", "id": "w", "auth_token": "LEAKED0011"},
                      {"kind": "dingtalk_robot", "id": "r", "webhook_url": "https://x?access_token=LEAKED0012"}]}
        """, Map.of());
    String all = cfg.toString();
    for (String s : List.of("LEAKED0009", "LEAKED0010", "LEAKED0011", "LEAKED0012")) {
      assertFalse(all.contains(s), "config toString leaks " + s);
    }
  }
}
