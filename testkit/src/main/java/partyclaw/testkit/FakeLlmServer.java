package partyclaw.testkit;

import akka.actor.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.pattern.Patterns;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * An in-process OpenAI-compatible chat-completions server on 127.0.0.1 for tests and benchmarks. Requests
 * consume scripted {@link Step}s in FIFO order; when none is queued the default reply answers (initially the
 * text {@code "ok: " + last user message}), so it doubles as an instant model. Every request is recorded.
 */
public final class FakeLlmServer implements AutoCloseable {

  /** The reply used when nothing is queued and no other default was set. */
  public static final Function<RecordedRequest, Step> ECHO_DEFAULT = request -> Step.text("ok: " + request.lastUserText());

  private static final Duration ENTITY_TIMEOUT = Duration.ofSeconds(10);
  private static final long MAX_REQUEST_BYTES = 256L * 1024 * 1024;
  private static final int MAX_DYNAMIC_DEPTH = 8;

  private final ObjectMapper mapper = new ObjectMapper();
  private final FakeReplyRenderer renderer = new FakeReplyRenderer(mapper);
  private final FakeResponsesRenderer responsesRenderer = new FakeResponsesRenderer(mapper, renderer);
  private final ActorSystem system;
  private final ServerBinding binding;
  private final String baseUrl;
  private final AtomicLong completionIds = new AtomicLong();

  private final Object lock = new Object();
  private final Deque<Step> queue = new ArrayDeque<>();
  private final List<RecordedRequest> requests = new ArrayList<>();
  private Function<RecordedRequest, Step> defaultReply = ECHO_DEFAULT;
  private Duration globalDelay = Duration.ZERO;
  private boolean recording = true;

