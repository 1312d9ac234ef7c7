package partyclaw.actors.model;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import partyclaw.actors.metrics.RuntimeMetrics;
import partyclaw.actors.metrics.RuntimeMetricsExtension;
import partyclaw.core.llm.ApiBodies;
import partyclaw.core.llm.AttemptFailure;
import partyclaw.core.llm.ChatClient;
import partyclaw.core.llm.ChatRequest;
import partyclaw.core.llm.ChatResponse;
import partyclaw.core.llm.LlmAttempt;
import partyclaw.core.llm.LlmEndpoint;
import partyclaw.core.llm.RetryDelays;
import partyclaw.core.llm.RetryPolicy;
import partyclaw.core.transcript.Usage;
import partyclaw.core.util.Failures;

/**
 * One model call of a turn, as a child of its conversation: a sequence of HTTP attempts ({@link ChatClient#attempt})
 * separated by backoff, ending in exactly one {@link Outcome} unless it is cancelled. The retry loop lives here, so
 * every decision (retry or give up, when, which attempt is current) is taken on the actor's thread and the
 * attempts themselves need no locks. Messages carry their attempt's number, so a result or timer that belongs to an
 * earlier attempt is ignored. Cancel is a message; stopping the conversation stops the call and aborts its attempt.
 */
public final class ModelCall extends AbstractBehavior<ModelCall.Command> {

  public sealed interface Command {}

  /** Abort the request and any pending retry; no outcome is reported. */
  public record Cancel() implements Command {}

  private record AttemptEnded(int attempt, ChatResponse response, Throwable error) implements Command {}

  private record RetryDue(int attempt) implements Command {}

  /** Streamed text is waiting in {@link #pendingText}; one message however many SSE chunks arrived meanwhile. */
  private record TextArrived() implements Command {}

  /**
   * What the call produced: a response, or the reason it failed (never null together). {@code timedOut}: it
   * failed because the model did not answer in time (and the caller asked to hear of that at once).
   */
  public record Outcome(ChatResponse response, String error, boolean timedOut) {
    public Outcome(ChatResponse response, String error) {
      this(response, error, false);
    }
  }

  private static final String RETRY_TIMER = "retry";

  private final TimerScheduler<Command> timers;
  private final ChatClient chat;
  /** The endpoint being called: the requested model, or the fallback that took over from it. */
  private LlmEndpoint endpoint;
  private final ChatRequest request;
  private RetryPolicy retry;
  private final ModelFallbacks fallbacks;
  /** The fallbacks not tried yet, in order. */
  private final java.util.ArrayDeque<LlmEndpoint> remaining;
  /** What the user is told with the answer when a fallback gave it; null while the requested model answers. */
  private String fallbackNotice;
  private final Consumer<Outcome> report;
  private final Function<Throwable, String> describe;
  /** A timeout ends the call at once instead of retrying: the caller compacts the context and asks again. */
  private final boolean stopOnTimeout;
  private final long startNanos = System.nanoTime();
  private final RuntimeMetrics metrics;
  /** When the current attempt started, for the request-duration histogram. */
  private long attemptStartNanos;
  /** The number of the latest attempt started (1-based). */
  private int attempt;
  /** The attempt in flight; null while a retry is pending or once the call has ended. */
  private LlmAttempt current;
  /** Receives streamed assistant text ({@code attempt, text}) on this actor's thread; never part of the outcome. */
  private final BiConsumer<Integer, String> onTextDelta;
  /** Text the client streamed since the last flush, from its thread; guarded by itself. */
  private final StringBuilder pendingText = new StringBuilder();
  private int pendingAttempt;
  private boolean flushQueued;

  /**
   * Starts attempt 1 at once. {@code describe} words a failure that is not an {@link AttemptFailure} (a defect of
   * the client) for the user.
   */
  public static <R> Behavior<Command> create(ChatClient chat, LlmEndpoint endpoint, ChatRequest request,
      ActorRef<R> reportTo, Function<Outcome, R> adapt, Function<Throwable, String> describe) {
    return create(chat, endpoint, request, reportTo, adapt, describe, false);
  }

  /** As above; with {@code stopOnTimeout} a timed-out attempt ends the call with {@link Outcome#timedOut()}. */
  public static <R> Behavior<Command> create(ChatClient chat, LlmEndpoint endpoint, ChatRequest request,
      ActorRef<R> reportTo, Function<Outcome, R> adapt, Function<Throwable, String> describe, boolean stopOnTimeout) {
    return create(chat, endpoint, request, reportTo, adapt, describe, stopOnTimeout, (attempt, text) -> {});
  }

