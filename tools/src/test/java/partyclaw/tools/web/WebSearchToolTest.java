package partyclaw.tools.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.config.ConfigLoader;
import partyclaw.core.config.Environment;
import partyclaw.core.config.PartyclawConfig;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolResult;
import partyclaw.tools.testing.LocalHttpServer;
import partyclaw.tools.testing.TestToolContext;

@Timeout(30)
class WebSearchToolTest {
  static final String KEY = "sk-search-test-0123456789";
  static final String ANSWER = """
      {"choices": [{"message": {"role": "assistant", "content": "Akka 2.6.21 is the last Apache-licensed 2.6."}}],
       "citations": ["https://a.example/1", "https://b.example/2", "https://c.example/3"]}
      """;

  /** The loader insists the keys exist; the tool resolves them from its own environment. */
  static final Environment LOADER_ENV = Environment.of(Map.of("SEARCH_KEY", "k", "PPLX", "k", "OPENAI_API_KEY", "k"));

  @TempDir Path tmp;
  TestToolContext ctx;
  LocalHttpServer server;
  WebClient web;

  @BeforeEach
  void setUp() throws Exception {
    ctx = TestToolContext.on(tmp);
    server = new LocalHttpServer();
    web = WebClient.create();
  }

  @AfterEach
  void tearDown() {
    server.close();
    ctx.close();
  }

  /** A chat model "m" and a search model "s" at the local server; {@code tooling} and {@code extra} vary per test. */
  PartyclawConfig config(String tooling, String extraModels) {
    String json = """
        {"version": "0.21",
         "models": {"m": {"type": "openrouter", "model": "chat-model", "capabilities": ["chat"]%s},
                    "s": {"type": "openrouter", "model": "perplexity/sonar", "api_endpoint": "%s",
                          "api_key_env": "SEARCH_KEY", "capabilities": ["chat", "web_search"],
                          "headers": {"X-Title": "partyclaw"},
                          "native_web_search": {"enabled": true, "payload": {"plugins": [{"id": "web"}]}}}},
         %s
         "main_agent": {"model": "m"}, "channels": [{"kind": "command_line", "id": "cli"}]}
        """.formatted(extraModels, server.url("/v1"), tooling);
    return ConfigLoader.parse(json, tmp, LOADER_ENV, "test");
  }

  WebSearchTool tool(PartyclawConfig cfg, Map<String, String> env) {
    return new WebSearchTool(web, WebSearchBackends.of(cfg, Environment.of(env)));
  }

  @Test
  void asksTheToolingSearchModelAndReturnsAnswerAndCitations() throws Exception {
    server.respond("/v1/chat/completions", 200, "application/json", ANSWER);
    WebSearchTool search = tool(config("\"tooling\": {\"web_search\": \"s\"},", ""), Map.of("SEARCH_KEY", KEY));
    JsonNode r = ctx.call(search, args("query", "latest akka 2.6", "timeout_seconds", 5, "max_results", 2));
    assertEquals("latest akka 2.6", r.get("query").asText());
    assertEquals("Akka 2.6.21 is the last Apache-licensed 2.6.", r.get("answer").asText());
    assertEquals(List.of("https://a.example/1", "https://b.example/2"),
        Json.MAPPER.convertValue(r.get("citations"), List.class));

    LocalHttpServer.Request req = server.requestsTo("/v1/chat/completions").get(0);
    assertEquals("POST", req.method());
    assertEquals("Bearer " + KEY, req.headers().get("authorization"));
    assertEquals("partyclaw", req.headers().get("x-title"));
    JsonNode body = Json.parse(req.body());
    assertEquals("perplexity/sonar", body.get("model").asText());
    assertEquals("web", body.get("plugins").get(0).get("id").asText(), "the native search payload is merged");
    assertEquals("system", body.get("messages").get(0).get("role").asText());
    assertEquals(WebSearchTool.SYSTEM_PROMPT + " Cite at most 2 sources.",
        body.get("messages").get(0).get("content").asText());
    assertEquals("latest akka 2.6", body.get("messages").get(1).get("content").asText());
  }

