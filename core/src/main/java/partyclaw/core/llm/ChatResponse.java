package partyclaw.core.llm;

import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Usage;

/**
 * The assembled assistant message (text and tool calls), its usage and the finish reason. {@code responseId}: the
 * id a Responses API provider gave the reply (for {@code previous_response_id}); null for Chat Completions.
 */
public record ChatResponse(ChatMessage message, Usage usage, String finishReason, String responseId) {
  public ChatResponse(ChatMessage message, Usage usage, String finishReason) {
    this(message, usage, finishReason, null);
  }
}
