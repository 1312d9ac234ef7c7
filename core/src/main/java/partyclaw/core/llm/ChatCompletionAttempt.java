package partyclaw.core.llm;

import akka.Done;
import akka.actor.Cancellable;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaType;
import akka.http.javadsl.settings.ConnectionPoolSettings;
import akka.stream.KillSwitches;
import akka.stream.Materializer;
import akka.stream.SharedKillSwitch;
import akka.stream.javadsl.Sink;
import akka.util.ByteString;
import akka.util.ByteStringBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.json.Json;
import partyclaw.core.util.Failures;

/**
 * One HTTP attempt at a model call. Its callbacks (response headers, body bytes, stream end, header timer, abort)
 * come from different threads, so the attempt holds no mutable state they share: everything ends in one
 * {@link CompletableFuture}, the first completion wins and the others are no-ops. A failure or an abort trips
 * the kill switch of the body stream (created up front, so an abort that comes before the body still stops it);
 * every callback first looks whether the result is already settled and, if so, discards what it got.
 */
final class ChatCompletionAttempt implements LlmAttempt {

  private static final Logger log = LoggerFactory.getLogger(OpenAiChatClient.class);
  private static final int BODY_EXCERPT = 300;

  private final ActorSystem<?> system;
  private final Http http;
  private final Materializer materializer;
  /**
   * Akka's Java futures run even "synchronous" callbacks asynchronously on the common pool, which on small
   * machines means a new thread per callback; the actor system's dispatcher is the right place for them.
   */
  private final Executor executor;
  private final ConnectionPoolSettings pool;
  private final LlmEndpoint endpoint;
  private final Duration timeout;
  private final HttpRequest httpRequest;
  private final ChatRequest request;
  private final Consumer<String> onTextDelta;
  private final java.util.function.Function<Consumer<String>, ReplyAssembler> assemblers;
  private final CompletableFuture<ChatResponse> result = new CompletableFuture<>();
  private final SharedKillSwitch bodyStream = KillSwitches.shared("llm-attempt");
  private final long startNanos = System.nanoTime();

  ChatCompletionAttempt(ActorSystem<?> system, Http http, ConnectionPoolSettings pool, LlmEndpoint endpoint,
      Duration timeout, HttpRequest httpRequest, ChatRequest request, Consumer<String> onTextDelta) {
    this(system, http, pool, endpoint, timeout, httpRequest, request, onTextDelta, ChatCompletionAssembler::new);
  }

  /** {@code assemblers} makes the reader of the reply's protocol (Chat Completions or Responses). */
  ChatCompletionAttempt(ActorSystem<?> system, Http http, ConnectionPoolSettings pool, LlmEndpoint endpoint,
      Duration timeout, HttpRequest httpRequest, ChatRequest request, Consumer<String> onTextDelta,
      java.util.function.Function<Consumer<String>, ReplyAssembler> assemblers) {
    this.assemblers = assemblers;
    this.system = system;
    this.http = http;
    this.materializer = Materializer.matFromSystem(system);
    this.executor = system.executionContext();
    this.pool = pool;
    this.endpoint = endpoint;
    this.timeout = timeout;
    this.httpRequest = httpRequest;
    this.request = request;
    this.onTextDelta = onTextDelta;
  }

  /** An attempt that never reached the network (e.g. an unusable URL). */
  static LlmAttempt failed(AttemptFailure failure) {
    CompletableFuture<ChatResponse> failed = CompletableFuture.failedFuture(failure);
    return new LlmAttempt() {
      @Override
      public CompletionStage<ChatResponse> result() {
        return failed;
      }

      @Override
      public void abort() {}
    };
  }

  @Override
  public CompletionStage<ChatResponse> result() {
    // the future itself, not a derived stage, so callbacks see the AttemptFailure unwrapped
    return result;
  }

  @Override
  public void abort() {
    if (result.completeExceptionally(AttemptFailure.fatal("the attempt was aborted"))) {
      log.info("llm request aborted alias={} model={} duration_ms={}", endpoint.alias(), endpoint.model(),
          elapsedMs());
    }
  }