  @Test
  void urlAnnotationsServeAsCitationsWhenTheResponseHasNoCitationsArray() throws Exception {
    server.respond("/v1/chat/completions", 200, "application/json", """
        {"choices": [{"message": {"content": [{"type": "text", "text": "part one. "}, {"type": "text", "text": "two."}],
          "annotations": [{"type": "url_citation", "url_citation": {"url": "https://x.example/"}}]}}]}
        """);
    WebSearchTool search = tool(config("\"tooling\": {\"web_search\": \"s\"},", ""), Map.of("SEARCH_KEY", KEY));
    JsonNode r = ctx.call(search, args("query", "q", "timeout_seconds", 5));
    assertEquals("part one. two.", r.get("answer").asText());
    assertEquals(List.of("https://x.example/"), Json.MAPPER.convertValue(r.get("citations"), List.class));
  }

  @Test
  void upstreamFailuresAreErrorsWithoutTheKey() throws Exception {
    server.route("/v1/chat/completions", ex -> LocalHttpServer.send(ex, 500, "text/plain",
        ("boom; you sent " + ex.getRequestHeaders().getFirst("Authorization")).getBytes()));
    WebSearchTool search = tool(config("\"tooling\": {\"web_search\": \"s\"},", ""), Map.of("SEARCH_KEY", KEY));
    ToolResult r = ctx.invoke(search, args("query", "q", "timeout_seconds", 5));
    assertTrue(r.errored());
    assertEquals("web search upstream failed with 500: boom; you sent Bearer [REDACTED]",
        Json.parse(r.content()).get("error").asText());
    assertFalse(r.content().contains(KEY));
  }

  /** The search model "s" takes images here. */
  PartyclawConfig configWithVisionSearch() {
    String json = """
        {"version": "0.21",
         "models": {"m": {"type": "openrouter", "model": "chat-model", "capabilities": ["chat"]},
                    "s": {"type": "openrouter", "model": "vision-search", "api_endpoint": "%s",
                          "api_key_env": "SEARCH_KEY", "capabilities": ["chat", "web_search", "image_in"]}},
         "tooling": {"web_search": "s"},
         "main_agent": {"model": "m"}, "channels": [{"kind": "command_line", "id": "cli"}]}
        """.formatted(server.url("/v1"));
    return ConfigLoader.parse(json, tmp, LOADER_ENV, "test");
  }

