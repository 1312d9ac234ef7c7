package partyclaw.actors.conversation;

import akka.actor.typed.javadsl.ActorContext;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.ModelCatalog;
import partyclaw.actors.context.Compactor;
import partyclaw.actors.conversation.ConversationEntity.Command;
import partyclaw.actors.conversation.ConversationEntity.CompactionFinished;
import partyclaw.actors.conversation.ConversationEntity.Event;
import partyclaw.actors.conversation.ConversationEntity.PromptPrepared;
import partyclaw.actors.conversation.ConversationEntity.PromptPreparationFailed;
import partyclaw.actors.conversation.ConversationEntity.TurnFinished;

/**
 * The conversation's command handlers for its context: preparing the system prompt, running and applying
 * compactions, idle compaction. Part of {@link ConversationEntity} (same effects, same thread), kept apart so the
 * entity stays readable.
 */
final class ContextHandlers {
  private final String conversationId;
  private final ConversationRuntime rt;
  private final ActorContext<Command> ctx;
  private final ContextRunner context;
  private final TurnActivities activities;
  private final Supplier<EffectFactories<Event, ConversationState>> effects;
  private final Consumer<ConversationState> afterChange;

  ContextHandlers(String conversationId, ConversationRuntime rt, ActorContext<Command> ctx, ContextRunner context,
      TurnActivities activities, Supplier<EffectFactories<Event, ConversationState>> effects,
      Consumer<ConversationState> afterChange) {
    this.conversationId = conversationId;
    this.rt = rt;
    this.ctx = ctx;
    this.context = context;
    this.activities = activities;
    this.effects = effects;
    this.afterChange = afterChange;
  }

  private Texts texts() {
    return Texts.of(rt.language());
  }

  private EffectFactories<Event, ConversationState> effect() {
    return effects.get();
  }

  private ReplyEffect<Event, ConversationState> persistAndGoOn(PendingEvents pending) {
    return effect().persist(pending.events()).thenRun(afterChange::accept).thenNoReply();
  }

  /** Starts the pending compaction with the model it names (the previous one, before a switch) or the current one. */
  ReplyEffect<Event, ConversationState> startCompaction(ConversationState s) {
    ContextState.PendingCompaction pending = s.context().pending();
    Optional<ModelCatalog.Entry> model = Optional.ofNullable(pending.modelAlias())
        .map(a -> rt.models().models().get(a))
        .or(() -> rt.models().resolve(s.settings().modelAlias()));
    if (model.isEmpty()) {
      return persistAndGoOn(ContextCommands.finished(s, pending, new Compactor.Failed("no model is configured"), texts()));
    }
    return effect().none().thenRun(st -> context.startCompaction(st, pending, model.get())).thenNoReply();
  }

  ReplyEffect<Event, ConversationState> onCompactionFinished(ConversationState s, CompactionFinished cmd) {
    ContextState.PendingCompaction pending = s.context().pending();
    boolean shrank = cmd.result() instanceof Compactor.Compacted;
    if (pending == null || !pending.compactionId().equals(cmd.compactionId())
        || !context.compactionEnded(cmd.compactionId(), s, shrank)) {
      return effect().noReply();
    }
    if (cmd.result() instanceof Compactor.Failed f) {
      ctx.getLog().warn("conversation {}: compaction {} failed: {}", conversationId, cmd.compactionId(), f.error());
    } else if (cmd.result() instanceof Compactor.Compacted c) {
      ctx.getLog().info("conversation {}: compaction {} replaced {} messages (~{} -> ~{} tokens, rollout {})",
          conversationId, cmd.compactionId(), c.replacedCount(), c.tokensBefore(), c.tokensAfter(), c.rolloutId());
    }
    return effect().persist(ContextCommands.finished(s, pending, cmd.result(), texts()).events())
        .thenRun(context::forget)
        .thenRun(afterChange::accept).thenNoReply();
  }

  ReplyEffect<Event, ConversationState> onPromptPrepared(ConversationState s, PromptPrepared cmd) {
    ContextRunner.Prepared p = cmd.prepared();
    boolean current = s.turn() != null && s.turn().turnId().equals(p.turnId());
    List<Event> events = current ? ContextRunner.promptEvents(s, p) : List.of();
    return effect().persist(events)
        .thenRun(st -> context.prepared(p.turnId(), current))
        .thenRun(afterChange::accept).thenNoReply();
  }

  /** Reading the prompt's sources failed (not a missing file: those are empty): the turn fails, the message stays. */
  ReplyEffect<Event, ConversationState> onPromptPreparationFailed(ConversationState s, PromptPreparationFailed cmd) {
    ctx.getLog().error("conversation {}: preparing the system prompt failed: {}", conversationId, cmd.error());
    if (s.turn() == null || !s.turn().turnId().equals(cmd.turnId())) {
      return effect().none().thenRun(st -> context.prepared(cmd.turnId(), false)).thenNoReply();
    }
    String text = "⚠️ Could not prepare the system prompt: " + cmd.error()
        + "\nYour message is saved in the conversation; send a new message to try again.";
    return effect().persist(new PendingEvents(s).add(new TurnFinished(cmd.turnId(), TurnOutcome.FAILED, cmd.error(),
            Instant.now())).tell(OutboundKind.ERROR, text).events())
        .thenRun(st -> context.prepared(cmd.turnId(), false))
        .thenRun(st -> activities.finished(cmd.turnId(), TurnOutcome.FAILED))
        .thenRun(afterChange::accept).thenNoReply();
  }

  ReplyEffect<Event, ConversationState> onIdleCompactionDue(ConversationState s) {
    if (!s.quiet() || !idleCompactionDue(s)) return effect().none().thenRun(afterChange::accept).thenNoReply();
    return persistAndGoOn(ContextCommands.request(new PendingEvents(s), CompactionReason.IDLE, null));
  }

  /**
   * Idle compaction (runtime.md §4.2) for any model, not only the reference's OpenRouter Claude: enabled, new turns
   * since the last compaction, and the context at least {@code idle_compaction.min_ratio} of the window.
   */
  boolean idleCompactionDue(ConversationState s) {
    if (!rt.context().idle().enabled() || !context.compressionOn(s) || s.context().lastAgentActivityAt() == null
        || s.turnCount() <= s.context().turnsAtLastCompaction()) {
      return false;
    }
    Optional<ModelCatalog.Entry> model = rt.models().resolve(s.settings().modelAlias());
    if (model.isEmpty()) return false;
    ContextRunner.Estimate e = context.estimate(s, model.get());
    return e.tokens() >= rt.context().budget(e.window()).minimumFor(rt.context().idle().minRatio());
  }

  /** The provider's cache lifetime minus 30 s (runtime.md §4.2), counted from the end of the last turn. */
  Duration idleCompactionDelay(ConversationState s) {
    Duration ttl = rt.models().resolve(s.settings().modelAlias()).map(ModelCatalog.Entry::cacheTtl)
        .orElse(Duration.ofMinutes(5));
    Duration idleFor = Duration.between(s.context().lastAgentActivityAt(), Instant.now());
    Duration delay = ttl.minusSeconds(30).minus(idleFor);
    return delay.isNegative() ? Duration.ZERO : delay;
  }
}
