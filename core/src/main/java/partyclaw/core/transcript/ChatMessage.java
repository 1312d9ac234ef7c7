package partyclaw.core.transcript;

import java.util.List;

/**
 * One message of the model's context in OpenAI chat shape. Immutable; journal events carry these,
 * so the transcript the model sees is a pure function of the events.
 */
public record ChatMessage(Role role, String content, List<ToolCall> toolCalls, String toolCallId, String name) {

  public ChatMessage {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  public static ChatMessage system(String text) {
    return new ChatMessage(Role.SYSTEM, text, List.of(), null, null);
  }

  public static ChatMessage user(String text) {
    return new ChatMessage(Role.USER, text, List.of(), null, null);
  }

  public static ChatMessage assistant(String text, List<ToolCall> calls) {
    return new ChatMessage(Role.ASSISTANT, text, calls, null, null);
  }

  public static ChatMessage toolResult(ToolCall call, String content) {
    return new ChatMessage(Role.TOOL, content, List.of(), call.id(), call.name());
  }

  public boolean hasToolCalls() {
    return !toolCalls.isEmpty();
  }
}
