package partyclaw.core.llm;

import java.util.function.Consumer;

/**
 * Makes single attempts at model calls; retrying is the caller's business (the {@code ModelCall} actor). The
 * production implementation is {@link OpenAiChatClient}; tests may substitute their own.
 */
public interface ChatClient {
  /**
   * Sends one streaming request. {@code onTextDelta} receives assistant text as it arrives (from any thread; may
   * be a no-op). The endpoint's timeout bounds the wait for the response headers and every gap in the stream.
   */
  LlmAttempt attempt(LlmEndpoint endpoint, ChatRequest request, Consumer<String> onTextDelta);
}
