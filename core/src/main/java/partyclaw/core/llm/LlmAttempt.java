package partyclaw.core.llm;

import java.util.concurrent.CompletionStage;

/**
 * One HTTP attempt at a model call, in flight. {@link #result()} completes exactly once: with the response, or
 * failed with an {@link AttemptFailure}. {@link #abort()} ends the attempt at once (closing its stream); it is a
 * no-op once the result is in. Callbacks that arrive after the result is settled are discarded.
 */
public interface LlmAttempt {
  CompletionStage<ChatResponse> result();

  void abort();
}
