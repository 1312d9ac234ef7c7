package partyclaw.core.memory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import partyclaw.core.transcript.ChatMessage;

/** What one layered compaction replaced: the summarised messages and the summary that now stands for them. */
public record Rollout(String conversationId, Instant createdAt, LayeredSummary summary, List<ChatMessage> messages) {

  public Rollout {
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(summary, "summary");
    messages = messages == null ? List.of() : List.copyOf(messages);
  }
}
