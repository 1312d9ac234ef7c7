package partyclaw.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every default of the latest schema is applied, so the runtime never has to guess. */
class ConfigDefaultsTest {

  @Test
  void modelDefaultsDependOnTheType() {
    String json = """
        {"version": "0.21",
         "models": {
           "a": {"type": "openrouter", "model": "x", "capabilities": ["chat"]},
           "b": {"type": "openrouter-resp", "model": "y", "capabilities": ["image_in", "chat", "chat"]},
           "c": {"type": "codex-subscription", "model": "z", "codex_home": "~/.codex"}
         },
         "main_agent": {}, "channels": [{"kind": "command_line", "id": "cli"}]}
        """;
    PartyclawConfig cfg = ConfigFixtures.parse(json, Map.of("HOME", "/home/u"));
    ModelConfig a = cfg.models().get("a");
    assertEquals("https://openrouter.ai/api/v1", a.apiEndpoint());
    assertEquals("/chat/completions", a.chatCompletionsPath());
    assertEquals("OPENAI_API_KEY", a.apiKeyEnv());
    assertFalse(a.apiKeyEnvExplicit());
    assertEquals(120.0, a.timeoutSeconds());
    assertEquals(RetryMode.NO, a.retryMode());
    assertEquals(128_000L, a.contextWindowTokens());
    assertEquals(Map.of(), a.headers());
    assertEquals("", a.description());
    assertTrue(a.agentModelEnabled());
    assertEquals("auto", a.authCredentialsStoreMode());
    assertNull(a.cacheTtl());
    assertNull(a.reasoning());

    ModelConfig b = cfg.models().get("b");
    assertEquals("https://openrouter.ai/api/v1/responses", b.url());
    assertEquals(List.of("chat", "image_in"), b.capabilities());
    assertTrue(b.supportsVisionInput());
    assertTrue(b.usesResponsesApi());

    ModelConfig c = cfg.models().get("c");
    assertEquals("https://chatgpt.com/backend-api/codex/responses", c.url());
    assertEquals("/home/u/.codex", c.codexHome());
    assertFalse(c.canBeAgentModel());
    assertEquals(List.of("a", "b"), cfg.availableModels());
  }

  @Test
  void rootAndMainAgentDefaults() {
    PartyclawConfig cfg = ConfigFixtures.parse("""
        {"version": "0.21", "models": {"m": {"type": "openrouter", "model": "x", "capabilities": ["chat"]}},
         "main_agent": {}, "channels": [{"kind": "command_line", "id": "cli"}]}
        """, Map.of());
    assertEquals(4, cfg.maxGlobalSubAgents());
    assertEquals(5, cfg.cronPollIntervalSeconds());
    assertEquals(SandboxConfig.DEFAULT, cfg.sandbox());
    assertEquals(Map.of(), cfg.tooling());
    MainAgentConfig main = cfg.mainAgent();
    assertNull(main.model());
    assertNull(main.timeoutSeconds());
    assertEquals("zh-CN", main.language());
    assertEquals(120, main.maxToolRoundtrips());
    assertTrue(main.enableContextCompression());
    assertEquals(ContextCompactionConfig.DEFAULT, main.contextCompaction());
    assertEquals(IdleCompactionConfig.DEFAULT, main.idleCompaction());
    assertTrue(main.timeoutObservationCompaction());
    assertEquals(TimeAwarenessConfig.DEFAULT, main.timeAwareness());
    assertEquals(TokenEstimationCacheConfig.DEFAULT, main.tokenEstimationCache());
    assertEquals("layered", main.memorySystem());
    assertEquals(MainAgentConfig.defaults(), main);
  }

  @Test
  void capabilitiesAreNormalized() {
    PartyclawConfig cfg = ConfigFixtures.parse("""
        {"version": "0.21",
         "models": {
           "v": {"type": "openrouter", "model": "x", "supports_vision_input": true, "capabilities": ["pdf", "chat"]},
           "s": {"type": "openrouter", "model": "y", "capabilities": ["chat"],
                 "native_web_search": {"enabled": true, "payload": {"plugins": [{"id": "web"}]}}}
         },
         "main_agent": {}, "channels": [{"kind": "command_line", "id": "cli"}]}
        """, Map.of());
    assertEquals(List.of("chat", "image_in", "pdf"), cfg.models().get("v").capabilities());
    assertEquals(List.of("chat", "web_search"), cfg.models().get("s").capabilities());
    assertEquals("web", cfg.models().get("s").nativeWebSearch().payload().path("plugins").path(0).path("id").asText());
  }

