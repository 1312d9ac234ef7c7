package partyclaw.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configs users will actually have: the README quick start, the spec's minimal configs, the shipped examples. */
class ConfigExamplesTest {
  private static final Map<String, String> TELEGRAM_ENV =
      Map.of("OPENROUTER_API_KEY", "sk-or-test", "TELEGRAM_BOT_TOKEN", "123:abc");

  @Test
  void readmeQuickStartVersion014Loads() {
    PartyclawConfig cfg = ConfigFixtures.parse(ConfigFixtures.resource("readme-0.14.json"), TELEGRAM_ENV);

    assertEquals("0.14", cfg.sourceVersion());
    ModelConfig main = cfg.models().get("main");
    assertEquals("openrouter", main.type());
    assertEquals("anthropic/claude-sonnet-4", main.model());
    assertEquals("https://openrouter.ai/api/v1/chat/completions", main.url());
    assertEquals(List.of("chat", "image_in"), main.capabilities());
    assertTrue(main.supportsVisionInput());
    assertEquals(200_000L, main.contextWindowTokens());
    assertEquals("OPENROUTER_API_KEY", main.apiKeyEnv());
    assertTrue(main.apiKeyEnvExplicit());
    assertEquals(List.of("main"), cfg.availableModels());
    assertEquals("main", cfg.defaultModel().orElseThrow().alias());
    assertEquals("zh-CN", cfg.mainAgent().language());
    TelegramChannelConfig tg = assertInstanceOf(TelegramChannelConfig.class, cfg.channels().get(0));
    assertEquals("telegram-main", tg.id());
    assertEquals("https://api.telegram.org", tg.apiBaseUrl());
    assertEquals("123:abc", tg.resolveBotToken(Environment.of(TELEGRAM_ENV)).orElseThrow());
  }

  @Test
  void minimalTelegramConfigLoads() {
    PartyclawConfig cfg = ConfigFixtures.parse(ConfigFixtures.resource("minimal-telegram-0.21.json"), TELEGRAM_ENV);
    assertEquals("0.21", cfg.sourceVersion());
    assertEquals(List.of("main"), cfg.availableModels());
    assertEquals("telegram", cfg.channels().get(0).kind());
  }

  @Test
  void minimalDingtalkConfigLoadsAndFillsAvailableModels() {
    Map<String, String> env = Map.of("OPENROUTER_API_KEY", "k", "DINGTALK_CLIENT_ID", "id", "DINGTALK_CLIENT_SECRET", "s",
        "DINGTALK_ROBOT_WEBHOOK_URL", "https://oapi.dingtalk.com/robot/send?access_token=t");
    PartyclawConfig cfg = ConfigFixtures.parse(ConfigFixtures.resource("minimal-dingtalk-0.21.json"), env);

    assertEquals(List.of("main"), cfg.availableModels());
    assertEquals("https://openrouter.ai/api/v1", cfg.models().get("main").apiEndpoint());
    DingtalkChannelConfig stream = assertInstanceOf(DingtalkChannelConfig.class, cfg.channels().get(0));
    assertEquals("https://api.dingtalk.com", stream.apiBaseUrl());
    DingtalkRobotChannelConfig robot = assertInstanceOf(DingtalkRobotChannelConfig.class, cfg.channels().get(1));
    assertEquals("/dingtalk/robot", robot.httpCallbackPath());
    assertEquals("127.0.0.1:35888", robot.httpListenAddr());
    // app key/secret are optional: without them the robot is send-only.
    assertTrue(robot.resolveAppSecret(Environment.of(env)).isEmpty());
  }

  @Test
  void shippedCliExampleLoadsWithoutAnyKeyAndTakesEndpointAndModelFromEnv() {
    var file = ConfigFixtures.repoRoot().resolve("conf/cli.json");

    PartyclawConfig plain = ConfigLoader.load(file, Environment.of(Map.of()));
    ModelConfig main = plain.models().get("main");
    assertEquals("https://openrouter.ai/api/v1/chat/completions", main.url());
    assertEquals("openai/gpt-4o-mini", main.model());
    assertFalse(main.apiKeyEnvExplicit());
    assertTrue(main.resolveApiKey(Environment.of(Map.of())).isEmpty());
    assertEquals("en", plain.mainAgent().language());
    CommandLineChannelConfig cli = assertInstanceOf(CommandLineChannelConfig.class, plain.channels().get(0));
    assertEquals("cli", cli.id());
    assertEquals("you> ", cli.prompt());

    PartyclawConfig local = ConfigLoader.load(file, Environment.of(Map.of(
        "PARTYCLAW_API_BASE", "http://127.0.0.1:11434/v1/", "PARTYCLAW_MODEL", "qwen2.5:7b", "OPENAI_API_KEY", "k")));
    assertEquals("http://127.0.0.1:11434/v1/chat/completions", local.models().get("main").url());
    assertEquals("qwen2.5:7b", local.models().get("main").model());
    assertEquals("k", local.models().get("main").resolveApiKey(Environment.of(Map.of("OPENAI_API_KEY", "k"))).orElseThrow());
  }

  @Test
  void shippedTelegramExampleNeedsItsKeyAndToken() {
    var file = ConfigFixtures.repoRoot().resolve("conf/telegram.json");

    PartyclawConfig cfg = ConfigLoader.load(file, Environment.of(TELEGRAM_ENV));
    TelegramChannelConfig tg = assertInstanceOf(TelegramChannelConfig.class, cfg.channels().get(0));
    assertEquals("telegram-main", tg.id());
    assertEquals("TELEGRAM_BOT_TOKEN", tg.botTokenEnv());
    assertTrue(tg.chatAllowed(42));

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Environment.of(Map.of())));
    assertEquals(List.of("$.models.main.api_key_env", "$.channels[0].bot_token_env"), ConfigFixtures.paths(e.problems()));
  }

  @Test
  void readmeTokenIsNotNeededForMigrationButSecretsStayUnset() {
    // The README config with no environment: exactly the two secrets it names are reported.
    List<ConfigProblem> problems = ConfigFixtures.problems(ConfigFixtures.resource("readme-0.14.json"), Map.of());
    assertEquals(2, problems.size());
    assertEquals("environment variable OPENROUTER_API_KEY is not set", problems.get(0).message());
    assertEquals("telegram channel telegram-main requires bot_token or env TELEGRAM_BOT_TOKEN", problems.get(1).message());
    assertNull(problems.stream().filter(p -> p.hint() == null || p.hint().isBlank()).findFirst().orElse(null));
  }
}
