package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import partyclaw.core.config.ConfigLoader;
import partyclaw.core.config.Environment;
import partyclaw.core.config.PartyclawConfig;

/** The environment of tool processes: every secret the config knows of and credential-looking names removed. */
class ToolEnvironmentTest {
  private static final String RUN = "0f6e3c2a-run";

  private static final Map<String, String> DAEMON_ENV = Map.ofEntries(
      // named by the config's *_env fields (names that do not look like credentials by themselves)
      Map.entry("MODEL_ACCESS", "model-key-value-1"),
      Map.entry("HELPER_ACCESS", "helper-key-value-2"),
      Map.entry("BOT_ACCESS", "123456:bot-token-value"),
      // interpolated into a literal api_key: recognised by its value
      Map.entry("INTERPOLATED", "interpolated-secret-value"),
      // the reference's defaults, named by no field of this config
      Map.entry("OPENAI_API_KEY", "sk-default"),
      Map.entry("TELEGRAM_BOT_TOKEN", "999:default"),
      // credential-looking names
      Map.entry("GITHUB_TOKEN", "ghp_x"),
      Map.entry("AWS_SECRET_ACCESS_KEY", "aws"),
      Map.entry("db_password", "pw"),
      Map.entry("MY_APIKEY", "k"),
      Map.entry("SSH_PRIVATE_KEY", "----"),
      Map.entry("GOOGLE_APPLICATION_CREDENTIALS", "/creds.json"),
      // ordinary ones
      Map.entry("PATH", "/usr/bin:/bin"),
      Map.entry("HOME", "/home/claw"),
      Map.entry("LANG", "C.UTF-8"),
      Map.entry("EDITOR", "vi"),
      Map.entry("SHORT", "1"),
      // inherited from a tool process of another daemon: replaced by this run's
      Map.entry("PARTYCLAW_RUN", "an-earlier-run"));

  private static PartyclawConfig config(Environment env) {
    String json = """
        {
          "version": "0.21",
          "models": {
            "main": {
              "type": "openrouter",
              "api_endpoint": "http://127.0.0.1:9/v1",
              "model": "m",
              "api_key_env": "MODEL_ACCESS",
              "capabilities": ["chat"]
            },
            "helper": {
              "type": "openrouter",
              "api_endpoint": "http://127.0.0.1:9/v1",
              "model": "h",
              "api_key_env": "HELPER_ACCESS",
              "capabilities": ["chat"]
            },
            "other": {
              "type": "openrouter",
              "api_endpoint": "http://127.0.0.1:9/v1",
              "model": "o",
              "api_key": "${INTERPOLATED}",
              "capabilities": ["chat"]
            }
          },
          "main_agent": { "language": "en" },
          "channels": [ { "kind": "telegram", "id": "tg", "bot_token_env": "BOT_ACCESS" } ]
        }
        """;
    return ConfigLoader.parse(json, Path.of("."), env, "test config");
  }

  @Test
  void secretsAndCredentialNamesAreRemovedOrdinaryVariablesKeptAndTheRunMarked() {
    Environment env = Environment.of(DAEMON_ENV);
    Map<String, String> tool = ToolEnvironment.of(DAEMON_ENV, config(env), env, RUN);

    Map<String, String> expected = new TreeMap<>(Map.of(
        "PATH", "/usr/bin:/bin",
        "HOME", "/home/claw",
        "LANG", "C.UTF-8",
        "EDITOR", "vi",
        "SHORT", "1",
        "PARTYCLAW_RUN", RUN));
    assertEquals(expected, new TreeMap<>(tool));
  }
}