  @Test
  void channelDefaultsAreAppliedAndUrlsTrimmed() {
    PartyclawConfig cfg = ConfigFixtures.parse("""
        {"version": "0.21", "models": {"m": {"type": "openrouter", "model": "x", "capabilities": ["chat"]}},
         "main_agent": {},
         "channels": [
           {"kind": "telegram", "id": "t", "api_base_url": "http://127.0.0.1:9000//",
            "allowed_chat_ids": [-100123, "42"], "allowed_user_ids": [7]},
           {"kind": "dingtalk_robot", "id": "r", "webhook_url": "https://example.invalid/hook", "http_callback_path": "cb"},
           {"kind": "web", "id": "w"},
           {"kind": "command_line", "id": "cli", "prompt": "> "}
         ]}
        """, Map.of("TELEGRAM_BOT_TOKEN", "1:x"));
    TelegramChannelConfig t = assertInstanceOf(TelegramChannelConfig.class, cfg.channels().get(0));
    assertEquals("http://127.0.0.1:9000", t.apiBaseUrl());
    assertEquals("TELEGRAM_BOT_TOKEN", t.botTokenEnv());
    assertEquals(30, t.pollTimeoutSeconds());
    assertEquals(250L, t.pollIntervalMs());
    assertEquals(List.of(-100123L, 42L), t.allowedChatIds());
    assertEquals(List.of(7L), t.allowedUserIds());
    assertTrue(t.chatAllowed(42));
    assertFalse(t.chatAllowed(43));
    assertFalse(t.open(), "access control is on unless \"open\": true");
    assertTrue(t.allowListed(42, 7));
    assertFalse(t.allowListed(42, 8));

    DingtalkRobotChannelConfig r = assertInstanceOf(DingtalkRobotChannelConfig.class, cfg.channels().get(1));
    assertEquals("/cb", r.httpCallbackPath());
    assertEquals("DINGTALK_ROBOT_APP_SECRET", r.appSecretEnv());
    assertEquals("https://api.dingtalk.com", r.apiBaseUrl());

    // A web channel without a token is disabled at runtime, not a config error.
    WebChannelConfig w = assertInstanceOf(WebChannelConfig.class, cfg.channels().get(2));
    assertEquals("127.0.0.1:8080", w.listenAddr());
    assertEquals("CLAWPARTY_WEB_AUTH_TOKEN", w.authTokenEnv());
    assertTrue(w.resolveAuthToken(Environment.of(Map.of())).isEmpty());

    assertEquals("> ", ((CommandLineChannelConfig) cfg.channels().get(3)).prompt());
  }

  @Test
  void defaultModelPrefersMainAgentModelWhenAvailable() {
    String json = """
        {"version": "0.21",
         "models": {"a": {"type": "openrouter", "model": "x", "capabilities": ["chat"]},
                    "b": {"type": "openrouter", "model": "y", "capabilities": ["chat"]}},
         "agent": {"agent_frame": {"available_models": ["b", "a", "b"]}},
         "main_agent": {"model": "%s"}, "channels": [{"kind": "command_line", "id": "cli"}]}
        """;
    PartyclawConfig preferred = ConfigFixtures.parse(json.formatted("a"), Map.of());
    assertEquals(List.of("b", "a"), preferred.availableModels());
    assertEquals("a", preferred.defaultModel().orElseThrow().alias());
    PartyclawConfig unknown = ConfigFixtures.parse(json.formatted("nope"), Map.of());
    assertEquals("b", unknown.defaultModel().orElseThrow().alias());
  }

  @Test
  void toolingTargetsAndRetryAndTokenEstimationAreRead() {
    PartyclawConfig cfg = ConfigFixtures.parse("""
        {"version": "0.21",
         "models": {"m": {"type": "openrouter", "model": "x", "capabilities": ["chat", "image_in", "web_search"],
                          "retry_mode": {"mode": "random", "max_retries": 3, "retry_random_mean": 1.5},
                          "token_estimation": {"tokenizer": {"source": "local", "path": "tok/tokenizer.json"},
                                               "template": {"source": "builtin"}},
                          "headers": {"X-Title": "partyclaw"}, "reasoning": {"effort": "high"}}},
         "tooling": {"image": "m:self", "web_search": " m "},
         "main_agent": {}, "channels": [{"kind": "command_line", "id": "cli"}]}
        """, Map.of());
    assertEquals(Map.of("image", "m:self", "web_search", "m"), cfg.tooling());
    assertEquals(new ToolingTarget("m", true), cfg.toolingTarget("image").orElseThrow());
    ModelConfig m = cfg.models().get("m");
    assertEquals(RetryMode.random(3, 1.5), m.retryMode());
    assertEquals(ConfigFixtures.BASE_DIR.resolve("tok/tokenizer.json").toString(),
        m.tokenEstimation().path("tokenizer").path("path").asText());
    assertEquals("partyclaw", m.headers().get("X-Title"));
    assertEquals("high", m.reasoning().path("effort").asText());
  }
}
