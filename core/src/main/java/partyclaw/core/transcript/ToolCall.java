package partyclaw.core.transcript;

/** One function call the model asked for; {@code arguments} is the raw JSON string exactly as streamed. */
public record ToolCall(String id, String name, String arguments) {}
