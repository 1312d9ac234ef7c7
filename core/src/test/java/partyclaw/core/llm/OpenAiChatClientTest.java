package partyclaw.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;
import partyclaw.core.transcript.Usage;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.RecordedRequest;
import partyclaw.testkit.Step;
import partyclaw.testkit.ToolCallSpec;

class OpenAiChatClientTest {

  private static final String KEY = "sk-test-secret-123";
  private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50));
  private static final ChatRequest HELLO = new ChatRequest(
      List.of(ChatMessage.system("be brief"), ChatMessage.user("hello")), List.of(), null);

  private static ActorSystem<Void> system;
  private static FakeLlmServer server;
  private static OpenAiChatClient client;

  @BeforeAll
  static void startAll() {
    system = ActorSystem.create(Behaviors.empty(), "llm-client-test",
        ConfigFactory.parseString("akka.loglevel = WARNING\nakka.log-dead-letters = off")
            .withFallback(ConfigFactory.load()));
    server = FakeLlmServer.start();
    client = new OpenAiChatClient(system);
  }

  @AfterAll
  static void stopAll() {
    server.close();
    system.terminate();
  }

  @BeforeEach
  void resetServer() {
    server.reset();
  }

  private static LlmEndpoint endpoint(String key, RetryPolicy retry, Duration timeout, JsonNode reasoning) {
    return new LlmEndpoint("main", server.chatCompletionsUrl(), "fake-model", key, Map.of("X-Title", "partyclaw"),
        timeout, retry, reasoning);
  }

  private static LlmEndpoint endpoint() {
    return endpoint(KEY, FAST, Duration.ofSeconds(5), null);
  }

  private static ChatResponse call(LlmEndpoint endpoint, ChatRequest request, Consumer<String> deltas)
      throws Exception {
    return client.start(endpoint, request, deltas).result().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static LlmException failure(LlmEndpoint endpoint, ChatRequest request) throws Exception {
    try {
      ChatResponse response = call(endpoint, request, d -> {});
      return fail("expected a failure but got " + response);
    } catch (ExecutionException e) {
      return assertInstanceOf(LlmException.class, e.getCause());
    }
  }

  @Test
  void streamsTextDeltasAndUsage() throws Exception {
    String text = "Hello, streaming world! ünïcödé 🎉 and a few more words to split";
    server.enqueue(Step.text(text).withUsage(120, 7, 100));
    List<String> deltas = new CopyOnWriteArrayList<>();

    ChatResponse response = call(endpoint(), HELLO, deltas::add);

    assertEquals(text, response.message().content());
    assertTrue(deltas.size() > 1, "several deltas expected, got " + deltas);
    assertEquals(text, String.join("", deltas));
    assertFalse(response.message().hasToolCalls());
    assertEquals("stop", response.finishReason());
    assertEquals(new Usage(120, 7, 100, 1), response.usage());
  }

  @Test
  void assemblesArgumentsOfParallelToolCallsFromPieces() throws Exception {
    String args1 = "{\"path\":\"/tmp/a.txt\",\"limit\":20}";
    String args2 = "{\"command\":\"echo héllo\",\"timeout_seconds\":5}";
    server.enqueue(Step.toolCalls(new ToolCallSpec("call_1", "file_read", args1),
        new ToolCallSpec("call_2", "exec_start", args2)));

    ChatResponse response = call(endpoint(), HELLO, d -> {});

    assertEquals(List.of(new ToolCall("call_1", "file_read", args1), new ToolCall("call_2", "exec_start", args2)),
        response.message().toolCalls());
    assertNull(response.message().content());
    assertEquals("tool_calls", response.finishReason());
    assertTrue(response.usage().promptTokens() > 0 && response.usage().completionTokens() > 0);
  }

  @Test
  void keepsTextThatPrecedesToolCalls() throws Exception {
    server.enqueue(Step.textAndToolCalls("Let me look.", new ToolCallSpec("c9", "ls", "{}")));

    ChatResponse response = call(endpoint(), HELLO, d -> {});

    assertEquals("Let me look.", response.message().content());
    assertEquals(List.of(new ToolCall("c9", "ls", "{}")), response.message().toolCalls());
  }

  @Test
  void readsHandWrittenSseWithCommentsCrlfAndNoUsage() throws Exception {
    String sse = ": OPENROUTER PROCESSING\r\n\r\n"
        + "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"}}]}\r\n\r\n"
        + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"},\"finish_reason\":\"length\"}]}\r\n\r\n";
    server.enqueue(Step.rawBody(sse, "text/event-stream"));

    ChatResponse response = call(endpoint(), HELLO, d -> {});

    assertEquals("Hi there", response.message().content());
    assertEquals("length", response.finishReason());
    assertEquals(new Usage(0, 0, 0, 1), response.usage());
  }

  @Test
  void acceptsANonStreamedJsonAnswer() throws Exception {
    String body = """
        {"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":null,
        "tool_calls":[{"id":"call_7","type":"function","function":{"name":"glob","arguments":"{\\"pattern\\":\\"*.md\\"}"}}]},
        "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":50,"completion_tokens":9,
        "prompt_tokens_details":{"cached_tokens":32}}}""";
    server.enqueue(Step.rawBody(body));

    ChatResponse response = call(endpoint(), HELLO, d -> {});

    assertEquals(List.of(new ToolCall("call_7", "glob", "{\"pattern\":\"*.md\"}")), response.message().toolCalls());
    assertEquals("tool_calls", response.finishReason());
    assertEquals(new Usage(50, 9, 32, 1), response.usage());
  }

  @Test
  void retriesAServerErrorThenSucceeds() throws Exception {
    server.enqueue(Step.httpError(500, "boom"), Step.text("fine"));

    ChatResponse response = call(endpoint(), HELLO, d -> {});

    assertEquals("fine", response.message().content());
    assertEquals(2, server.requests().size());
  }

  @Test
  void honoursRetryAfterOnRateLimit() throws Exception {
    server.enqueue(Step.httpError(429, "{\"error\":{\"message\":\"slow down\"}}", "1"), Step.text("after the wait"));
    long start = System.nanoTime();

    ChatResponse response = call(endpoint(), HELLO, d -> {});

    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals("after the wait", response.message().content());
    assertTrue(elapsedMs >= 950, "Retry-After 1 s must win over a 50 ms max backoff, waited " + elapsedMs + " ms");
    assertEquals(2, server.requests().size());
  }

  @Test
  void retriesAStreamCutBeforeItsEnd() throws Exception {
    server.enqueue(Step.truncated("partial answ"), Step.text("complete answer"));
    List<String> deltas = new CopyOnWriteArrayList<>();

    ChatResponse response = call(endpoint(), HELLO, deltas::add);

    assertEquals("complete answer", response.message().content());
    assertEquals(2, server.requests().size());
    assertTrue(String.join("", deltas).endsWith("complete answer"));
  }

  @Test
  void reportsTheLastErrorWhenRetriesRunOutWithoutLeakingTheKey() throws Exception {
    String body = "upstream exploded\nwhile using key " + KEY;
    server.enqueue(Step.httpError(500, body), Step.httpError(500, body), Step.httpError(500, body));
    LlmEndpoint endpoint = endpoint(KEY, new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(20)),
        Duration.ofSeconds(5), null);

    LlmException error = failure(endpoint, HELLO);

    assertEquals("model 'main' (fake-model) failed after 3 attempts: "
        + "HTTP 500 Internal Server Error: upstream exploded while using key ***", error.getMessage());
    assertFalse(error.cancelled());
    assertEquals(3, server.requests().size());
  }

  @Test
  void failsAtOnceOnAClientError() throws Exception {
    server.enqueue(Step.httpError(400, "{\"error\":{\"message\":\"bad tool schema\"}}"), Step.text("never"));

    LlmException error = failure(endpoint(), HELLO);

    assertTrue(error.getMessage().startsWith("model 'main' (fake-model) failed: HTTP 400 Bad Request: "),
        error.getMessage());
    assertTrue(error.getMessage().contains("bad tool schema"));
    assertEquals(1, server.requests().size());
  }

  @Test
  void explainsAnUnauthorizedAnswer() throws Exception {
    server.enqueue(Step.httpError(401, "{\"error\":{\"message\":\"invalid api key\"}}"));

    LlmException error = failure(endpoint(), HELLO);

    assertTrue(error.getMessage().contains("HTTP 401 Unauthorized"), error.getMessage());
    assertTrue(error.getMessage().contains("check the model's API key"), error.getMessage());
  }

  @Test
  void retriesAnInvalidJsonBodyAndReportsItWhenRetriesRunOut() throws Exception {
    server.enqueue(Step.rawBody("{not json"), Step.text("recovered"));
    assertEquals("recovered", call(endpoint(), HELLO, d -> {}).message().content());
    assertEquals(2, server.requests().size());

    server.enqueue(Step.rawBody("{not json"));
    LlmException error = failure(endpoint(KEY, RetryPolicy.NONE, Duration.ofSeconds(5), null), HELLO);
    assertEquals("model 'main' (fake-model) failed: the response body is not valid JSON: {not json",
        error.getMessage());
  }

  @Test
  void retriesAnUnparsableStreamLine() throws Exception {
    server.enqueue(Step.rawBody("data: {\"choices\":[{\"delta\":{\"content\":\"x\"\n\n", "text/event-stream"),
        Step.text("clean"));

    assertEquals("clean", call(endpoint(), HELLO, d -> {}).message().content());
    assertEquals(2, server.requests().size());
  }

  @Test
  void saysWhatArrivedWhenTheBodyIsNotAnEventStream() throws Exception {
    server.enqueue(Step.rawBody("<html><body>Please log in</body></html>", "text/html"));

    LlmException error = failure(endpoint(KEY, RetryPolicy.NONE, Duration.ofSeconds(5), null), HELLO);

    assertTrue(error.getMessage().startsWith(
        "model 'main' (fake-model) failed: the response was not an event stream (Content-Type text/html"),
        error.getMessage());
    assertTrue(error.getMessage().endsWith("<html><body>Please log in</body></html>"), error.getMessage());
  }

  @Test
  void treatsAnErrorObjectInA200BodyAsAFailure() throws Exception {
    server.enqueue(Step.rawBody("{\"error\":{\"message\":\"No endpoints found for fake-model\",\"code\":404}}"));

    LlmException error = failure(endpoint(), HELLO);

    assertEquals("model 'main' (fake-model) failed: upstream error: No endpoints found for fake-model",
        error.getMessage());
    assertEquals(1, server.requests().size());
  }

  @Test
  void timesOutWaitingForResponseHeaders() throws Exception {
    server.enqueue(Step.text("too late").withDelay(Duration.ofSeconds(3)));
    long start = System.nanoTime();

    LlmException error = failure(endpoint(KEY, RetryPolicy.NONE, Duration.ofMillis(300), null), HELLO);

    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals("model 'main' (fake-model) failed: no response within 300 ms", error.getMessage());
    assertTrue(elapsedMs < 2000, "timed out after " + elapsedMs + " ms");
  }

  @Test
  void timesOutWhenTheStreamStalls() throws Exception {
    server.enqueue(Step.text("a reply long enough for several chunks").withChunkDelay(Duration.ofSeconds(2)));

    LlmException error = failure(endpoint(KEY, RetryPolicy.NONE, Duration.ofMillis(400), null), HELLO);

    assertEquals("model 'main' (fake-model) failed: the stream stalled: no data for 400 ms", error.getMessage());
  }

  @Test
  void cancelAbortsAWaitingCall() throws Exception {
    server.enqueue(Step.text("never seen").withDelay(Duration.ofSeconds(5)));
    LlmCall call = client.start(endpoint(), HELLO, d -> {});
    server.awaitRequests(1, Duration.ofSeconds(5));
    long start = System.nanoTime();

    call.cancel();

    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> call.result().toCompletableFuture().get(2, TimeUnit.SECONDS));
    LlmException error = assertInstanceOf(LlmException.class, e.getCause());
    assertTrue(error.cancelled());
    assertEquals("model 'main' (fake-model) call cancelled", error.getMessage());
    assertTrue((System.nanoTime() - start) / 1_000_000 < 1000);
  }

  @Test
  void cancelStopsAPendingRetry() throws Exception {
    server.enqueue(Step.httpError(503, "busy"), Step.text("should not be requested"));
    LlmEndpoint slowRetry = endpoint(KEY, new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(1)),
        Duration.ofSeconds(5), null);
    LlmCall call = client.start(slowRetry, HELLO, d -> {});
    server.awaitRequests(1, Duration.ofSeconds(5));
    Thread.sleep(100);

    call.cancel();
    Thread.sleep(800);

    assertTrue(call.result().toCompletableFuture().isCompletedExceptionally());
    assertEquals(1, server.requests().size(), "the retry must not run after cancel");
  }

  @Test
  void retriesWhenTheServerCannotBeReached() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    LlmEndpoint unreachable = new LlmEndpoint("main", "http://127.0.0.1:" + closedPort + "/v1/chat/completions",
        "fake-model", KEY, Map.of(), Duration.ofSeconds(5), new RetryPolicy(1, Duration.ofMillis(5),
        Duration.ofMillis(5)), null);

    LlmException error = failure(unreachable, HELLO);

    assertEquals("model 'main' (fake-model) failed after 2 attempts: cannot connect to http://127.0.0.1:" + closedPort
        + "/v1/chat/completions: ConnectException: Connection refused", error.getMessage());
  }

  @Test
  void sendsTheBearerKeyOnlyWhenThereIsOne() throws Exception {
    call(endpoint(KEY, FAST, Duration.ofSeconds(5), null), HELLO, d -> {});
    call(endpoint(null, FAST, Duration.ofSeconds(5), null), HELLO, d -> {});

    List<RecordedRequest> requests = server.requests();
    assertEquals("Bearer " + KEY, requests.get(0).header("Authorization"));
    assertNull(requests.get(1).header("Authorization"));
    assertEquals("partyclaw", requests.get(1).header("x-title"));
  }

  @Test
  void encodesMessagesToolsAndStreamingOptions() throws Exception {
    ToolCall call = new ToolCall("call_1", "file_read", "{\"path\":\"a\"}");
    ChatRequest request = new ChatRequest(List.of(
        ChatMessage.system("sys"),
        ChatMessage.user("read a"),
        ChatMessage.assistant(null, List.of(call)),
        ChatMessage.toolResult(call, "contents of a")),
        List.of(new ToolSpec("file_read", "Execution mode: immediate. Read a file.",
            Json.parse("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}"))),
        null);

    call(endpoint(), request, d -> {});
    call(endpoint(), HELLO, d -> {});

    JsonNode body = server.requests().get(0).body();
    assertEquals("fake-model", body.path("model").asText());
    assertTrue(body.path("stream").asBoolean());
    assertTrue(body.path("stream_options").path("include_usage").asBoolean());
    JsonNode messages = body.path("messages");
    assertEquals(Json.parse("{\"role\":\"user\",\"content\":\"read a\"}"), messages.get(1));
    assertEquals(Json.parse("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
        + "\"type\":\"function\",\"function\":{\"name\":\"file_read\",\"arguments\":\"{\\\"path\\\":\\\"a\\\"}\"}}]}"),
        messages.get(2));
    assertEquals(Json.parse("{\"role\":\"tool\",\"content\":\"contents of a\",\"tool_call_id\":\"call_1\","
        + "\"name\":\"file_read\"}"), messages.get(3));
    assertEquals("function", body.path("tools").get(0).path("type").asText());
    assertEquals("file_read", body.path("tools").get(0).path("function").path("name").asText());
    assertEquals("object", body.path("tools").get(0).path("function").path("parameters").path("type").asText());
    assertEquals("auto", body.path("tool_choice").asText());
    assertFalse(body.has("reasoning"));

    JsonNode plain = server.requests().get(1).body();
    assertFalse(plain.has("tools"));
    assertFalse(plain.has("tool_choice"));
  }

  @Test
  void overridesTheConfiguredReasoningEffort() throws Exception {
    JsonNode configured = Json.parse("{\"effort\":\"low\",\"max_tokens\":2000}");
    ChatRequest high = new ChatRequest(HELLO.messages(), List.of(), "high");

    call(endpoint(KEY, FAST, Duration.ofSeconds(5), configured), high, d -> {});
    call(endpoint(KEY, FAST, Duration.ofSeconds(5), configured), HELLO, d -> {});
    call(endpoint(KEY, FAST, Duration.ofSeconds(5), null), new ChatRequest(HELLO.messages(), List.of(), "medium"), d -> {});

    List<RecordedRequest> requests = server.requests();
    assertEquals(Json.parse("{\"effort\":\"high\",\"max_tokens\":2000}"), requests.get(0).body().path("reasoning"));
    assertEquals(configured, requests.get(1).body().path("reasoning"));
    assertEquals(Json.parse("{\"effort\":\"medium\"}"), requests.get(2).body().path("reasoning"));
    assertEquals("low", configured.path("effort").asText(), "the endpoint's config must not be mutated");
  }

  @Test
  void fakeServerCanComputeARepliesFromTheRequest() throws Exception {
    server.enqueue(Step.dynamic(r -> Step.text("result was: " + r.toolMessages().get(0).path("content").asText())));
    ToolCall call = new ToolCall("call_5", "ls", "{}");
    ChatRequest request = new ChatRequest(List.of(ChatMessage.user("list"), ChatMessage.assistant("", List.of(call)),
        ChatMessage.toolResult(call, "a.txt b.txt")), List.of(), null);

    assertEquals("result was: a.txt b.txt", call(endpoint(), request, d -> {}).message().content());
    // with the script empty the default echo answers, like an instant model
    assertEquals("ok: hello", call(endpoint(), HELLO, d -> {}).message().content());
  }
}
