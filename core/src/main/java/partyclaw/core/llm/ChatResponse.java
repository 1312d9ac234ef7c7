package partyclaw.core.llm;

import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Usage;

/** The assembled assistant message (text and tool calls), its usage and the finish reason. */
public record ChatResponse(ChatMessage message, Usage usage, String finishReason) {}
