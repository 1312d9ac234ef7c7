package partyclaw.core.llm;

import java.util.List;
import partyclaw.core.transcript.ChatMessage;

/** One chat-completions request: the whole context, the tools offered, an optional reasoning effort. */
public record ChatRequest(List<ChatMessage> messages, List<ToolSpec> tools, String reasoningEffort) {
  public ChatRequest {
    messages = List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
  }
}
