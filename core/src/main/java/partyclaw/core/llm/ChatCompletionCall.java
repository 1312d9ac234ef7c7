package partyclaw.core.llm;

import akka.Done;
import akka.actor.Cancellable;
import akka.actor.typed.ActorSystem;
import akka.event.LoggingAdapter;
import akka.http.javadsl.Http;
import akka.http.javadsl.HttpsConnectionContext;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaType;
import akka.http.javadsl.settings.ConnectionPoolSettings;
import akka.japi.Pair;
import akka.stream.KillSwitches;
import akka.stream.Materializer;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.json.Json;

/**
 * One model call: a sequence of HTTP attempts separated by backoff, ending in exactly one completion of
 * {@link #result()}. State changes happen under {@code lock}; the result is completed outside it. Every
 * asynchronous callback first checks that its attempt is still the current one, so late responses of a
 * timed-out or cancelled attempt are discarded rather than mixed into a newer one.
 */
final class ChatCompletionCall implements LlmCall {

  private static final Logger log = LoggerFactory.getLogger(OpenAiChatClient.class);
  private static final int BODY_EXCERPT = 300;

  private final ActorSystem<?> system;
  private final Http http;
  private final Materializer materializer;
  private final HttpsConnectionContext https;
  private final LoggingAdapter akkaLog;
  /**
   * Akka's Java futures run even "synchronous" callbacks asynchronously on the common pool, which on small
   * machines means a new thread per callback; the actor system's dispatcher is the right place for them.
   */
  private final Executor executor;
  private final ConnectionPoolSettings pool;
  private final LlmEndpoint endpoint;
  private final RetryPolicy retry;
  private final Duration timeout;
  private final HttpRequest httpRequest;
  private final ChatRequest request;
  private final Consumer<String> onTextDelta;
  private final CompletableFuture<ChatResponse> result = new CompletableFuture<>();
  private final long callStart = System.nanoTime();

  private final Object lock = new Object();
  private Attempt current;
  private Cancellable timer;
  private UniqueKillSwitch stream;
  private boolean finished;

  ChatCompletionCall(ActorSystem<?> system, Http http, ConnectionPoolSettings pool, LlmEndpoint endpoint,
      Duration timeout, HttpRequest httpRequest, ChatRequest request, Consumer<String> onTextDelta) {
    this.system = system;
    this.http = http;
    this.materializer = Materializer.matFromSystem(system);
    this.https = http.defaultClientHttpsContext();
    this.akkaLog = system.classicSystem().log();
    this.executor = system.executionContext();
    this.pool = pool;
    this.endpoint = endpoint;
    this.retry = endpoint.retry() == null ? RetryPolicy.NONE : endpoint.retry();
    this.timeout = timeout;
    this.httpRequest = httpRequest;
    this.request = request;
    this.onTextDelta = onTextDelta;
  }

  /** A call that never reached the network (e.g. an unusable URL). */
  static LlmCall failed(LlmException error) {
    CompletableFuture<ChatResponse> failed = CompletableFuture.failedFuture(error);
    return new LlmCall() {
      @Override
      public CompletionStage<ChatResponse> result() {
        return failed;
      }

      @Override
      public void cancel() {}
    };
  }

  void begin() {
    runAttempt(1);
  }

  @Override
  public CompletionStage<ChatResponse> result() {
    // the future itself, not a derived stage, so callbacks see the LlmException unwrapped
    return result;
  }

  @Override
  public void cancel() {
    int attemptNumber;
    synchronized (lock) {
      if (finished) return;
      finished = true;
      attemptNumber = current == null ? 0 : current.number;
      if (current != null) current.settled = true;
      stopTimerAndStream();
    }
    log.info("llm request cancelled alias={} model={} attempt={} duration_ms={}", endpoint.alias(),
        endpoint.model(), attemptNumber, elapsedMs(callStart));
    result.completeExceptionally(new LlmException(prefix() + " call cancelled", true));
  }

