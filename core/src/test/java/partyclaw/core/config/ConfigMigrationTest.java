package partyclaw.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Older file layouts are converted, in memory, to the same canonical config the latest layout gives. */
class ConfigMigrationTest {
  private static final Map<String, String> ENV = Map.of("OPENROUTER_API_KEY", "sk-or-test");

  @Test
  void versions01And02And05MigrateToTheSameModels() {
    PartyclawConfig v01 = ConfigFixtures.parse(ConfigFixtures.resource("legacy-0.1.json"), ENV);
    PartyclawConfig v02 = ConfigFixtures.parse(ConfigFixtures.resource("catalog-0.2.json"), ENV);
    PartyclawConfig v05 = ConfigFixtures.parse(ConfigFixtures.resource("catalog-0.5.json"), ENV);

    assertEquals("0.1", v01.sourceVersion());
    assertEquals("0.2", v02.sourceVersion());
    assertEquals("0.5", v05.sourceVersion());
    assertEquals(v01.models(), v02.models());
    assertEquals(v01.models(), v05.models());
    assertEquals(v01.availableModels(), v05.availableModels());

    ModelConfig main = v01.models().get("main");
    assertEquals("openrouter", main.type());
    assertEquals(List.of("chat", "image_in"), main.capabilities());
    assertTrue(main.supportsVisionInput());
    assertTrue(main.agentModelEnabled());
    assertEquals("https://openrouter.ai/api/v1/chat/completions", main.url());
    // retry_mode only exists from 0.14: the 0.5 file's retry_mode is dropped, as the 0.5 loader did.
    assertEquals(RetryMode.NO, main.retryMode());

    assertEquals("main_web_search", main.webSearch());
    ExternalWebSearchConfig search = main.legacyWebSearch();
    assertNotNull(search);
    assertEquals("perplexity/sonar", search.model());
    assertEquals("https://openrouter.ai/api/v1/chat/completions", search.url());
    assertEquals("OPENROUTER_API_KEY", search.apiKeyEnv());
    assertEquals(60.0, search.timeoutSeconds());

    ModelConfig helper = v01.models().get("helper");
    assertEquals(List.of("chat"), helper.capabilities());
    assertEquals(30.0, helper.timeoutSeconds());
    assertNull(helper.webSearch());
    // Alias order, not file order.
    assertEquals(List.of("helper", "main"), List.copyOf(v01.models().keySet()));
    assertEquals(List.of("helper", "main"), v01.availableModels());
  }

  @Test
  void legacyMainAgentFieldsAreNormalized() {
    PartyclawConfig v01 = ConfigFixtures.parse(ConfigFixtures.resource("legacy-0.1.json"), ENV);
    assertEquals(List.of("file_read", "file_write", "exec_start"), v01.mainAgent().enabledTools());
    PartyclawConfig v05 = ConfigFixtures.parse(ConfigFixtures.resource("catalog-0.5.json"), ENV);
    assertEquals(30.0, v05.mainAgent().timeoutSeconds());
  }

  @Test
  void aModelInBothChatAndVisionCatalogsIsAnError() {
    String json = """
        {"version": "0.3",
         "models": {"chat": {"m": {"type": "openrouter", "model": "a"}},
                    "vision": {"m": {"type": "openrouter", "model": "b"}}},
         "main_agent": {}, "channels": [{"kind": "command_line", "id": "cli"}]}
        """;
    List<ConfigProblem> problems = ConfigFixtures.problems(json, Map.of());
    assertEquals(1, problems.size());
    assertEquals("$.models.vision.m", problems.get(0).path());
    assertEquals("duplicate model name 'm' across model catalogs", problems.get(0).message());
  }

  @Test
  void legacyFlatKeysAreReadWhenTheNestedObjectsAreAbsent() {
    String json = """
        {"version": "0.8",
         "models": {"m": {"type": "openrouter", "model": "x", "capabilities": ["chat"], "agent_model_enabled": false}},
         "main_agent": {"compact_trigger_ratio": 0.8, "effective_context_window_percent": 0.7,
                        "auto_compact_token_limit": 50000, "enable_idle_context_compaction": true,
                        "idle_context_compaction_poll_interval_seconds": 30, "idle_compact_min_ratio": 0.4},
         "sandbox": {"mode": "disabled", "map_docker_socket": true},
         "channels": [{"kind": "command_line", "id": "cli"}]}
        """;
    PartyclawConfig cfg = ConfigFixtures.parse(json, Map.of());
    assertEquals(new ContextCompactionConfig(0.7, 50_000L, 0.18), cfg.mainAgent().contextCompaction());
    assertEquals(new IdleCompactionConfig(true, 30, 0.4), cfg.mainAgent().idleCompaction());
    assertEquals(SandboxConfig.SUBPROCESS, cfg.sandbox().mode());
    // map_docker_socket appeared in 0.15; a 0.8 loader never saw it.
    assertEquals(false, cfg.sandbox().mapDockerSocket());
    assertEquals(false, cfg.models().get("m").agentModelEnabled());
    assertEquals(List.of(), cfg.availableModels());
    assertTrue(cfg.defaultModel().isEmpty());
  }

  @Test
  void aChannelKindNewerThanTheFileIsReportedWithTheVersionThatIntroducedIt() {
    String json = """
        {"version": "0.14", "models": {"m": {"type": "openrouter", "model": "x", "capabilities": ["chat"]}},
         "main_agent": {}, "channels": [{"kind": "web", "id": "web"}]}
        """;
    List<ConfigProblem> problems = ConfigFixtures.problems(json, Map.of());
    assertEquals(1, problems.size());
    assertEquals("$.channels[0].kind", problems.get(0).path());
    assertEquals("channel kind 'web' needs config version 0.21 or later, but this file is version 0.14",
        problems.get(0).message());
  }

  @Test
  void inlineWebSearchNameClashWithDifferentSettingsIsAnError() {
    String json = """
        {"version": "0.4",
         "models": {"chat": {"m": {"type": "openrouter", "model": "x",
                                   "external_web_search": {"model": "perplexity/sonar-pro"}}},
                    "web_search": {"m_web_search": {"model": "perplexity/sonar"}}},
         "main_agent": {}, "channels": [{"kind": "command_line", "id": "cli"}]}
        """;
    List<ConfigProblem> problems = ConfigFixtures.problems(json, Map.of());
    assertEquals(1, problems.size());
    assertEquals("web search config 'm_web_search' is defined twice with different settings", problems.get(0).message());
  }
}
