package partyclaw.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configs: every problem is reported, once, at the right path, with the reference's wording where it has one. */
class ConfigValidationTest {
  private static final String CLI = "[{\"kind\": \"command_line\", \"id\": \"cli\"}]";

  @Test
  void collectsExactlyTheThreeProblemsOfABadConfig() {
    String json = """
        {"version": "0.21",
         "models": {
           "main": {"type": "openrouter", "model": "x", "capabilities": ["chat"], "timeout_seconds": "abc"},
           "other": {"type": "openrouter", "model": "y", "capabilities": ["chat"], "api_key_env": "MISSING_KEY"}
         },
         "agent": {"agent_frame": {"available_models": ["main", "ghost"]}},
         "main_agent": {}, "channels": %s}
        """.formatted(CLI);
    List<ConfigProblem> problems = ConfigFixtures.problems(json, Map.of());

    assertEquals(List.of("$.models.main.timeout_seconds", "$.agent.agent_frame.available_models[1]",
        "$.models.other.api_key_env"), ConfigFixtures.paths(problems));
    assertEquals("$.models.main.timeout_seconds: expected a number but got string \"abc\" "
        + "(hint: write a number without quotes, e.g. 120)", problems.get(0).toString());
    assertEquals("agent.agent_frame.available_models references unknown model alias 'ghost'", problems.get(1).message());
    assertEquals("environment variable MISSING_KEY is not set", problems.get(2).message());
    assertTrue(problems.get(2).hint().contains(".env"));
  }

  @Test
  void invalidJsonIsOneProblemWithLineAndColumn() {
    List<ConfigProblem> problems = ConfigFixtures.problems("{\n  \"version\": \"0.21\",\n  \"models\": {,\n}", Map.of());
    assertEquals(1, problems.size());
    assertEquals("$", problems.get(0).path());
    assertTrue(problems.get(0).message().startsWith("invalid JSON at line 3, column 14"), problems.get(0).message());
    assertFalse(problems.get(0).toString().contains("\n"));
  }

  @Test
  void truncatedAndEmptyAndNonObjectFilesAreReported() {
    assertTrue(ConfigFixtures.problems("{\"version\": \"0.21\"", Map.of()).get(0).message().startsWith("invalid JSON at line 1"));
    assertEquals("the config file is empty", ConfigFixtures.problems("  ", Map.of()).get(0).message());
    assertEquals("expected a JSON object at the top level but got an array",
        ConfigFixtures.problems("[]", Map.of()).get(0).message());
    assertTrue(ConfigFixtures.problems("{\"version\": \"0.21\", \"version\": \"0.20\"}", Map.of()).get(0).message()
        .contains("Duplicate field 'version'"));
  }

  @Test
  void unsupportedVersionNamesTheSupportedRange() {
    List<ConfigProblem> problems = ConfigFixtures.problems("{\"version\": \"0.22\", \"models\": {}}", Map.of());
    assertEquals(1, problems.size());
    assertEquals("$.version", problems.get(0).path());
    assertEquals("unsupported config version '0.22'", problems.get(0).message());
    assertTrue(problems.get(0).hint().contains("\"0.1\"") && problems.get(0).hint().contains("\"0.21\""));
    assertEquals("unsupported config version '0.21.0'",
        ConfigFixtures.problems("{\"version\": \"0.21.0\"}", Map.of()).get(0).message());
  }