  private void runAttempt(int number) {
    Attempt attempt = new Attempt(number);
    synchronized (lock) {
      if (finished) return;
      current = attempt;
      timer = null;
      stream = null;
    }
    log.info("llm request start alias={} model={} attempt={} messages={} tools={}", endpoint.alias(),
        endpoint.model(), number, request.messages().size(), request.tools().size());
    CompletionStage<HttpResponse> pending;
    try {
      pending = http.singleRequest(httpRequest, https, pool, akkaLog);
    } catch (RuntimeException e) {
      fail(attempt, AttemptFailure.retryable("could not send the request: " + describe(e)));
      return;
    }
    Cancellable headerTimer = system.classicSystem().scheduler().scheduleOnce(timeout,
        () -> fail(attempt, AttemptFailure.retryable("no response within " + human(timeout))),
        system.executionContext());
    synchronized (lock) {
      if (isCurrent(attempt)) timer = headerTimer;
    }
    pending.whenCompleteAsync((response, error) -> {
      headerTimer.cancel();
      if (!isCurrent(attempt)) {
        if (response != null) response.discardEntityBytes(system.classicSystem());
        return;
      }
      if (error != null) {
        fail(attempt, AttemptFailure.retryable("cannot connect to " + endpoint.url() + ": " + describe(error)));
      } else {
        onResponse(attempt, response);
      }
    }, executor);
  }

