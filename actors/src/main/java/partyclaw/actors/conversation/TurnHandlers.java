package partyclaw.actors.conversation;

import akka.actor.typed.javadsl.ActorContext;
import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Supplier;
import partyclaw.actors.conversation.ConversationEntity.Command;
import partyclaw.actors.conversation.ConversationEntity.Event;
import partyclaw.actors.conversation.ConversationState.Turn;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.actors.tool.ToolActor;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Usage;

/**
 * The conversation's handlers for what a turn's children report: the model call's outcome (a reply, tool calls, an
 * empty reply, a failure or a timeout that asks for a compaction) and each tool's result. Part of
 * {@link ConversationEntity} (same effects, same thread), kept apart so the entity stays readable.
 */
final class TurnHandlers {
  private final String conversationId;
  private final ActorContext<Command> ctx;
  private final TurnRunner runner;
  private final ContextRunner context;
  private final TurnActivities activities;
  private final Texts texts;
  private final Supplier<EffectFactories<Event, ConversationState>> effects;
  private final Consumer<ConversationState> afterChange;

  TurnHandlers(String conversationId, ActorContext<Command> ctx, TurnRunner runner, ContextRunner context,
      TurnActivities activities, Texts texts, Supplier<EffectFactories<Event, ConversationState>> effects,
      Consumer<ConversationState> afterChange) {
    this.texts = texts;
    this.conversationId = conversationId;
    this.ctx = ctx;
    this.runner = runner;
    this.context = context;
    this.activities = activities;
    this.effects = effects;
    this.afterChange = afterChange;
  }

  ReplyEffect<Event, ConversationState> onModelCallFinished(ConversationState s, ConversationEntity.ModelCallFinished cmd) {
    if (!runner.isCurrentModelCall(s, cmd.turnId(), cmd.round())) return effects.get().noReply();
    if (cmd.outcome().timedOut()) {
      // The model did not answer in time on this context: compact it, then ask once more (stops on no timeout).
      String key = cmd.turnId() + "#" + cmd.round();
      ctx.getLog().warn("conversation {}: {}; compacting the context and retrying once", conversationId,
          cmd.outcome().error());
      return effects.get().persist(ContextCommands.request(new PendingEvents(s), CompactionReason.TIMEOUT, null).events())
          .thenRun(st -> runner.modelCallDone())
          .thenRun(st -> context.timeoutRetryUsed(key))
          .thenRun(afterChange::accept).thenNoReply();
    }
    if (cmd.outcome().error() != null) {
      String text = texts.get("turn.modelFailed", cmd.outcome().error());
      return finishTurn(s, TurnOutcome.FAILED, cmd.outcome().error(), OutboundKind.ERROR, text);
    }
    Turn turn = s.turn();
    ChatMessage reply = TranscriptRepairs.withCallIds(cmd.outcome().response().message(), turn, s.transcript());
    Usage usage = cmd.outcome().response().usage();
    boolean hasText = reply.content() != null && !reply.content().isBlank();
    if (!hasText && !reply.hasToolCalls()) {
      if (!turn.nudged()) {
        return effects.get().persist(new ConversationEntity.TurnNudged(turn.turnId(), ChatMessage.user(ConversationEntity.EMPTY_REPLY_NUDGE)))
            .thenRun(st -> runner.modelCallDone())
            .thenRun(afterChange::accept).thenNoReply();
      }
      String text = texts.get("turn.emptyTwice");
      return finishTurn(s, TurnOutcome.FAILED, "empty model reply", OutboundKind.ERROR, text);
    }
    if (reply.hasToolCalls()) {
      return effects.get().persist(new ConversationEntity.ModelReplied(turn.turnId(), reply, usage))
          .thenRun(st -> runner.modelCallAnswered(context, usage))
          .thenRun(runner::startTools).thenNoReply();
    }
    PendingEvents pending = new PendingEvents(s).add(new ConversationEntity.ModelReplied(turn.turnId(), reply, usage))
        .tell(OutboundKind.REPLY, reply.content().strip())
        .add(new ConversationEntity.TurnFinished(turn.turnId(), TurnOutcome.COMPLETED, null, Instant.now()));
    return effects.get().persist(pending.events())
        .thenRun(st -> runner.modelCallAnswered(context, usage))
        .thenRun(st -> activities.finished(turn.turnId(), TurnOutcome.COMPLETED))
        .thenRun(afterChange::accept).thenNoReply();
  }

  /** Ends the running turn and tells the user why, in one atomic write. */
  ReplyEffect<Event, ConversationState> finishTurn(ConversationState s, TurnOutcome outcome, String detail,
      OutboundKind kind, String userText) {
    String turnId = s.turn().turnId();
    PendingEvents pending = new PendingEvents(s).add(new ConversationEntity.TurnFinished(turnId, outcome, detail, Instant.now())).tell(kind, userText);
    return effects.get().persist(pending.events())
        .thenRun(st -> runner.modelCallDone())
        .thenRun(st -> activities.finished(turnId, outcome))
        .thenRun(afterChange::accept).thenNoReply();
  }

  ReplyEffect<Event, ConversationState> onToolFinished(ConversationState s, ConversationEntity.ToolCallFinished cmd) {
    ToolActor.Report r = cmd.report();
    Turn turn = s.turn();
    boolean current = turn != null && turn.turnId().equals(r.turnId())
        && turn.unfinishedCalls().stream().anyMatch(c -> c.id().equals(r.call().id()));
    if (!current) return effects.get().none().thenRun(st -> runner.toolFinished(r.call().id())).thenNoReply();
    ResultStatus status = r.result().errored() ? ResultStatus.ERROR : ResultStatus.OK;
    return effects.get().persist(new ConversationEntity.ToolResultRecorded(turn.turnId(), r.call().id(), r.call().name(),
            r.result().content(), status))
        .thenRun(st -> runner.toolFinished(r.call().id()))
        .thenRun(st -> activities.tools(st, turn, r.call().id(), status))
        .thenRun(afterChange::accept).thenNoReply();
  }

  ReplyEffect<Event, ConversationState> onTellUser(ConversationState s, ConversationEntity.TellUser cmd) {
    if (cmd.text() == null || cmd.text().isBlank()) {
      return effects.get().reply(cmd.replyTo(), StatusReply.error("text must be a non-empty string"));
    }
    return effects.get().persist(new PendingEvents(s).tell(OutboundKind.TELL, cmd.text()).events())
        .thenRun(afterChange::accept)
        .thenReply(cmd.replyTo(), st -> StatusReply.ack());
  }

  /** A channel's report on an outbox entry: delivered, or refused for good (left out of the outbox, counted). */
  ReplyEffect<Event, ConversationState> onDeliveryReported(ConversationState s,
      ConversationEntity.DeliveryReported cmd) {
    DeliveryReport report = cmd.report();
    boolean pending = s.outbox().stream().anyMatch(o -> o.id() == report.outboundId());
    if (!pending) return effects.get().noReply();
    Event event;
    if (report instanceof DeliveryReport.Undeliverable u) {
      ctx.getLog().warn("conversation {}: reply {} is undeliverable: {}", conversationId, u.outboundId(), u.reason());
      event = new ConversationEntity.OutboundUndeliverable(u.outboundId(), u.reason());
    } else if (report instanceof DeliveryReport.Delivered) {
      event = new ConversationEntity.OutboundDelivered(report.outboundId());
    } else {
      return effects.get().noReply(); // deferred: the entity keeps it, nothing to journal
    }
    return effects.get().persist(event).thenRun(afterChange::accept).thenNoReply();
  }
}