  private FakeLlmServer(int port) {
    this.system = ActorSystem.create("fake-llm-server", config());
    try {
      this.binding = Http.get(system).newServerAt("127.0.0.1", port).bind(this::handle)
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("FakeLlmServer could not bind 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
    this.baseUrl = "http://127.0.0.1:" + binding.localAddress().getPort() + "/v1";
  }

  /** Starts on a free port. */
  public static FakeLlmServer start() {
    return new FakeLlmServer(0);
  }

  /** Starts on the given port (0 = any free port). */
  public static FakeLlmServer start(int port) {
    return new FakeLlmServer(port);
  }

  /** E.g. {@code http://127.0.0.1:PORT/v1}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** {@link #baseUrl()} + {@code /chat/completions}: the full URL a client posts to. */
  public String chatCompletionsUrl() {
    return baseUrl + "/chat/completions";
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  /** Appends steps to the script; each is consumed by one request. */
  public FakeLlmServer enqueue(Step... steps) {
    synchronized (lock) {
      queue.addAll(Arrays.asList(steps));
    }
    return this;
  }

  /** The reply computed when the script is empty. */
  public FakeLlmServer setDefault(Function<RecordedRequest, Step> reply) {
    synchronized (lock) {
      defaultReply = reply == null ? ECHO_DEFAULT : reply;
    }
    return this;
  }

  /** Waits this long before every reply, on top of a step's own delay. */
  public FakeLlmServer setDelay(Duration delay) {
    synchronized (lock) {
      globalDelay = delay == null ? Duration.ZERO : delay;
    }
    return this;
  }

  /**
   * Whether requests are kept for {@link #requests()} (default true). Long fuzz runs whose transcripts grow to
   * megabytes turn it off and look at each request in their reply function instead.
   */
  public FakeLlmServer setRecording(boolean on) {
    synchronized (lock) {
      recording = on;
    }
    return this;
  }

  /** Steps still queued. */
  public int pendingSteps() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /** Forgets the script, the recorded requests, the default reply and the global delay. */
  public void reset() {
    synchronized (lock) {
      queue.clear();
      requests.clear();
      defaultReply = ECHO_DEFAULT;
      globalDelay = Duration.ZERO;
    }
  }

  /** Every request received so far, in arrival order. */
  public List<RecordedRequest> requests() {
    synchronized (lock) {
      return List.copyOf(requests);
    }
  }

  /** Blocks until at least {@code n} requests arrived; fails with a message saying how many did. */
  public List<RecordedRequest> awaitRequests(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (requests.size() < n) {
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (leftMs <= 0) {
          throw new IllegalStateException(
              "expected " + n + " requests within " + timeout.toMillis() + " ms but got " + requests.size());
        }
        try {
          lock.wait(leftMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for requests", e);
        }
      }
      return List.copyOf(requests);
    }
  }

  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the system is going away regardless; a slow shutdown must not fail the caller's teardown
    }
  }

  /** Completes when the server's actor system has stopped (e.g. after {@link #close()}). */
  CompletionStage<?> whenTerminated() {
    return system.getWhenTerminated();
  }

  private final java.util.concurrent.atomic.AtomicInteger refusedHandshakes = new java.util.concurrent.atomic.AtomicInteger();
  private volatile int refusedStatus = 401;
  private final java.util.concurrent.atomic.AtomicInteger oauthRefreshes = new java.util.concurrent.atomic.AtomicInteger();

  /** The next {@code n} WebSocket handshakes on a responses path are refused with {@code status}. */
  public FakeLlmServer refuseHandshakes(int n, int status) {
    refusedStatus = status;
    refusedHandshakes.set(n);
    return this;
  }

  /** How many token refreshes {@code POST /oauth/token} answered. */
  public int oauthRefreshes() {
    return oauthRefreshes.get();
  }

  /** The URL of the fake OAuth token endpoint (codex-subscription refreshes). */
  public String oauthUrl() {
    return baseUrl.substring(0, baseUrl.length() - "/v1".length()) + "/oauth/token";
  }

  private CompletionStage<HttpResponse> handle(HttpRequest request) {
    String path = request.getUri().path();
    java.util.Optional<akka.http.javadsl.model.ws.WebSocketUpgrade> upgrade =
        request.getAttribute(akka.http.javadsl.model.AttributeKeys.webSocketUpgrade);
    if (upgrade.isPresent() && path.endsWith("/responses")) {
      return CompletableFuture.completedFuture(acceptSocket(request, upgrade.get()));
    }
    if (path.equals("/oauth/token") && request.method().equals(HttpMethods.POST)) {
      request.discardEntityBytes(system);
      int n = oauthRefreshes.incrementAndGet();
      String body = "{\"access_token\":\"fresh-access-" + n + "\",\"refresh_token\":\"fresh-refresh-" + n
          + "\",\"id_token\":\"fresh-id-" + n + "\"}";
      return CompletableFuture.completedFuture(HttpResponse.create()
          .withEntity(ContentTypes.APPLICATION_JSON, body.getBytes(StandardCharsets.UTF_8)));
    }
    boolean known = path.equals("/v1/chat/completions") || path.equals("/chat/completions")
        || path.equals("/v1/responses") || path.equals("/responses");
    if (!known || !request.method().equals(HttpMethods.POST)) {
      request.discardEntityBytes(system);
      return CompletableFuture.completedFuture(error(404,
          "FakeLlmServer serves POST /v1/chat/completions, /chat/completions, /v1/responses and /responses, not " + request.method().value()
              + " " + path));
    }
    return request.entity().toStrict(ENTITY_TIMEOUT.toMillis(), MAX_REQUEST_BYTES, system)
        .thenCompose(strict -> respond(request, strict.getData().decodeString(StandardCharsets.UTF_8)));
  }

  private CompletionStage<HttpResponse> respond(HttpRequest request, String rawBody) {
    JsonNode body;
    boolean parsed = true;
    try {
      body = mapper.readTree(rawBody);
      if (body == null || !body.isObject()) parsed = false;
    } catch (Exception e) {
      parsed = false;
      body = null;
    }
    RecordedRequest recorded = new RecordedRequest(parsed ? body : TextNode.valueOf(rawBody), headers(request),
        request.getUri().path());
    Step step;
    Duration delay;
    synchronized (lock) {
      if (recording) requests.add(recorded);
      lock.notifyAll();
      if (!parsed) {
        return CompletableFuture.completedFuture(error(400, "request body is not a JSON object"));
      }
      Step queued = queue.poll();
      step = queued;
      delay = globalDelay;
      if (step == null) step = Step.dynamic(defaultReply);
    }
    HttpResponse response;
    try {
      step = resolve(step, recorded);
      response = recorded.responses()
          ? responsesRenderer.render(step, recorded, "resp_fake_" + completionIds.incrementAndGet())
          : renderer.render(step, recorded, "chatcmpl-fake-" + completionIds.incrementAndGet());
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(error(500, "FakeLlmServer could not build the reply: " + e));
    }
    Duration total = delay.plus(step.delay);
    if (total.isZero() || total.isNegative()) return CompletableFuture.completedFuture(response);
    HttpResponse ready = response;
    return Patterns.after(total, system, () -> CompletableFuture.completedFuture(ready));
  }

  /**
   * The codex-subscription transport: a WebSocket whose every {@code response.create} text frame is recorded (path
   * {@code ws:<path>}) and answered with the Responses events of the next step; an HTTP error step becomes an
   * {@code error} event.
   */
  private HttpResponse acceptSocket(HttpRequest request, akka.http.javadsl.model.ws.WebSocketUpgrade upgrade) {
    if (refusedHandshakes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      request.discardEntityBytes(system);
      return error(refusedStatus, "handshake refused by FakeLlmServer");
    }
    akka.stream.Materializer mat = akka.stream.Materializer.matFromSystem(system);
    akka.japi.Pair<akka.stream.BoundedSourceQueue<akka.http.javadsl.model.ws.Message>,
        akka.stream.javadsl.Source<akka.http.javadsl.model.ws.Message, akka.NotUsed>> out =
        akka.stream.javadsl.Source.<akka.http.javadsl.model.ws.Message>queue(1024).preMaterialize(mat);
    Map<String, String> headers = headers(request);
    String path = "ws:" + request.getUri().path();
    akka.stream.javadsl.Sink<akka.http.javadsl.model.ws.Message, akka.NotUsed> in =
        akka.stream.javadsl.Flow.<akka.http.javadsl.model.ws.Message>create()
            .mapAsync(1, m -> m.isText()
                ? m.asTextMessage().toStrict(10_000, mat).thenApply(akka.http.javadsl.model.ws.TextMessage::getStrictText)
                : CompletableFuture.completedFuture(""))
            .to(akka.stream.javadsl.Sink.foreach(text -> onSocketFrame(text, headers, path, out.first())));
    return upgrade.handleMessagesWith(in, out.second());
  }

  private void onSocketFrame(String text, Map<String, String> headers,
      String path, akka.stream.BoundedSourceQueue<akka.http.javadsl.model.ws.Message> out) {
    JsonNode body;
    try {
      body = mapper.readTree(text);
    } catch (Exception e) {
      return;
    }
    if (body == null || !"response.create".equals(body.path("type").asText())) return;
    RecordedRequest recorded = new RecordedRequest(body, headers, path);
    Step step;
    synchronized (lock) {
      if (recording) requests.add(recorded);
      lock.notifyAll();
      step = queue.poll();
      if (step == null) step = Step.dynamic(defaultReply);
    }
    step = resolve(step, recorded);
    String id = "resp_fake_" + completionIds.incrementAndGet();
    List<String> frames = new ArrayList<>();
    if (step.kind == Step.Kind.HTTP_ERROR) {
      var error = mapper.createObjectNode().put("type", "error");
      error.putObject("error").put("message", step.body).put("code", step.status >= 500 ? "server_error" : "invalid_request");
      frames.add(error.toString());
    } else {
      for (var event : responsesRenderer.events(step, recorded, id)) frames.add(event.toString());
    }
    for (String frame : frames) out.offer(akka.http.javadsl.model.ws.TextMessage.create(frame));
  }

  private static Step resolve(Step step, RecordedRequest request) {
    Step current = step;
    for (int depth = 0; current.kind == Step.Kind.DYNAMIC; depth++) {
      if (depth >= MAX_DYNAMIC_DEPTH) throw new IllegalStateException("dynamic steps nested too deep");
      Step next = current.dynamic.apply(request);
      if (next == null) throw new IllegalStateException("a dynamic step returned null");
      // a dynamic step's own delay still applies to whatever it computed
      current = current.delay.isZero() ? next : next.withDelay(next.delay.plus(current.delay));
    }
    return current;
  }

  private static Map<String, String> headers(HttpRequest request) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (HttpHeader header : request.getHeaders()) {
      headers.merge(header.lowercaseName(), header.value(), (a, b) -> a + ", " + b);
    }
    headers.put("content-type", request.entity().getContentType().toString());
    return headers;
  }

  private HttpResponse error(int status, String message) {
    var root = mapper.createObjectNode();
    root.putObject("error").put("message", message).put("type", "invalid_request_error");
    return HttpResponse.create().withStatus(status)
        .withEntity(ContentTypes.APPLICATION_JSON, root.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Config config() {
    return ConfigFactory.parseString(String.join("\n",
            "akka.loglevel = WARNING",
            "akka.log-dead-letters = off",
            "akka.loggers = [\"akka.event.slf4j.Slf4jLogger\"]",
            "akka.logging-filter = \"akka.event.slf4j.Slf4jLoggingFilter\"",
            // scripted delays may be long; the server itself must never cut a reply short
            "akka.http.server.request-timeout = 600s",
            "akka.http.server.idle-timeout = 600s",
            "akka.http.server.parsing.max-content-length = " + MAX_REQUEST_BYTES))
        .withFallback(ConfigFactory.load());
  }

  @Override
  public String toString() {
    return "FakeLlmServer[" + baseUrl + "]";
  }
}
