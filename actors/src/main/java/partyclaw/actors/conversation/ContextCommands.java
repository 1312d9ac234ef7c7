package partyclaw.actors.conversation;

import java.time.Instant;
import java.util.UUID;
import partyclaw.actors.context.Compactor;
import partyclaw.actors.conversation.ContextState.PendingCompaction;

/** Turns compaction requests and results into the conversation's events and the user's answers. */
final class ContextCommands {

  private ContextCommands() {}

  static PendingEvents request(PendingEvents pending, CompactionReason reason, String modelAlias) {
    return pending.add(new ConversationEntity.CompactionRequested(UUID.randomUUID().toString(), reason, modelAlias,
        Instant.now()));
  }

  /** One atomic write: the compaction applied (or abandoned) and, where a user asked for it, the answer. */
  static PendingEvents finished(ConversationState s, PendingCompaction p, Compactor.Result result, Texts t) {
    PendingEvents pending = new PendingEvents(s);
    boolean userAsked = p.reason() == CompactionReason.MANUAL || p.reason() == CompactionReason.MODEL_SWITCH;
    if (result instanceof Compactor.Compacted c) {
      pending.add(new ConversationEntity.ContextCompacted(p.compactionId(), p.reason(), c.replacedCount(),
          c.replacement(), c.tokensBefore(), c.tokensAfter(), c.rolloutId(), Instant.now()));
      if (userAsked) {
        pending.tell(OutboundKind.COMMAND, t.get("compaction.done", String.valueOf(c.tokensBefore()),
            String.valueOf(c.tokensAfter())));
      }
      return pending;
    }
    if (result instanceof Compactor.NothingToCompact) {
      pending.add(new ConversationEntity.CompactionAbandoned(p.compactionId(), false,
          "nothing is older than the verbatim recent part"));
      if (userAsked) pending.tell(OutboundKind.COMMAND, t.get("compaction.notNeeded"));
      return pending;
    }
    String error = ((Compactor.Failed) result).error();
    pending.add(new ConversationEntity.CompactionAbandoned(p.compactionId(), true, error));
    return pending.tell(OutboundKind.NOTICE, "⚠️ Context compaction failed: " + error
        + (s.turn() != null ? "\nThe turn goes on with the full context." : ""));
  }
}
