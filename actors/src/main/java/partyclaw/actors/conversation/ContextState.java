package partyclaw.actors.conversation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import partyclaw.actors.JsonSerializable;
import partyclaw.core.prompt.PromptNotices;

/**
 * What a conversation knows about its context beyond the transcript: the system prompt it sends (stable between
 * compactions, so providers can cache it), what the model has been told of the profile and skills, and its
 * compactions. Folded purely from events, like the rest of {@link ConversationState}.
 *
 * @param prompt the system prompt sent with every request; null until the first turn built it
 * @param pending a compaction that was asked for and has not ended; while set, no turn starts and the model is not
 *     called, so a compaction never races a turn
 * @param promptRebuildDue the prompt is rebuilt before the next model call (after a compaction or a snapshot load)
 * @param turnsAtLastCompaction the turn count when the last compaction ended (idle compaction needs new turns)
 * @param lastAgentActivityAt when the last turn ended, for the idle-gap tip
 */
public record ContextState(
    PromptState prompt,
    PendingCompaction pending,
    long compactions,
    Instant lastCompactedAt,
    long turnsAtLastCompaction,
    boolean promptRebuildDue,
    Instant lastAgentActivityAt,
    String lastCompactionProblem) implements JsonSerializable {

  public static final ContextState EMPTY = new ContextState(null, null, 0, null, 0, false, null, null);

  /**
   * @param partSizes characters per part of the prompt, in order, for /status
   * @param notified the profile and skill texts the model knows of: in the prompt, or announced since
   */
  public record PromptState(String text, String staticHash, Map<String, Integer> partSizes,
      PromptNotices.Components notified) implements JsonSerializable {
    public PromptState {
      partSizes = partSizes == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(partSizes));
      notified = notified == null ? PromptNotices.Components.EMPTY : notified;
    }
  }

  /** @param modelAlias the model that writes the summary (the previous one, for a compaction before a switch) */
  public record PendingCompaction(String compactionId, CompactionReason reason, String modelAlias, Instant at)
      implements JsonSerializable {}

  ContextState promptSet(ConversationEntity.SystemPromptSet e) {
    return new ContextState(new PromptState(e.text(), e.staticHash(), e.partSizes(), e.components()), pending,
        compactions, lastCompactedAt, turnsAtLastCompaction, false, lastAgentActivityAt, lastCompactionProblem);
  }

  ContextState noticed(PromptNotices.Components notified) {
    PromptState p = prompt == null ? null : new PromptState(prompt.text(), prompt.staticHash(), prompt.partSizes(),
        notified);
    return new ContextState(p, pending, compactions, lastCompactedAt, turnsAtLastCompaction, promptRebuildDue,
        lastAgentActivityAt, lastCompactionProblem);
  }

  ContextState requested(ConversationEntity.CompactionRequested e) {
    if (pending != null) return this;
    return new ContextState(prompt, new PendingCompaction(e.compactionId(), e.reason(), e.modelAlias(), e.at()),
        compactions, lastCompactedAt, turnsAtLastCompaction, promptRebuildDue, lastAgentActivityAt,
        lastCompactionProblem);
  }

  /** A compaction also promotes what was announced into a rebuilt prompt (runtime.md §4.5). */
  ContextState compacted(ConversationEntity.ContextCompacted e, long turnCount) {
    return new ContextState(prompt, null, compactions + 1, e.at(), turnCount, true, lastAgentActivityAt, null);
  }

  ContextState abandoned(ConversationEntity.CompactionAbandoned e) {
    return new ContextState(prompt, null, compactions, lastCompactedAt, turnsAtLastCompaction, promptRebuildDue,
        lastAgentActivityAt, e.failed() ? e.detail() : lastCompactionProblem);
  }

  ContextState agentActive(Instant at) {
    return new ContextState(prompt, pending, compactions, lastCompactedAt, turnsAtLastCompaction, promptRebuildDue,
        at, lastCompactionProblem);
  }

  ContextState promptStale() {
    return new ContextState(prompt, pending, compactions, lastCompactedAt, turnsAtLastCompaction, true,
        lastAgentActivityAt, lastCompactionProblem);
  }
}
