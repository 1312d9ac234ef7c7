package partyclaw.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.Optional;
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
    // the first request of a JVM pays for class loading and the connection: keep that out of the timed tests
    client.attempt(endpoint(), HELLO, d -> {}).result().toCompletableFuture().join();
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
    return client.attempt(endpoint, request, deltas).result().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static AttemptFailure failure(LlmEndpoint endpoint, ChatRequest request) throws Exception {
    return failure(endpoint, request, d -> {});
  }

  private static AttemptFailure failure(LlmEndpoint endpoint, ChatRequest request, Consumer<String> deltas)
      throws Exception {
    try {
      ChatResponse response = call(endpoint, request, deltas);
      return fail("expected a failure but got " + response);
    } catch (ExecutionException e) {
      return assertInstanceOf(AttemptFailure.class, e.getCause());
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
  void aServerErrorEndsTheAttemptAsRetryable() throws Exception {
    server.enqueue(Step.httpError(500, "boom"), Step.text("fine"));

    AttemptFailure error = failure(endpoint(), HELLO);

    assertEquals("HTTP 500 Internal Server Error: boom", error.reason());
    assertTrue(error.isRetryable());
    assertEquals(Optional.empty(), error.retryAfter());
    assertEquals(1, server.requests().size(), "one attempt is one request; retrying is the caller's business");
  }

  @Test
  void aRateLimitCarriesItsRetryAfter() throws Exception {
    server.enqueue(Step.httpError(429, "{\"error\":{\"message\":\"slow down\"}}", "1"));

    AttemptFailure error = failure(endpoint(), HELLO);

    assertEquals("HTTP 429 Too Many Requests: {\"error\":{\"message\":\"slow down\"}}", error.reason());
    assertTrue(error.isRetryable());
    assertEquals(Optional.of(Duration.ofSeconds(1)), error.retryAfter());
  }

  @Test
  void aStreamCutBeforeItsEndIsRetryable() throws Exception {
    server.enqueue(Step.truncated("partial answ"));
    List<String> deltas = new CopyOnWriteArrayList<>();

    AttemptFailure error = failure(endpoint(), HELLO, deltas::add);

    assertTrue(error.isRetryable(), error.toString());
    // the fake may cut the connection before or after its first chunks leave, so some or none of them arrive
    String streamed = String.join("", deltas);
    assertTrue("partial answ".startsWith(streamed), streamed);
    assertEquals(1, server.requests().size());
  }

  @Test
  void anErrorBodyNeverShowsTheKey() throws Exception {
    String body = "upstream exploded\nwhile using key " + KEY;
    server.enqueue(Step.httpError(500, body));

    AttemptFailure error = failure(endpoint(), HELLO);

    assertEquals("HTTP 500 Internal Server Error: upstream exploded while using key ***", error.reason());
    assertTrue(error.isRetryable());
  }

  @Test
  void aClientErrorIsFatal() throws Exception {
    server.enqueue(Step.httpError(400, "{\"error\":{\"message\":\"bad tool schema\"}}"), Step.text("never"));

    AttemptFailure error = failure(endpoint(), HELLO);

    assertTrue(error.reason().startsWith("HTTP 400 Bad Request: "), error.reason());
    assertTrue(error.reason().contains("bad tool schema"));
    assertFalse(error.isRetryable());
    assertEquals(1, server.requests().size());
  }

  @Test
  void explainsAnUnauthorizedAnswer() throws Exception {
    server.enqueue(Step.httpError(401, "{\"error\":{\"message\":\"invalid api key\"}}"));

    AttemptFailure error = failure(endpoint(), HELLO);

    assertTrue(error.reason().contains("HTTP 401 Unauthorized"), error.reason());
    assertTrue(error.reason().contains("check the model's API key"), error.reason());
    assertFalse(error.isRetryable());
  }

  @Test
  void anInvalidJsonBodyIsRetryable() throws Exception {
    server.enqueue(Step.rawBody("{not json"));

    AttemptFailure error = failure(endpoint(), HELLO);

    assertEquals("the response body is not valid JSON: {not json", error.reason());
    assertTrue(error.isRetryable());
  }

  @Test
  void anUnparsableStreamLineIsRetryable() throws Exception {
    server.enqueue(Step.rawBody("data: {\"choices\":[{\"delta\":{\"content\":\"x\"\n\n", "text/event-stream"));

    AttemptFailure error = failure(endpoint(), HELLO);

    assertEquals("the stream contained an unparsable data line: {\"choices\":[{\"delta\":{\"content\":\"x\"",
        error.reason());
    assertTrue(error.isRetryable());
  }

  @Test
  void saysWhatArrivedWhenTheBodyIsNotAnEventStream() throws Exception {
    server.enqueue(Step.rawBody("<html><body>Please log in</body></html>", "text/html"));

    AttemptFailure error = failure(endpoint(), HELLO);

    assertTrue(error.reason().startsWith("the response was not an event stream (Content-Type text/html"),
        error.reason());
    assertTrue(error.reason().endsWith("<html><body>Please log in</body></html>"), error.reason());
  }

  @Test
  void treatsAnErrorObjectInA200BodyAsAFatalFailure() throws Exception {
    server.enqueue(Step.rawBody("{\"error\":{\"message\":\"No endpoints found for fake-model\",\"code\":404}}"));

    AttemptFailure error = failure(endpoint(), HELLO);

    assertEquals("upstream error: No endpoints found for fake-model", error.reason());
    assertFalse(error.isRetryable());
    assertEquals(1, server.requests().size());
  }

  @Test
  void timesOutWaitingForResponseHeaders() throws Exception {
    server.enqueue(Step.text("too late").withDelay(Duration.ofSeconds(3)));
    long start = System.nanoTime();

    AttemptFailure error = failure(endpoint(KEY, RetryPolicy.NONE, Duration.ofMillis(300), null), HELLO);

    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals("no response within 300 ms", error.reason());
    assertTrue(error.isRetryable());
    assertTrue(elapsedMs < 2000, "timed out after " + elapsedMs + " ms");
  }

  @Test
  void timesOutWhenTheStreamStalls() throws Exception {
    server.enqueue(Step.text("a reply long enough for several chunks").withChunkDelay(Duration.ofSeconds(2)));

    AttemptFailure error = failure(endpoint(KEY, RetryPolicy.NONE, Duration.ofMillis(400), null), HELLO);

    assertEquals("the stream stalled: no data for 400 ms", error.reason());
    assertTrue(error.isRetryable());
  }

  @Test
  void abortEndsAWaitingAttemptAtOnce() throws Exception {
    server.enqueue(Step.text("never seen").withDelay(Duration.ofSeconds(5)));
    List<String> deltas = new CopyOnWriteArrayList<>();
    LlmAttempt attempt = client.attempt(endpoint(), HELLO, deltas::add);
    server.awaitRequests(1, Duration.ofSeconds(5));
    long start = System.nanoTime();

    attempt.abort();

    ExecutionException e = assertThrows(ExecutionException.class,
        () -> attempt.result().toCompletableFuture().get(2, TimeUnit.SECONDS));
    AttemptFailure error = assertInstanceOf(AttemptFailure.class, e.getCause());
    assertEquals("the attempt was aborted", error.reason());
    assertFalse(error.isRetryable());
    assertTrue((System.nanoTime() - start) / 1_000_000 < 1000);
    attempt.abort(); // a second abort changes nothing
    assertSame(error, assertThrows(ExecutionException.class,
        () -> attempt.result().toCompletableFuture().get()).getCause());
  }

  @Test
  void abortStopsAStreamMidWayAndLateChunksAreDropped() throws Exception {
    server.enqueue(Step.text("one two three four five six seven eight").withChunkDelay(Duration.ofMillis(300)));
    List<String> deltas = new CopyOnWriteArrayList<>();
    LlmAttempt attempt = client.attempt(endpoint(), HELLO, deltas::add);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (deltas.isEmpty() && System.nanoTime() < deadline) Thread.onSpinWait();
    assertFalse(deltas.isEmpty(), "the stream never started");

    attempt.abort();
    int seenAtAbort = deltas.size();

    ExecutionException e = assertThrows(ExecutionException.class,
        () -> attempt.result().toCompletableFuture().get(2, TimeUnit.SECONDS));
    assertEquals("the attempt was aborted", assertInstanceOf(AttemptFailure.class, e.getCause()).reason());
    // the chunks still on their way (300 ms apart) would have arrived by now
    Thread.sleep(1000);
    assertEquals(seenAtAbort, deltas.size(), "no text after the abort: " + deltas);
  }

  @Test
  void aResponseAfterTheHeaderTimeoutIsDiscarded() throws Exception {
    server.enqueue(Step.text("too late").withDelay(Duration.ofMillis(800)));
    List<String> deltas = new CopyOnWriteArrayList<>();
    LlmAttempt attempt = client.attempt(endpoint(KEY, RetryPolicy.NONE, Duration.ofMillis(300), null), HELLO,
        deltas::add);

    ExecutionException e = assertThrows(ExecutionException.class,
        () -> attempt.result().toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertEquals("no response within 300 ms", assertInstanceOf(AttemptFailure.class, e.getCause()).reason());
    server.awaitRequests(1, Duration.ofSeconds(5));
    Thread.sleep(1000); // the late response (due at 800 ms) has arrived by now
    assertEquals(List.of(), deltas, "the late response must not stream into a settled attempt");
  }

  @Test
  void anUnreachableServerIsRetryable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    LlmEndpoint unreachable = new LlmEndpoint("main", "http://127.0.0.1:" + closedPort + "/v1/chat/completions",
        "fake-model", KEY, Map.of(), Duration.ofSeconds(5), RetryPolicy.NONE, null);

    AttemptFailure error = failure(unreachable, HELLO);

    assertEquals("cannot connect to http://127.0.0.1:" + closedPort
        + "/v1/chat/completions: ConnectException: Connection refused", error.reason());
    assertTrue(error.isRetryable());
  }

  @Test
  void anUnusableUrlIsFatalAndNeverSent() throws Exception {
    LlmEndpoint ftp = new LlmEndpoint("main", "ftp://127.0.0.1/v1/chat/completions", "fake-model", KEY, Map.of(),
        Duration.ofSeconds(5), RetryPolicy.NONE, null);

    AttemptFailure error = failure(ftp, HELLO);

    assertEquals("the request cannot be built: URL 'ftp://127.0.0.1/v1/chat/completions' must start with http:// or "
        + "https:// — check the model's api_endpoint and headers", error.reason());
    assertFalse(error.isRetryable());
    assertEquals(0, server.requests().size());
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