  void begin() {
    result.whenComplete((response, error) -> {
      // a failed or aborted attempt frees its connection; a finished one lets the rest of the body drain
      if (error != null) bodyStream.abort(new CancellationException("model call attempt ended"));
    });
    log.debug("llm request start alias={} model={} messages={} tools={}", endpoint.alias(), endpoint.model(),
        request.messages().size(), request.tools().size());
    CompletionStage<HttpResponse> pending;
    try {
      pending = http.singleRequest(httpRequest, http.defaultClientHttpsContext(), pool, system.classicSystem().log());
    } catch (RuntimeException e) {
      fail(AttemptFailure.retryable("could not send the request: " + describe(e)));
      return;
    }
    Cancellable headerTimer = system.classicSystem().scheduler().scheduleOnce(timeout,
        () -> fail(AttemptFailure.timeout("no response within " + human(timeout))), system.executionContext());
    result.whenComplete((response, error) -> headerTimer.cancel());
    pending.whenCompleteAsync((response, error) -> {
      headerTimer.cancel();
      if (result.isDone()) {
        if (response != null) response.discardEntityBytes(system.classicSystem());
      } else if (error != null) {
        fail(AttemptFailure.retryable("cannot connect to " + endpoint.url() + ": " + describe(error)));
      } else {
        onResponse(response);
      }
    }, executor);
  }

  private void onResponse(HttpResponse response) {
    int status = response.status().intValue();
    if (status >= 200 && status < 300) {
      MediaType type = response.entity().getContentType().mediaType();
      boolean json = type.isApplication() && (type.subType().equals("json") || type.subType().endsWith("+json"));
      consume(response, json);
      return;
    }
    Duration retryAfter = response.getHeader("Retry-After")
        .map(HttpHeader::value)
        .map(value -> RetryDelays.parseRetryAfter(value, Instant.now()))
        .orElse(null);
    String statusText = "HTTP " + status + (response.status().reason().isEmpty() ? "" : " " + response.status().reason());
    response.entity().toStrict(timeout.toMillis(), system.classicSystem())
        .handleAsync((strict, unreadable) -> {
          String body = strict == null ? "" : strict.getData().decodeString(StandardCharsets.UTF_8);
          String excerpt = Excerpts.of(Excerpts.redact(body, endpoint.apiKey()), BODY_EXCERPT);
          String reason = statusText + (excerpt.isEmpty() ? "" : ": " + excerpt) + hint(status);
          boolean transientStatus = status == 429 || status >= 500;
          fail(transientStatus ? AttemptFailure.retryable(reason, retryAfter) : AttemptFailure.fatal(reason));
          return null;
        }, executor);
  }

  /**
   * Reads the body through an idle timeout (bounding every gap) and the kill switch. The assembler and parsers
   * are touched only by the stream's one stage and then by its completion callback, which happens after it.
   */
  private void consume(HttpResponse response, boolean json) {
    ReplyAssembler assembler = assemblers.apply(onTextDelta);
    SseParser sse = new SseParser();
    ByteStringBuilder whole = json ? new ByteStringBuilder() : null;
    // the first bytes of an SSE body, to show what arrived when it turns out not to be an event stream
    ByteStringBuilder head = new ByteStringBuilder();
    String contentType = response.entity().getContentType().toString();
    Consumer<ByteString> onBytes = bytes -> {
      if (result.isDone()) return;
      if (json) {
        whole.append(bytes);
        return;
      }
      if (head.length() < BODY_EXCERPT) head.append(bytes.take(BODY_EXCERPT - head.length()));
      for (String data : sse.feed(bytes.toArray())) assembler.acceptData(data);
      // [DONE] ends the reply even if the server is slow to close the body; the rest drains unread
      if (assembler.sawDone()) succeed(assembler.response());
    };
    CompletionStage<Done> ended = response.entity().withoutSizeLimit().getDataBytes()
        .idleTimeout(timeout)
        .via(bodyStream.flow())
        .runWith(Sink.foreach(onBytes::accept), materializer);
    ended.whenCompleteAsync((done, error) -> {
      if (result.isDone()) return;
      try {
        Throwable cause = error == null ? null : Failures.unwrap(error);
        if (cause instanceof AttemptFailure failure) {
          fail(failure);
        } else if (cause != null && !(!json && assembler.complete())) {
          fail(streamFailure(cause));
        } else if (json) {
          finishJson(assembler, sse, whole.result().decodeString(StandardCharsets.UTF_8));
        } else {
          // also reached when the connection broke after the finish reason: nothing of the reply was lost
          if (cause == null) for (String data : sse.finish()) assembler.acceptData(data);
          if (assembler.dataEvents() == 0) {
            throw AttemptFailure.retryable("the response was not an event stream (Content-Type " + contentType + "): "
                + Excerpts.of(Excerpts.redact(head.result().decodeString(StandardCharsets.UTF_8), endpoint.apiKey()),
                    120));
          }
          finishStream(assembler);
        }
      } catch (AttemptFailure failure) {
        fail(failure);
      } catch (RuntimeException bug) {
        fail(AttemptFailure.fatal("could not read the response: " + describe(bug)));
      }
    }, executor);
  }

