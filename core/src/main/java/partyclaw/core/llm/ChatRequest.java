package partyclaw.core.llm;

import java.nio.file.Path;
import java.util.List;
import partyclaw.core.transcript.ChatMessage;

/**
 * One chat-completions request: the whole context, the tools offered, an optional reasoning effort, and an optional
 * cap on the answer ({@code max_completion_tokens}; null = not sent, the provider's default applies).
 * {@code mediaRoot}: the workspace root that relative media paths of the messages' parts resolve against, and where
 * media the model cannot take is saved (null: paths are taken as they are).
 */
public record ChatRequest(List<ChatMessage> messages, List<ToolSpec> tools, String reasoningEffort,
    Integer maxCompletionTokens, Path mediaRoot) {
  public ChatRequest {
    messages = List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
    if (maxCompletionTokens != null && maxCompletionTokens <= 0) {
      throw new IllegalArgumentException("maxCompletionTokens must be positive, got " + maxCompletionTokens);
    }
  }

  public ChatRequest(List<ChatMessage> messages, List<ToolSpec> tools, String reasoningEffort,
      Integer maxCompletionTokens) {
    this(messages, tools, reasoningEffort, maxCompletionTokens, null);
  }

  public ChatRequest(List<ChatMessage> messages, List<ToolSpec> tools, String reasoningEffort) {
    this(messages, tools, reasoningEffort, null, null);
  }

  public ChatRequest withMediaRoot(Path root) {
    return new ChatRequest(messages, tools, reasoningEffort, maxCompletionTokens, root);
  }

  public ChatRequest withMessages(List<ChatMessage> replaced) {
    return new ChatRequest(replaced, tools, reasoningEffort, maxCompletionTokens, mediaRoot);
  }
}
