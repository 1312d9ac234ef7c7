package partyclaw.core.llm;

import java.util.List;
import partyclaw.core.transcript.ChatMessage;

/**
 * One chat-completions request: the whole context, the tools offered, an optional reasoning effort, and an optional
 * cap on the answer ({@code max_completion_tokens}; null = not sent, the provider's default applies).
 */
public record ChatRequest(List<ChatMessage> messages, List<ToolSpec> tools, String reasoningEffort,
    Integer maxCompletionTokens) {
  public ChatRequest {
    messages = List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
    if (maxCompletionTokens != null && maxCompletionTokens <= 0) {
      throw new IllegalArgumentException("maxCompletionTokens must be positive, got " + maxCompletionTokens);
    }
  }

  public ChatRequest(List<ChatMessage> messages, List<ToolSpec> tools, String reasoningEffort) {
    this(messages, tools, reasoningEffort, null);
  }
}
