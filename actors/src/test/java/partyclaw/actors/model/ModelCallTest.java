package partyclaw.actors.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.ConfigFactory;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import partyclaw.core.llm.AttemptFailure;
import partyclaw.core.llm.ChatClient;
import partyclaw.core.llm.ChatRequest;
import partyclaw.core.llm.ChatResponse;
import partyclaw.core.llm.LlmAttempt;
import partyclaw.core.llm.LlmEndpoint;
import partyclaw.core.llm.OpenAiChatClient;
import partyclaw.core.llm.RetryPolicy;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Usage;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.Step;

/** The retry loop of a model call: backoff, Retry-After, giving up, cancel, stop; against the real HTTP client. */
class ModelCallTest {

  private static final String KEY = "sk-test-secret-123";
  private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50));
  private static final ChatRequest HELLO = new ChatRequest(
      List.of(ChatMessage.system("be brief"), ChatMessage.user("hello")), List.of(), null);
  private static final Duration OUTCOME_WAIT = Duration.ofSeconds(10);

  private static ActorTestKit testKit;
  private static FakeLlmServer server;
  private static OpenAiChatClient client;

  @BeforeAll
  static void startAll() {
    testKit = ActorTestKit.create("model-call-test",
        ConfigFactory.parseString("akka.loglevel = WARNING\nakka.log-dead-letters = off")
            .withFallback(ConfigFactory.load()));
    server = FakeLlmServer.start();
    client = new OpenAiChatClient(testKit.system());
    // the first request of a JVM pays for class loading and the connection: keep that out of the timed tests
    answer(endpoint());
  }

  @AfterAll
  static void stopAll() {
    server.close();
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void resetServer() {
    server.reset();
  }

  private static LlmEndpoint endpoint(RetryPolicy retry, Duration timeout) {
    return new LlmEndpoint("main", server.chatCompletionsUrl(), "fake-model", KEY, Map.of(), timeout, retry, null);
  }

  private static LlmEndpoint endpoint() {
    return endpoint(FAST, Duration.ofSeconds(5));
  }

  private static ChatResponse reply(String text) {
    return new ChatResponse(ChatMessage.assistant(text, List.of()), new Usage(10, 5, 0, 1), "stop");
  }

  private static String describe(Throwable error) {
    return error.getClass().getSimpleName() + ": " + error.getMessage();
  }

  private static ActorRef<ModelCall.Command> start(ChatClient chat, LlmEndpoint endpoint,
      TestProbe<ModelCall.Outcome> probe) {
    return testKit.spawn(ModelCall.create(chat, endpoint, HELLO, probe.ref(), outcome -> outcome,
        ModelCallTest::describe));
  }

  private static ModelCall.Outcome call(ChatClient chat, LlmEndpoint endpoint) {
    TestProbe<ModelCall.Outcome> probe = testKit.createTestProbe();
    ActorRef<ModelCall.Command> call = start(chat, endpoint, probe);
    ModelCall.Outcome outcome = probe.receiveMessage(OUTCOME_WAIT);
    probe.expectTerminated(call, Duration.ofSeconds(5));
    return outcome;
  }

  private static ChatResponse answer(LlmEndpoint endpoint) {
    ModelCall.Outcome outcome = call(client, endpoint);
    assertNull(outcome.error(), outcome.error());
    return outcome.response();
  }

  private static String failure(LlmEndpoint endpoint) {
    ModelCall.Outcome outcome = call(client, endpoint);
    assertNull(outcome.response());
    return outcome.error();
  }

  /** The real client, keeping every attempt it made and counting aborts. */
  private static final class RecordingClient implements ChatClient {
    final List<LlmAttempt> attempts = new CopyOnWriteArrayList<>();
    final AtomicInteger aborts = new AtomicInteger();

    @Override
    public LlmAttempt attempt(LlmEndpoint endpoint, ChatRequest request, Consumer<String> onTextDelta) {
      LlmAttempt real = client.attempt(endpoint, request, onTextDelta);
      attempts.add(real);
      return new LlmAttempt() {
        @Override
        public CompletionStage<ChatResponse> result() {
          return real.result();
        }

        @Override
        public void abort() {
          aborts.incrementAndGet();
          real.abort();
        }
      };
    }

    AttemptFailure awaitFailure(int index) throws Exception {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> attempts.get(index).result().toCompletableFuture().get(5, TimeUnit.SECONDS));
      return assertInstanceOf(AttemptFailure.class, e.getCause());
    }
  }

  @Test
  void answersAtTheFirstAttempt() {
    server.enqueue(Step.text("hello back"));

    assertEquals("hello back", answer(endpoint()).message().content());
    assertEquals(1, server.requests().size());
  }

  @Test
  void retriesAServerErrorThenSucceeds() {
    server.enqueue(Step.httpError(500, "boom"), Step.text("fine"));

    assertEquals("fine", answer(endpoint()).message().content());
    assertEquals(2, server.requests().size());
  }

  @Test
  void honoursRetryAfterOnRateLimit() {
    server.enqueue(Step.httpError(429, "{\"error\":{\"message\":\"slow down\"}}", "1"), Step.text("after the wait"));
    long start = System.nanoTime();

    ChatResponse response = answer(endpoint());

    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals("after the wait", response.message().content());
    assertTrue(elapsedMs >= 950, "Retry-After 1 s must win over a 50 ms max backoff, waited " + elapsedMs + " ms");
    assertEquals(2, server.requests().size());
  }

  @Test
  void retriesAStreamCutBeforeItsEnd() {
    server.enqueue(Step.truncated("partial answ"), Step.text("complete answer"));

    assertEquals("complete answer", answer(endpoint()).message().content());
    assertEquals(2, server.requests().size());
  }

  @Test
  void reportsTheLastErrorWhenRetriesRunOutWithoutLeakingTheKey() {
    String body = "upstream exploded\nwhile using key " + KEY;
    server.enqueue(Step.httpError(500, body), Step.httpError(500, body), Step.httpError(500, body));
    LlmEndpoint endpoint = endpoint(new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(20)),
        Duration.ofSeconds(5));

    assertEquals("model 'main' (fake-model) failed after 3 attempts: "
        + "HTTP 500 Internal Server Error: upstream exploded while using key ***", failure(endpoint));
    assertEquals(3, server.requests().size());
  }

  @Test
  void failsAtOnceOnAClientError() {
    server.enqueue(Step.httpError(400, "{\"error\":{\"message\":\"bad tool schema\"}}"), Step.text("never"));

    String error = failure(endpoint());

    assertTrue(error.startsWith("model 'main' (fake-model) failed: HTTP 400 Bad Request: "), error);
    assertTrue(error.contains("bad tool schema"), error);
    assertEquals(1, server.requests().size());
  }

  @Test
  void explainsAnUnauthorizedAnswerWithoutRetrying() {
    server.enqueue(Step.httpError(401, "{\"error\":{\"message\":\"invalid api key\"}}"));

    String error = failure(endpoint());

    assertTrue(error.startsWith("model 'main' (fake-model) failed: HTTP 401 Unauthorized"), error);
    assertTrue(error.endsWith(" — check the model's API key (api_key / api_key_env)"), error);
    assertEquals(1, server.requests().size());
  }

  @Test
  void retriesAnInvalidJsonBodyAndReportsItWhenRetriesRunOut() {
    server.enqueue(Step.rawBody("{not json"), Step.text("recovered"));
    assertEquals("recovered", answer(endpoint()).message().content());
    assertEquals(2, server.requests().size());

    server.enqueue(Step.rawBody("{not json"));
    assertEquals("model 'main' (fake-model) failed: the response body is not valid JSON: {not json",
        failure(endpoint(RetryPolicy.NONE, Duration.ofSeconds(5))));
    assertEquals(3, server.requests().size());
  }

  @Test
  void retriesAnUnparsableStreamLine() {
    server.enqueue(Step.rawBody("data: {\"choices\":[{\"delta\":{\"content\":\"x\"\n\n", "text/event-stream"),
        Step.text("clean"));

    assertEquals("clean", answer(endpoint()).message().content());
    assertEquals(2, server.requests().size());
  }

  @Test
  void saysWhatArrivedWhenTheBodyIsNotAnEventStream() {
    server.enqueue(Step.rawBody("<html><body>Please log in</body></html>", "text/html"));

    String error = failure(endpoint(RetryPolicy.NONE, Duration.ofSeconds(5)));

    assertTrue(error.startsWith(
        "model 'main' (fake-model) failed: the response was not an event stream (Content-Type text/html"), error);
    assertTrue(error.endsWith("<html><body>Please log in</body></html>"), error);
  }

  @Test
  void treatsAnErrorObjectInA200BodyAsAFailure() {
    server.enqueue(Step.rawBody("{\"error\":{\"message\":\"No endpoints found for fake-model\",\"code\":404}}"));

    assertEquals("model 'main' (fake-model) failed: upstream error: No endpoints found for fake-model",
        failure(endpoint()));
    assertEquals(1, server.requests().size());
  }

  @Test
  void timesOutWaitingForResponseHeaders() {
    server.enqueue(Step.text("too late").withDelay(Duration.ofSeconds(3)));
    long start = System.nanoTime();

    String error = failure(endpoint(RetryPolicy.NONE, Duration.ofMillis(300)));

    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals("model 'main' (fake-model) failed: no response within 300 ms", error);
    assertTrue(elapsedMs < 2000, "timed out after " + elapsedMs + " ms");
  }

  @Test
  void timesOutWhenTheStreamStalls() {
    server.enqueue(Step.text("a reply long enough for several chunks").withChunkDelay(Duration.ofSeconds(2)));

    assertEquals("model 'main' (fake-model) failed: the stream stalled: no data for 400 ms",
        failure(endpoint(RetryPolicy.NONE, Duration.ofMillis(400))));
  }

  @Test
  void aLateResponseOfATimedOutAttemptIsIgnored() {
    server.enqueue(Step.text("too late").withDelay(Duration.ofMillis(1000)), Step.text("in time"));
    TestProbe<ModelCall.Outcome> probe = testKit.createTestProbe();

    start(client, endpoint(FAST, Duration.ofMillis(300)), probe);

    assertEquals("in time", probe.receiveMessage(OUTCOME_WAIT).response().message().content());
    // the first attempt's answer arrives at 1 s: it must produce nothing
    probe.expectNoMessage(Duration.ofMillis(1500));
    assertEquals(2, server.requests().size());
  }

  /** A result whose completion callbacks the test can run again, as a misbehaving client might. */
  private static final class ReplayableResult extends CompletableFuture<ChatResponse> {
    final List<BiConsumer<? super ChatResponse, ? super Throwable>> callbacks = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<ChatResponse> whenComplete(BiConsumer<? super ChatResponse, ? super Throwable> action) {
      callbacks.add(action);
      return super.whenComplete(action);
    }
  }

  private static LlmAttempt attemptOf(CompletableFuture<ChatResponse> result) {
    return new LlmAttempt() {
      @Override
      public CompletionStage<ChatResponse> result() {
        return result;
      }

      @Override
      public void abort() {
        result.completeExceptionally(AttemptFailure.fatal("the attempt was aborted"));
      }
    };
  }

  @Test
  void aResultOfAnEarlierAttemptArrivingLateIsIgnored() {
    ReplayableResult first = new ReplayableResult();
    first.completeExceptionally(AttemptFailure.retryable("HTTP 500 Internal Server Error: boom"));
    CompletableFuture<ChatResponse> second = new CompletableFuture<>();
    List<CompletableFuture<ChatResponse>> script = List.of(first, second);
    AtomicInteger made = new AtomicInteger();
    ChatClient chat = (endpoint, request, deltas) -> attemptOf(script.get(made.getAndIncrement()));
    TestProbe<ModelCall.Outcome> probe = testKit.createTestProbe();

    start(chat, endpoint(), probe);
    probe.awaitAssert(Duration.ofSeconds(5), () -> {
      assertEquals(2, made.get(), "the retry has started");
      return null;
    });
    assertEquals(1, first.callbacks.size(), "the call listens to each attempt's result once");
    first.callbacks.get(0).accept(reply("stale"), null);

    probe.expectNoMessage(Duration.ofMillis(300));
    second.complete(reply("fresh"));
    assertEquals("fresh", probe.receiveMessage(OUTCOME_WAIT).response().message().content());
    probe.expectNoMessage(Duration.ofMillis(300));
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

    assertEquals("model 'main' (fake-model) failed after 2 attempts: cannot connect to http://127.0.0.1:" + closedPort
        + "/v1/chat/completions: ConnectException: Connection refused", failure(unreachable));
  }

  @Test
  void cancelAbortsAWaitingCallAndReportsNothing() throws Exception {
    server.enqueue(Step.text("never seen").withDelay(Duration.ofSeconds(5)));
    RecordingClient chat = new RecordingClient();
    TestProbe<ModelCall.Outcome> probe = testKit.createTestProbe();
    ActorRef<ModelCall.Command> call = start(chat, endpoint(), probe);
    server.awaitRequests(1, Duration.ofSeconds(5));
    long start = System.nanoTime();

    call.tell(new ModelCall.Cancel());

    probe.expectTerminated(call, Duration.ofSeconds(1));
    assertEquals("the attempt was aborted", chat.awaitFailure(0).reason());
    assertTrue((System.nanoTime() - start) / 1_000_000 < 1000);
    assertEquals(1, chat.aborts.get());
    probe.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void cancelStopsAPendingRetry() throws Exception {
    server.enqueue(Step.httpError(503, "busy"), Step.text("should not be requested"));
    RecordingClient chat = new RecordingClient();
    TestProbe<ModelCall.Outcome> probe = testKit.createTestProbe();
    ActorRef<ModelCall.Command> call = start(chat,
        endpoint(new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(1)), Duration.ofSeconds(5)), probe);
    server.awaitRequests(1, Duration.ofSeconds(5));
    // the first attempt has failed, so the retry is now waiting on its timer
    assertEquals("HTTP 503 Service Unavailable: busy", chat.awaitFailure(0).reason());

    call.tell(new ModelCall.Cancel());

    probe.expectTerminated(call, Duration.ofSeconds(1));
    // longer than the backoff (500 ms ± 10%): a retry that survived the cancel would have been sent by now
    probe.expectNoMessage(Duration.ofMillis(800));
    assertEquals(1, server.requests().size(), "the retry must not run after cancel");
    assertEquals(1, chat.attempts.size());
  }

  @Test
  void stoppingTheCallAbortsItsAttempt() throws Exception {
    server.enqueue(Step.text("never seen").withDelay(Duration.ofSeconds(5)));
    RecordingClient chat = new RecordingClient();
    TestProbe<ModelCall.Outcome> probe = testKit.createTestProbe();
    ActorRef<ModelCall.Command> call = start(chat, endpoint(), probe);
    server.awaitRequests(1, Duration.ofSeconds(5));

    testKit.stop(call, Duration.ofSeconds(5)); // as when its conversation stops

    assertEquals("the attempt was aborted", chat.awaitFailure(0).reason());
    assertEquals(1, chat.aborts.get());
    probe.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void aFailureThatIsNotAnAttemptFailureIsReportedAtOnce() {
    AtomicInteger attempts = new AtomicInteger();
    ChatClient broken = (endpoint, request, deltas) -> {
      attempts.incrementAndGet();
      CompletableFuture<ChatResponse> result = CompletableFuture.failedFuture(new IllegalStateException("boom"));
      return new LlmAttempt() {
        @Override
        public CompletionStage<ChatResponse> result() {
          return result;
        }

        @Override
        public void abort() {}
      };
    };

    ModelCall.Outcome outcome = call(broken, endpoint());

    assertEquals("model 'main' (fake-model) failed: IllegalStateException: boom", outcome.error());
    assertEquals(1, attempts.get());
  }

  @Test
  void aClientThatThrowsIsReportedNotCrashed() {
    ChatClient throwing = (endpoint, request, deltas) -> {
      throw new IllegalArgumentException("no such model");
    };

    ModelCall.Outcome outcome = call(throwing, endpoint());

    assertEquals("model 'main' (fake-model) failed: IllegalArgumentException: no such model", outcome.error());
  }

  @Test
  void streamedTextReachesTheSinkOnTheActorsThreadBeforeTheOutcomeAndARetryStartsAfresh() {
    server.enqueue(Step.truncated("partial words that will be retried"),
        Step.text("the whole answer, streamed in several pieces").withChunkDelay(Duration.ofMillis(30)));
    List<String> seen = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    TestProbe<ModelCall.Outcome> probe = testKit.createTestProbe();
    testKit.spawn(ModelCall.create(client, endpoint(), HELLO, probe.ref(), outcome -> {
      seen.add("outcome");
      return outcome;
    }, ModelCallTest::describe, false, (attempt, text) -> {
      seen.add(attempt + ":" + text);
      threads.add(Thread.currentThread().getName());
    }));
    ModelCall.Outcome outcome = probe.receiveMessage(OUTCOME_WAIT);
    assertNull(outcome.error(), outcome.error());
    assertEquals("outcome", seen.get(seen.size() - 1));
    StringBuilder second = new StringBuilder();
    for (String s : seen.subList(0, seen.size() - 1)) {
      if (s.startsWith("2:")) second.append(s.substring(2));
      else assertTrue(s.startsWith("1:"), s);
    }
    assertEquals("the whole answer, streamed in several pieces", second.toString());
    assertTrue(seen.stream().filter(s -> s.startsWith("2:")).count() >= 2, "coalesced into one: " + seen);
    assertTrue(threads.stream().allMatch(t -> t.contains("akka.actor.default-dispatcher")), threads.toString());
  }
}
