package partyclaw.core.llm;

import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Usage;

/**
 * The assembled assistant message (text and tool calls), its usage and the finish reason. {@code responseId}: the
 * id a Responses API provider gave the reply (for {@code previous_response_id}); null for Chat Completions.
 * {@code generatedImages}: base64 images a provider's native image generation returned (saved by the client).
 */
public record ChatResponse(ChatMessage message, Usage usage, String finishReason, String responseId,
    java.util.List<String> generatedImages) {
  public ChatResponse {
    generatedImages = generatedImages == null ? java.util.List.of() : java.util.List.copyOf(generatedImages);
  }

  public ChatResponse(ChatMessage message, Usage usage, String finishReason, String responseId) {
    this(message, usage, finishReason, responseId, java.util.List.of());
  }

  public ChatResponse(ChatMessage message, Usage usage, String finishReason) {
    this(message, usage, finishReason, null, java.util.List.of());
  }
}
