package partyclaw.core.llm;

import java.util.function.Consumer;

/** Starts model calls. The production implementation is {@link OpenAiChatClient}; tests may substitute their own. */
public interface ChatClient {
  /**
   * Starts a streaming call. {@code onTextDelta} receives assistant text as it arrives (may be called
   * from any thread; may be a no-op). Retries of transient failures happen inside the call.
   */
  LlmCall start(LlmEndpoint endpoint, ChatRequest request, Consumer<String> onTextDelta);
}