  private void onResponse(Attempt attempt, HttpResponse response) {
    int status = response.status().intValue();
    if (status >= 200 && status < 300) {
      MediaType type = response.entity().getContentType().mediaType();
      boolean json = type.isApplication() && (type.subType().equals("json") || type.subType().endsWith("+json"));
      consume(attempt, response, json);
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
          fail(attempt, transientStatus ? AttemptFailure.retryable(reason, retryAfter) : AttemptFailure.fatal(reason));
          return null;
        }, executor);
  }

  /** Reads the body through an idle timeout (bounding every gap) and a kill switch (for cancel). */
  private void consume(Attempt attempt, HttpResponse response, boolean json) {
    ChatCompletionAssembler assembler = new ChatCompletionAssembler(onTextDelta);
    SseParser sse = new SseParser();
    ByteStringBuilder whole = json ? new ByteStringBuilder() : null;
    // the first bytes of an SSE body, to show what arrived when it turns out not to be an event stream
    ByteStringBuilder head = new ByteStringBuilder();
    String contentType = response.entity().getContentType().toString();
    Consumer<ByteString> onBytes = bytes -> {
      if (!isCurrent(attempt)) return;
      if (json) {
        whole.append(bytes);
        return;
      }
      if (head.length() < BODY_EXCERPT) head.append(bytes.take(BODY_EXCERPT - head.length()));
      for (String data : sse.feed(bytes.toArray())) assembler.acceptData(data);
      // [DONE] ends the reply even if the server is slow to close the body; the rest drains unread
      if (assembler.sawDone()) succeed(attempt, assembler.response());
    };
    Pair<UniqueKillSwitch, CompletionStage<Done>> running = response.entity().withoutSizeLimit().getDataBytes()
        .idleTimeout(timeout)
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.foreach(onBytes::accept), Keep.both())
        .run(materializer);
    synchronized (lock) {
      if (isCurrent(attempt)) {
        stream = running.first();
      } else {
        running.first().abort(new CancellationException("attempt superseded"));
        return;
      }
    }
    running.second().whenCompleteAsync((done, error) -> {
      if (!isCurrent(attempt)) return;
      try {
        Throwable cause = error == null ? null : unwrap(error);
        if (cause instanceof AttemptFailure failure) {
          fail(attempt, failure);
        } else if (cause != null && !(!json && assembler.complete())) {
          fail(attempt, streamFailure(cause));
        } else if (json) {
          finishJson(attempt, assembler, sse, whole.result().decodeString(StandardCharsets.UTF_8));
        } else {
          // also reached when the connection broke after the finish reason: nothing of the reply was lost
          if (cause == null) for (String data : sse.finish()) assembler.acceptData(data);
          if (assembler.dataEvents() == 0) {
            throw AttemptFailure.retryable("the response was not an event stream (Content-Type " + contentType + "): "
                + Excerpts.of(Excerpts.redact(head.result().decodeString(StandardCharsets.UTF_8), endpoint.apiKey()),
                    120));
          }
          finishStream(attempt, assembler);
        }
      } catch (AttemptFailure failure) {
        fail(attempt, failure);
      } catch (RuntimeException bug) {
        fail(attempt, AttemptFailure.fatal("could not read the response: " + describe(bug)));
      }
    }, executor);
  }

  private void finishJson(Attempt attempt, ChatCompletionAssembler assembler, SseParser sse, String body) {
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (Exception notJson) {
      String trimmed = body.stripLeading();
      if (trimmed.startsWith("data:") || trimmed.startsWith(":")) {
        // a server that streams SSE but labels it application/json
        for (String data : sse.feed(body.getBytes(StandardCharsets.UTF_8))) assembler.acceptData(data);
        for (String data : sse.finish()) assembler.acceptData(data);
        finishStream(attempt, assembler);
        return;
      }
      throw AttemptFailure.retryable("the response body is not valid JSON: "
          + Excerpts.of(Excerpts.redact(body, endpoint.apiKey()), 120));
    }
    if (root == null || !root.isObject()) {
      throw AttemptFailure.retryable("the response body is not a JSON object: " + Excerpts.of(body, 120));
    }
    assembler.acceptCompletion(root);
    succeed(attempt, assembler.response());
  }

  private void finishStream(Attempt attempt, ChatCompletionAssembler assembler) {
    if (!assembler.complete()) {
      throw AttemptFailure.retryable("the stream ended before the reply was complete (no finish_reason or [DONE])");
    }
    succeed(attempt, assembler.response());
  }

  private AttemptFailure streamFailure(Throwable error) {
    if (error instanceof TimeoutException) return AttemptFailure.retryable("the stream stalled: no data for " + human(timeout));
    return AttemptFailure.retryable("the stream was cut: " + describe(error));
  }

  private void succeed(Attempt attempt, ChatResponse response) {
    synchronized (lock) {
      if (!isCurrent(attempt)) return;
      attempt.settled = true;
      finished = true;
      timer = null;
      stream = null;
    }
    log.info("llm request done alias={} model={} attempt={} duration_ms={} prompt_tokens={} completion_tokens={} "
            + "cached_tokens={} finish={}", endpoint.alias(), endpoint.model(), attempt.number,
        elapsedMs(attempt.startNanos), response.usage().promptTokens(), response.usage().completionTokens(),
        response.usage().cachedTokens(), response.finishReason());
    result.complete(response);
  }

  private void fail(Attempt attempt, AttemptFailure failure) {
    String reason = Excerpts.redact(failure.reason(), endpoint.apiKey());
    synchronized (lock) {
      if (!isCurrent(attempt)) return;
      attempt.settled = true;
      stopTimerAndStream();
      if (failure.isRetryable() && attempt.number <= retry.maxRetries()) {
        Duration delay = RetryDelays.next(retry, attempt.number, failure.retryAfter(),
            () -> ThreadLocalRandom.current().nextDouble());
        int next = attempt.number + 1;
        timer = system.classicSystem().scheduler().scheduleOnce(delay, () -> runAttempt(next),
            system.executionContext());
        log.warn("llm request retry alias={} model={} attempt={} duration_ms={} next_in_ms={} reason={}",
            endpoint.alias(), endpoint.model(), attempt.number, elapsedMs(attempt.startNanos), delay.toMillis(),
            reason);
        return;
      }
      finished = true;
    }
    log.warn("llm request failed alias={} model={} attempt={} duration_ms={} reason={}", endpoint.alias(),
        endpoint.model(), attempt.number, elapsedMs(callStart), reason);
    String attempts = attempt.number == 1 ? "" : " after " + attempt.number + " attempts";
    result.completeExceptionally(new LlmException(prefix() + " failed" + attempts + ": " + reason));
  }

  private boolean isCurrent(Attempt attempt) {
    synchronized (lock) {
      return !finished && current == attempt && !attempt.settled;
    }
  }

  private void stopTimerAndStream() {
    if (timer != null) timer.cancel();
    if (stream != null) stream.abort(new CancellationException("model call attempt stopped"));
    timer = null;
    stream = null;
  }

  private String prefix() {
    return "model '" + endpoint.alias() + "' (" + endpoint.model() + ")";
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

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static String describe(Throwable error) {
    Throwable e = unwrap(error);
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

  private static long elapsedMs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static final class Attempt {
    final int number;
    final long startNanos = System.nanoTime();
    boolean settled;

    Attempt(int number) {
      this.number = number;
    }
  }
}