  @Test
  void unreadableFileIsOneProblemNamingTheFile(@TempDir Path dir) {
    Path missing = dir.resolve("nope.json");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, Environment.of(Map.of())));
    assertEquals(1, e.problems().size());
    assertEquals("cannot read config file " + missing + ": no such file", e.problems().get(0).message());
    assertTrue(e.getMessage().contains(missing.toString()));
  }

  @Test
  void fileIsLoadedFromDiskAndNeverRewritten(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("old.json");
    String text = ConfigFixtures.resource("catalog-0.2.json");
    Files.writeString(file, text);
    PartyclawConfig cfg = ConfigLoader.load(file, Environment.of(Map.of("OPENROUTER_API_KEY", "k")));
    assertEquals("0.2", cfg.sourceVersion());
    assertEquals(text, Files.readString(file));
  }

  @Test
  void semanticChecksUseTheReferenceTexts() {
    String json = """
        {"version": "0.21",
         "models": {
           "a": {"type": "openrouter", "model": " ", "capabilities": ["chat"]},
           "b": {"type": "codex-subscription", "model": "x"},
           "c": {"type": "openrouter", "model": "y", "capabilities": ["chat"],
                 "retry_mode": {"mode": "random", "max_retries": 0, "retry_random_mean": 0},
                 "image_tool_model": "nope", "web_search": "nowhere"},
           "d": {"type": "openrouter", "model": "z", "agent_model_enabled": false, "capabilities": ["chat"],
                 "fallback_models": ["ghost"]}
         },
         "agent": {"agent_frame": {"available_models": ["d"]}},
         "tooling": {"image": "c", "web_search": "ghost", "pdf": "c:other", "audio_input": ":self"},
         "main_agent": {"timeout_seconds": -1, "idle_compaction": {"enabled": true, "poll_interval_seconds": 0}},
         "sandbox": {"mode": "bubblewrap", "bubblewrap_binary": ""},
         "max_global_sub_agents": 0,
         "cron_poll_interval_seconds": 0,
         "channels": %s}
        """.formatted(CLI);
    Map<String, String> byPath = new java.util.LinkedHashMap<>();
    for (ConfigProblem p : ConfigFixtures.problems(json, Map.of())) byPath.put(p.path(), p.message());

    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("$.models.a.model", "model 'a' must include api_endpoint and model");
    expected.put("$.models.b.codex_home", "model 'b' uses codex-subscription and must include codex_home");
    expected.put("$.models.c.retry_mode.max_retries", "model 'c'.retry_mode.max_retries must be at least 1");
    expected.put("$.models.c.retry_mode.retry_random_mean",
        "model 'c'.retry_mode.retry_random_mean must be greater than 0 seconds");
    expected.put("$.models.c.image_tool_model", "model 'c' references unknown image_tool_model 'nope'");
    expected.put("$.models.c.web_search", "model 'c' references unknown web_search_model 'nowhere'");
    expected.put("$.models.d.fallback_models", "model 'd' references unknown model 'ghost' in fallback_models");
    expected.put("$.agent.agent_frame.available_models[0]",
        "agent.agent_frame.available_models references model 'd' which is not an enabled agent chat model");
    expected.put("$.tooling.web_search", "tooling.web_search references unknown model alias 'ghost'");
    expected.put("$.tooling.image", "tooling.image references model 'c' which does not declare capability 'image_in'");
    expected.put("$.tooling.pdf", "unsupported tooling target suffix 'other'; expected ':self'");
    expected.put("$.tooling.audio_input", "tooling target must not be empty");
    expected.put("$.main_agent.timeout_seconds", "main_agent.timeout_seconds must be greater than or equal to 0");
    expected.put("$.main_agent.idle_compaction.poll_interval_seconds",
        "main_agent.idle_compaction.poll_interval_seconds must be at least 1");
    expected.put("$.sandbox.bubblewrap_binary", "sandbox.bubblewrap_binary must not be empty");
    expected.put("$.max_global_sub_agents", "max_global_sub_agents must be at least 1");
    expected.put("$.cron_poll_interval_seconds", "cron_poll_interval_seconds must be at least 1");
    assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(byPath));
  }

  @Test
  void emptyModelsAndChannelsAreReported() {
    List<ConfigProblem> problems = ConfigFixtures.problems("{\"version\": \"0.21\", \"models\": {}, \"main_agent\": {}, "
        + "\"channels\": []}", Map.of());
    assertEquals(List.of("server config must include at least one model", "server config must include at least one channel"),
        problems.stream().map(ConfigProblem::message).toList());
    List<ConfigProblem> bare = ConfigFixtures.problems("{\"version\": \"0.21\"}", Map.of());
    assertEquals(List.of("$.models", "$.main_agent", "$.channels"), ConfigFixtures.paths(bare));
    assertEquals("missing field `main_agent`", bare.get(1).message());
  }

  @Test
  void unknownTypeCapabilityKindAndMissingFieldsAreAllReported() {
    String json = """
        {"version": "0.21",
         "models": {
           "a": {"type": "anthropic", "model": "x", "capabilities": ["chat", "telepathy", 3]},
           "b": {"capabilities": ["chat"]}
         },
         "main_agent": {},
         "channels": [{"kind": "irc", "id": "i"}, {"id": "nokind"}, {"kind": "telegram", "bot_token": "1:x"}]}
        """;
    List<ConfigProblem> problems = ConfigFixtures.problems(json, Map.of());
    Map<String, String> byPath = new java.util.TreeMap<>();
    for (ConfigProblem p : problems) byPath.put(p.path(), p.message());
    assertEquals(Map.of(
        "$.models.a.type", "unknown model type 'anthropic'",
        "$.models.a.capabilities[1]", "unknown capability 'telepathy'",
        "$.models.a.capabilities[2]", "expected a string but got number 3",
        "$.models.b.type", "missing field `type`",
        "$.models.b.model", "missing field `model`",
        "$.channels[0].kind", "unknown channel kind 'irc'",
        "$.channels[1].kind", "missing field `kind`",
        "$.channels[2].id", "missing field `id`"), byPath);
    assertEquals(8, problems.size());
  }

  @Test
  void telegramOpenIsABooleanAndNoAllowListMatchesEverything() {
    String base = """
        {"version": "0.21", "models": {"m": {"type": "openrouter", "model": "x", "capabilities": ["chat"]}},
         "main_agent": {}, "channels": [{"kind": "telegram", "id": "t", "bot_token": "1:x" %s}]}
        """;
    TelegramChannelConfig open = (TelegramChannelConfig) ConfigFixtures.parse(base.formatted(", \"open\": true"), Map.of())
        .channels().get(0);
    assertTrue(open.open());
    TelegramChannelConfig closed = (TelegramChannelConfig) ConfigFixtures.parse(base.formatted(""), Map.of())
        .channels().get(0);
    assertFalse(closed.open());
    assertFalse(closed.hasAllowLists());
    assertFalse(closed.allowListed(1, 1), "without allow-lists nobody is let through by them");

    List<ConfigProblem> problems = ConfigFixtures.problems(base.formatted(", \"open\": \"yes\""), Map.of());
    assertEquals(1, problems.size());
    assertEquals("$.channels[0].open: expected a boolean but got string \"yes\" (hint: write true or false without quotes)",
        problems.get(0).toString());
  }

  @Test
  void versionMustBeAString() {
    List<ConfigProblem> problems = ConfigFixtures.problems("{\"version\": 0.21}", Map.of());
    assertEquals("$.version: expected a string but got number 0.21 (hint: write the version in quotes, e.g. "
        + "\"version\": \"0.21\")", problems.get(0).toString());
  }

  @Test
  void interpolationOfAnUnsetVariableWithoutDefaultIsAProblem() {
    String json = """
        {"version": "0.21",
         "models": {"m": {"type": "openrouter", "model": "${MODEL_ID}", "capabilities": ["chat"],
                          "timeout_seconds": "${TIMEOUT:-abc}", "description": "${DESC:-}${BROKEN"}},
         "main_agent": {}, "channels": %s}
        """.formatted(CLI);
    List<ConfigProblem> problems = ConfigFixtures.problems(json, Map.of());
    assertEquals(List.of("$.models.m.model", "$.models.m.description", "$.models.m.timeout_seconds"),
        ConfigFixtures.paths(problems));
    assertEquals("environment variable MODEL_ID is not set (used as ${MODEL_ID})", problems.get(0).message());
    assertTrue(problems.get(1).message().startsWith("unterminated environment reference"));
    assertEquals("expected a number but got string \"${TIMEOUT:-abc}\" (after substituting environment variables)",
        problems.get(2).message());

    // Substitution yields strings; one that reads as a number is accepted where a number is expected.
    PartyclawConfig ok = ConfigFixtures.parse(json.replace("${BROKEN", ""), Map.of("MODEL_ID", "m-1", "TIMEOUT", "30"));
    assertEquals("m-1", ok.models().get("m").model());
    assertEquals(30.0, ok.models().get("m").timeoutSeconds());
  }

  @Test
  void interpolationUsesTheDefaultForEmptyValuesAndNeverReexpands() {
    PartyclawConfig cfg = ConfigFixtures.parse("""
        {"version": "0.21",
         "models": {"m": {"type": "openrouter", "model": "${A:-fallback}", "description": "${B}-${C:-c}",
                          "capabilities": ["chat"]}},
         "main_agent": {}, "channels": [{"kind": "command_line", "id": "cli", "prompt": "${P}"}]}
        """, Map.of("A", "", "B", "${C}", "P", "$ "));
    assertEquals("fallback", cfg.models().get("m").model());
    assertEquals("${C}-c", cfg.models().get("m").description());
    assertEquals("$ ", ((CommandLineChannelConfig) cfg.channels().get(0)).prompt());
  }

  @Test
  void channelSecretsMustResolve() {
    String json = """
        {"version": "0.21", "models": {"m": {"type": "openrouter", "model": "x", "capabilities": ["chat"]}},
         "main_agent": {},
         "channels": [
           {"kind": "telegram", "id": "tg", "bot_token_env": "MY_BOT", "bot_token": "  "},
           {"kind": "dingtalk", "id": "dt", "client_id": "literal-id"},
           {"kind": "dingtalk_robot", "id": "rb"},
           {"kind": "web", "id": "w"}
         ]}
        """;
    List<ConfigProblem> problems = ConfigFixtures.problems(json, Map.of("MY_BOT", "   "));
    assertEquals(List.of("$.channels[0].bot_token_env", "$.channels[1].client_secret_env", "$.channels[2].webhook_url_env"),
        ConfigFixtures.paths(problems));
    assertEquals("telegram channel tg requires bot_token or env MY_BOT", problems.get(0).message());
    assertEquals("dingtalk channel dt requires client_secret or env DINGTALK_CLIENT_SECRET", problems.get(1).message());
    assertEquals("dingtalk_robot channel rb requires webhook_url or env DINGTALK_ROBOT_WEBHOOK_URL",
        problems.get(2).message());
  }

  @Test
  void implicitDefaultKeyMayBeUnsetButALiteralKeySatisfiesAnExplicitEnv() {
    PartyclawConfig cfg = ConfigFixtures.parse("""
        {"version": "0.21",
         "models": {"local": {"type": "openrouter", "model": "x", "api_endpoint": "http://127.0.0.1:8000/v1",
                              "capabilities": ["chat"]},
                    "lit": {"type": "openrouter", "model": "y", "api_key": "sk-literal", "api_key_env": "UNSET_ONE",
                            "capabilities": ["chat"]}},
         "main_agent": {}, "channels": [{"kind": "command_line", "id": "cli"}]}
        """, Map.of());
    assertEquals("http://127.0.0.1:8000/v1/chat/completions", cfg.models().get("local").url());
    assertEquals("sk-literal", cfg.models().get("lit").resolveApiKey(Environment.of(Map.of())).orElseThrow());
  }

  @Test
  void problemToStringIsOneLine() {
    ConfigProblem p = new ConfigProblem("$.a", "first\nsecond", "do\r\nthis");
    assertEquals("$.a: first second (hint: do this)", p.toString());
    ConfigException e = new ConfigException("x.json", List.of(p, p));
    assertEquals(2, e.problems().size());
    assertTrue(e.getMessage().startsWith("config x.json has 2 problems:"));
  }
}