  @Test
  void imagesAreOfferedAndSentOnlyWhereTheSearchModelTakesImages() throws Exception {
    WebSearchTool vision = tool(configWithVisionSearch(), Map.of("SEARCH_KEY", KEY));
    assertTrue(vision.parametersFor("m").path("properties").has("images"));
    assertTrue(vision.parametersFor("m") == vision.parametersFor("m"), "one schema instance per answer");
    assertFalse(vision.parameters().path("properties").has("images"));
    WebSearchTool plain = tool(config("\"tooling\": {\"web_search\": \"s\"},", ""), Map.of("SEARCH_KEY", KEY));
    assertTrue(plain.parametersFor("m") == null, "the base schema, without images");

    java.nio.file.Files.write(ctx.workspaceRoot().resolve("pic.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    server.respond("/v1/chat/completions", 200, "application/json", ANSWER);
    JsonNode r = ctx.call(vision, args("query", "what is this", "timeout_seconds", 5, "images", List.of("pic.png")));
    assertEquals("what is this", r.get("query").asText());
    JsonNode content = Json.parse(server.requestsTo("/v1/chat/completions").get(0).body())
        .get("messages").get(1).get("content");
    assertEquals(2, content.size());
    assertEquals("{\"type\":\"text\",\"text\":\"what is this\"}", content.get(0).toString());
    assertEquals("image_url", content.get(1).get("type").asText());
    assertEquals("data:image/png;base64,iVBORw==", content.get(1).get("image_url").get("url").asText());

    ToolResult refused = ctx.invoke(plain, args("query", "q", "timeout_seconds", 5, "images", List.of("pic.png")));
    assertEquals("the search model of 's' does not take images; search without them",
        Json.parse(refused.content()).get("error").asText());
    ToolResult missing = ctx.invoke(vision, args("query", "q", "timeout_seconds", 5, "images", List.of("nope.png")));
    assertEquals("image nope.png does not exist", Json.parse(missing.content()).get("error").asText());
    assertEquals(1, server.requestsTo("/v1/chat/completions").size());
  }

  @Test
  void noBackendOrNoKeyIsAClearError() throws Exception {
    ToolResult none = ctx.invoke(tool(config("", ""), Map.of("SEARCH_KEY", KEY)), args("query", "q", "timeout_seconds", 5));
    assertEquals("web search is not configured for this conversation's model: set tooling.web_search to a model alias "
        + "with the web_search capability, or give the model a web_search entry",
        Json.parse(none.content()).get("error").asText());
    ToolResult noKey = ctx.invoke(tool(config("\"tooling\": {\"web_search\": \"s\"},", ""), Map.of()),
        args("query", "q", "timeout_seconds", 5));
    assertEquals("web search backend 's' has no API key: set the environment variable SEARCH_KEY or api_key in the config",
        Json.parse(noKey.content()).get("error").asText());
    ToolResult noQuery = ctx.invoke(tool(config("\"tooling\": {\"web_search\": \"s\"},", ""), Map.of()),
        args("timeout_seconds", 5));
    assertEquals("missing required argument: query", Json.parse(noQuery.content()).get("error").asText());
    assertTrue(server.requests().isEmpty());
  }

  @Test
  void theModelsOwnWebSearchAliasIsUsedWithoutTooling() {
    PartyclawConfig cfg = config("", ", \"web_search\": \"s\"");
    WebSearchBackends backends = WebSearchBackends.of(cfg, Environment.of(Map.of()));
    assertEquals("s", backends.forModel("m").orElseThrow().name());
    assertEquals("s", backends.forModel(null).orElseThrow().name(), "no model: the config's default model");
    assertTrue(backends.anyConfigured());
    assertFalse(WebSearchBackends.of(config("", ""), Environment.of(Map.of())).anyConfigured());
  }

  @Test
  void selfTargetUsesTheConversationModelWhenItCanSearch() {
    PartyclawConfig cfg = config("\"tooling\": {\"web_search\": \"s:self\"},", "");
    WebSearchBackends backends = WebSearchBackends.of(cfg, Environment.of(Map.of()));
    assertEquals("s", backends.forModel("m").orElseThrow().name(), "m cannot search: the alias does");
    assertEquals("s", backends.forModel("s").orElseThrow().name());
  }

  @Test
  void legacyExternalSearchEntriesAreUsedAsTheyAre() {
    PartyclawConfig cfg = ConfigLoader.parse("""
        {"models": {"main": {"api_endpoint": "https://openrouter.ai/api/v1", "model": "x",
                             "external_web_search": {"base_url": "%s", "model": "perplexity/sonar-pro",
                                                     "api_key_env": "PPLX"}}},
         "main_agent": {}, "channels": [{"kind": "command_line", "id": "cli"}]}
        """.formatted(server.url("/legacy")), tmp, LOADER_ENV, "test");
    SearchBackend b = WebSearchBackends.of(cfg, Environment.of(Map.of())).forModel("main").orElseThrow();
    assertEquals("perplexity/sonar-pro", b.model());
    assertEquals(server.url("/legacy/chat/completions"), b.url());
    assertEquals("PPLX", b.apiKeyEnv());
  }

  @Test
  void interruptAndTimeoutReturnCancelledResults() throws Exception {
    LocalHttpServer.Gate gate = new LocalHttpServer.Gate(0);
    server.route("/v1/chat/completions", ex -> {
      gate.reached.countDown();
      gate.awaitOpen();
    });
    WebSearchTool search = tool(config("\"tooling\": {\"web_search\": \"s\"},", ""), Map.of("SEARCH_KEY", KEY));
    JsonNode timedOut = ctx.call(search, args("query", "slow", "timeout_seconds", 0.3));
    assertEquals("slow", timedOut.get("query").asText());
    assertTrue(timedOut.get("timed_out").asBoolean());
    assertTrue(timedOut.get("cancelled").asBoolean());

    ctx.newBatch();
    CompletableFuture<JsonNode> call = CompletableFuture.supplyAsync(() -> {
      try {
        return ctx.call(search, args("query", "slow", "timeout_seconds", 20));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertTrue(gate.awaitReached());
    ctx.signal().interrupt();
    JsonNode interrupted = call.get(5, TimeUnit.SECONDS);
    assertTrue(interrupted.get("interrupted").asBoolean());
    assertTrue(interrupted.get("cancelled").asBoolean());
    assertFalse(interrupted.has("timed_out"));
    gate.open();
  }
}