  /**
   * As above; {@code onTextDelta} gets the assistant text as it streams ({@code attempt, text}), on this actor's
   * thread, chunks that arrived together coalesced into one call. A retry's first delta has a higher attempt.
   */
  public static <R> Behavior<Command> create(ChatClient chat, LlmEndpoint endpoint, ChatRequest request,
      ActorRef<R> reportTo, Function<Outcome, R> adapt, Function<Throwable, String> describe, boolean stopOnTimeout,
      BiConsumer<Integer, String> onTextDelta) {
    // Its log lines also go to logs/api/<upstream model>.jsonl.
    return Behaviors.withMdc(Command.class, java.util.Map.of("log_stream", "api", "log_key", endpoint.model()),
        Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new ModelCall(ctx, timers, chat, endpoint,
            request, outcome -> reportTo.tell(adapt.apply(outcome)), describe, stopOnTimeout, onTextDelta)
            .startAttempt(1))));
  }

  private ModelCall(ActorContext<Command> ctx, TimerScheduler<Command> timers, ChatClient chat, LlmEndpoint endpoint,
      ChatRequest request, Consumer<Outcome> report, Function<Throwable, String> describe, boolean stopOnTimeout,
      BiConsumer<Integer, String> onTextDelta) {
    super(ctx);
    this.onTextDelta = onTextDelta;
    this.timers = timers;
    this.chat = chat;
    this.endpoint = endpoint;
    this.request = request;
    this.retry = endpoint.retry() == null ? RetryPolicy.NONE : endpoint.retry();
    this.report = report;
    this.describe = describe;
    this.stopOnTimeout = stopOnTimeout;
    this.metrics = RuntimeMetricsExtension.of(ctx.getSystem());
    this.fallbacks = ModelFallbacks.of(ctx.getSystem());
    this.remaining = new java.util.ArrayDeque<>(fallbacks.chain(endpoint.alias()));
    // a model that failed over a moment ago is not waited for again until its cool-down ends
    while (!remaining.isEmpty() && fallbacks.failing(this.endpoint.alias(), java.time.Instant.now())) {
      LlmEndpoint next = remaining.poll();
      ctx.getLog().info("llm call skips model alias={} (failed over recently); using alias={}",
          this.endpoint.alias(), next.alias());
      switchTo(next);
    }
  }

  private void switchTo(LlmEndpoint next) {
    endpoint = next;
    retry = next.retry() == null ? RetryPolicy.NONE : next.retry();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(AttemptEnded.class, this::onAttemptEnded)
        .onMessage(RetryDue.class, this::onRetryDue)
        .onMessage(TextArrived.class, t -> {
          flushText();
          return this;
        })
        .onMessage(Cancel.class, c -> onCancel())
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  /** {@code AGENT_FRAME_LOG_API_BODIES}: how much of request and reply bodies the api log stream gets. */
  private static final ApiBodies.Mode BODIES = ApiBodies.mode(System.getenv("AGENT_FRAME_LOG_API_BODIES"));

  private Behavior<Command> startAttempt(int number) {
    attempt = number;
    attemptStartNanos = System.nanoTime();
    if (getContext().getLog().isInfoEnabled()) {
      String body = ApiBodies.request(BODIES, endpoint, request);
      getContext().getLog().info("llm request alias={} model={} url={} attempt={} messages={} tools={}{}",
          endpoint.alias(), endpoint.model(), endpoint.url(), number, request.messages().size(),
          request.tools().size(), body == null ? "" : " body=" + body);
    }
    try {
      ActorRef<Command> self = getContext().getSelf();
      current = chat.attempt(endpoint, request, delta -> textArrived(self, number, delta));
    } catch (RuntimeException defect) {
      return fail(describe.apply(defect));
    }
    getContext().pipeToSelf(current.result(), (response, error) -> new AttemptEnded(number, response, error));
    return this;
  }

  private Behavior<Command> onAttemptEnded(AttemptEnded ended) {
    if (ended.attempt() != attempt || current == null) {
      getContext().getLog().debug("llm request result of superseded attempt {} ignored (current {})",
          ended.attempt(), attempt);
      return this;
    }
    flushText(); // what streamed before the end reaches the channel before the outcome
    current = null;
    recordAttempt(ended.response());
    if (ended.response() != null) {
      if (getContext().getLog().isInfoEnabled()) {
        Usage u = ended.response().usage();
        String body = ApiBodies.reply(BODIES, ended.response().message());
        getContext().getLog().info("llm response alias={} model={} attempt={} duration_ms={} finish_reason={} "
            + "prompt_tokens={} completion_tokens={} cached_tokens={}{}", endpoint.alias(), endpoint.model(), attempt,
            (System.nanoTime() - attemptStartNanos) / 1_000_000, ended.response().finishReason(),
            u == null ? 0 : u.promptTokens(), u == null ? 0 : u.completionTokens(), u == null ? 0 : u.cachedTokens(),
            body == null ? "" : " body=" + body);
      }
      fallbacks.markHealthy(endpoint.alias());
      report.accept(new Outcome(withNotice(ended.response()), null));
      return Behaviors.stopped();
    }
    Throwable error = Failures.unwrap(ended.error());
    if (!(error instanceof AttemptFailure failure)) return fail(describe.apply(error));
    if (stopOnTimeout && failure.isTimeout()) return fail(failure.reason(), true);
    if (failure.isRetryable() && attempt <= retry.maxRetries()) {
      Duration delay = RetryDelays.next(retry, attempt, failure.retryAfter().orElse(null),
          () -> ThreadLocalRandom.current().nextDouble());
      getContext().getLog().warn("llm request retry alias={} model={} attempt={} next_in_ms={} reason={}",
          endpoint.alias(), endpoint.model(), attempt, delay.toMillis(), failure.reason());
      timers.startSingleTimer(RETRY_TIMER, new RetryDue(attempt + 1), delay);
      return this;
    }
    return fail(failure.reason());
  }

  /** From the HTTP client's thread: buffers the text and wakes the actor once for however much arrives meanwhile. */
  private void textArrived(ActorRef<Command> self, int number, String delta) {
    if (delta == null || delta.isEmpty()) return;
    synchronized (pendingText) {
      if (number != pendingAttempt) {
        pendingText.setLength(0); // a superseded attempt's leftovers are not shown
        pendingAttempt = number;
      }
      pendingText.append(delta);
      if (flushQueued) return;
      flushQueued = true;
    }
    self.tell(new TextArrived());
  }

  private void flushText() {
    String text;
    int number;
    synchronized (pendingText) {
      flushQueued = false;
      if (pendingText.length() == 0) return;
      text = pendingText.toString();
      number = pendingAttempt;
      pendingText.setLength(0);
    }
    if (number != attempt || current == null) return; // a stale attempt's text
    try {
      onTextDelta.accept(number, text);
    } catch (RuntimeException e) {
      getContext().getLog().warn("streamed text could not be passed on: {}", e.toString()); // display only
    }
  }

  private void recordAttempt(ChatResponse response) {
    metrics.modelRequest(endpoint.alias(), Duration.ofNanos(System.nanoTime() - attemptStartNanos), response != null);
    Usage usage = response == null ? null : response.usage();
    if (usage != null) {
      metrics.modelTokens(endpoint.alias(), usage.promptTokens(), usage.completionTokens(), usage.cachedTokens());
    }
  }

  private Behavior<Command> onRetryDue(RetryDue due) {
    if (due.attempt() != attempt + 1 || current != null) return this;
    return startAttempt(due.attempt());
  }

  private Behavior<Command> fail(String reason) {
    return fail(reason, false);
  }

  private Behavior<Command> fail(String reason, boolean timedOut) {
    current = null;
    if (!timedOut && !remaining.isEmpty()) {
      LlmEndpoint failed = endpoint;
      LlmEndpoint next = remaining.poll();
      String attempts = attempt <= 1 ? "" : " after " + attempt + " attempts";
      getContext().getLog().warn("llm call fails over alias={} model={} attempts={} reason={} next_alias={}",
          failed.alias(), failed.model(), attempt, reason, next.alias());
      fallbacks.markFailing(failed.alias(), java.time.Instant.now());
      if (fallbackNotice == null) {
        fallbackNotice = "(Model '" + failed.alias() + "' failed" + attempts + ": " + reason + " — model '"
            + next.alias() + "' answered instead.)";
      }
      switchTo(next);
      return startAttempt(1);
    }
    getContext().getLog().warn("llm call failed alias={} model={} attempts={} duration_ms={} reason={}",
        endpoint.alias(), endpoint.model(), attempt, elapsedMs(), reason);
    String attempts = attempt <= 1 ? "" : " after " + attempt + " attempts";
    report.accept(new Outcome(null, prefix() + " failed" + attempts + ": " + reason, timedOut));
    return Behaviors.stopped();
  }

  /** The answer with the fallback notice before its text: the user hears once which model stood in, and why. */
  private ChatResponse withNotice(ChatResponse response) {
    if (fallbackNotice == null) return response;
    partyclaw.core.transcript.ChatMessage m = response.message();
    String text = m.content() == null || m.content().isEmpty() ? fallbackNotice : fallbackNotice + "\n\n" + m.content();
    return new ChatResponse(new partyclaw.core.transcript.ChatMessage(m.role(), text, m.toolCalls(), m.toolCallId(),
        m.name(), m.parts()), response.usage(), response.finishReason(), response.responseId());
  }

  private Behavior<Command> onCancel() {
    timers.cancel(RETRY_TIMER);
    if (current != null) current.abort();
    current = null;
    getContext().getLog().info("llm request cancelled alias={} model={} attempt={} duration_ms={}",
        endpoint.alias(), endpoint.model(), attempt, elapsedMs());
    return Behaviors.stopped();
  }

  private Behavior<Command> onPostStop() {
    // the conversation stopped (or the call ended, when this is a no-op): the attempt must not outlive it
    if (current != null) current.abort();
    return this;
  }

  private String prefix() {
    return "model '" + endpoint.alias() + "' (" + endpoint.model() + ")";
  }

  private long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
