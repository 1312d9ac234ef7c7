package partyclaw.core.llm;

import java.util.concurrent.CompletionStage;

/** A model call in flight. {@link #cancel()} aborts the HTTP stream; the result then fails with {@link LlmException}. */
public interface LlmCall {
  CompletionStage<ChatResponse> result();

  void cancel();
}