  private void finishJson(ReplyAssembler assembler, SseParser sse, String body) {
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (Exception notJson) {
      String trimmed = body.stripLeading();
      if (trimmed.startsWith("data:") || trimmed.startsWith(":")) {
        // a server that streams SSE but labels it application/json
        for (String data : sse.feed(body.getBytes(StandardCharsets.UTF_8))) assembler.acceptData(data);
        for (String data : sse.finish()) assembler.acceptData(data);
        finishStream(assembler);
        return;
      }
      throw AttemptFailure.retryable("the response body is not valid JSON: "
          + Excerpts.of(Excerpts.redact(body, endpoint.apiKey()), 120));
    }
    if (root == null || !root.isObject()) {
      throw AttemptFailure.retryable("the response body is not a JSON object: " + Excerpts.of(body, 120));
    }
    assembler.acceptCompletion(root);
    succeed(assembler.response());
  }

  private void finishStream(ReplyAssembler assembler) {
    if (!assembler.complete()) {
      throw AttemptFailure.retryable("the stream ended before the reply was complete (no finish_reason or [DONE])");
    }
    succeed(assembler.response());
  }

  private AttemptFailure streamFailure(Throwable error) {
    if (error instanceof TimeoutException) return AttemptFailure.timeout("the stream stalled: no data for " + human(timeout));
    return AttemptFailure.retryable("the stream was cut: " + describe(error));
  }

  private void succeed(ChatResponse response) {
    if (!result.complete(response)) return;
    log.debug("llm request done alias={} model={} duration_ms={} prompt_tokens={} completion_tokens={} "
            + "cached_tokens={} finish={}", endpoint.alias(), endpoint.model(), elapsedMs(),
        response.usage().promptTokens(), response.usage().completionTokens(), response.usage().cachedTokens(),
        response.finishReason());
  }

  private void fail(AttemptFailure failure) {
    AttemptFailure clean = failure.redacted(endpoint.apiKey());
    if (!result.completeExceptionally(clean)) return;
    log.warn("llm request failed alias={} model={} duration_ms={} retryable={} reason={}", endpoint.alias(),
        endpoint.model(), elapsedMs(), clean.isRetryable(), clean.reason());
  }

  /** What a user can do about a non-retryable status. */
  private static String hint(int status) {
    return switch (status) {
      case 401, 403 -> " — check the model's API key (api_key / api_key_env)";
      case 404 -> " — check the model's api_endpoint, chat_completions_path and model name";
      case 413 -> " — the context is too large; compact the conversation or use a model with a larger window";
      default -> "";
    };
  }

  private static String describe(Throwable error) {
    Throwable e = Failures.unwrap(error);
    while (e.getCause() != null && e.getCause() != e) e = e.getCause();
    String message = e.getMessage();
    // Akka's TCP errors bury the real reason ("... failed because of java.net.ConnectException: Connection refused").
    String marker = "failed because of ";
    if (message != null && message.contains(marker)) {
      String reason = message.substring(message.indexOf(marker) + marker.length()).replaceFirst("^([a-z0-9_]+\\.)+", "");
      return Excerpts.of(reason, BODY_EXCERPT);
    }
    return Excerpts.of(e.getClass().getSimpleName() + (message == null ? "" : ": " + message), BODY_EXCERPT);
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) return ms + " ms";
    if (ms % 1000 == 0) return (ms / 1000) + " s";
    return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
