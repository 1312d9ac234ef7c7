package partyclaw.core.llm;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import partyclaw.core.util.Failures;

/**
 * An attempt made of stages run one after another: encoding media off the actor thread before the request goes
 * out, or a Responses request resent in full when its {@code previous_response_id} was refused. An abort reaches
 * whichever stage is in flight; a stage that starts after an abort does not start at all.
 */
final class StagedAttempt implements LlmAttempt {
  private final CompletableFuture<ChatResponse> result = new CompletableFuture<>();
  private volatile LlmAttempt current;
  /** Where a follow-up stage starts: it may block (a token refresh, encoding media). */
  private final java.util.concurrent.Executor followUps;

  StagedAttempt(java.util.concurrent.Executor followUps) {
    this.followUps = followUps;
  }

  @Override
  public CompletionStage<ChatResponse> result() {
    return result;
  }

  @Override
  public void abort() {
    if (result.completeExceptionally(AttemptFailure.fatal("the attempt was aborted"))) {
      LlmAttempt running = current;
      if (running != null) running.abort();
    }
  }

  /** Runs {@code first}; on failure {@code recover} may name a follow-up attempt (null: the failure stands). */
  StagedAttempt run(Supplier<LlmAttempt> first, Function<AttemptFailure, Supplier<LlmAttempt>> recover) {
    start(first, recover);
    return this;
  }

  /** Completes with an encoding failure: the request could not be built. */
  void fail(Throwable error) {
    Throwable cause = Failures.unwrap(error);
    result.completeExceptionally(cause instanceof AttemptFailure f ? f
        : AttemptFailure.fatal("the request cannot be built: " + cause.getMessage()));
  }

  private void start(Supplier<LlmAttempt> stage, Function<AttemptFailure, Supplier<LlmAttempt>> recover) {
    if (result.isDone()) return;
    LlmAttempt attempt;
    try {
      attempt = stage.get();
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    current = attempt;
    if (result.isDone()) {
      attempt.abort();
      return;
    }
    attempt.result().whenComplete((response, error) -> {
      if (error == null) {
        result.complete(response);
        return;
      }
      Throwable cause = Failures.unwrap(error);
      Supplier<LlmAttempt> next = recover != null && cause instanceof AttemptFailure f ? recover.apply(f) : null;
      if (next == null) {
        result.completeExceptionally(cause);
      } else {
        followUps.execute(() -> start(next, null));
      }
    });
  }
}
