package partyclaw.core.transcript;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One message of the model's context in OpenAI chat shape. Immutable; journal events carry these,
 * so the transcript the model sees is a pure function of the events.
 *
 * <p>{@code parts}: media of a user message (images, PDFs, audio) as file references, encoded for the provider only
 * when a request is built. Written only when present, so events of text-only messages keep their old shape, and
 * events written before parts existed read back with none.
 */
public record ChatMessage(Role role, String content, List<ToolCall> toolCalls, String toolCallId, String name,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ContentPart> parts) {

  @JsonCreator
  public ChatMessage {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    parts = parts == null ? List.of() : List.copyOf(parts);
  }

  public ChatMessage(Role role, String content, List<ToolCall> toolCalls, String toolCallId, String name) {
    this(role, content, toolCalls, toolCallId, name, List.of());
  }

  public static ChatMessage system(String text) {
    return new ChatMessage(Role.SYSTEM, text, List.of(), null, null);
  }

  public static ChatMessage user(String text) {
    return new ChatMessage(Role.USER, text, List.of(), null, null);
  }

  /** A user message with media parts after its text. */
  public static ChatMessage user(String text, List<ContentPart> parts) {
    return new ChatMessage(Role.USER, text, List.of(), null, null, parts);
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

  public boolean hasParts() {
    return !parts.isEmpty();
  }
}
