package partyclaw.actors.conversation;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.ModelCatalog;
import partyclaw.actors.conversation.ConversationEntity.Accepted;
import partyclaw.actors.conversation.ConversationEntity.CancelTurn;
import partyclaw.actors.conversation.ConversationEntity.Command;
import partyclaw.actors.conversation.ConversationEntity.Event;
import partyclaw.actors.conversation.ConversationEntity.FollowUpsInjected;
import partyclaw.actors.conversation.ConversationEntity.ToolResultRecorded;
import partyclaw.actors.conversation.ConversationEntity.YieldForFollowUps;
import partyclaw.actors.conversation.ConversationState.Inbound;
import partyclaw.actors.conversation.ConversationState.Turn;
import partyclaw.actors.outbox.TurnActivity;
import partyclaw.core.tool.TurnProcesses;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;

/**
 * Drives the turn from the conversation's state: the next step ({@link #advance}: start a turn, prepare the prompt,
 * compact, inject follow-ups, pair lost calls, call the model), what a message arriving mid-turn does under the
 * queue mode, and cancelling a turn for real. Part of {@link ConversationEntity} (same effects, same thread).
 */
final class TurnControl {
  private final String conversationId;
  private final ConversationRuntime rt;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Executor blocking;
  private final TurnRunner runner;
  private final ContextRunner context;
  private final ContextHandlers contextHandlers;
  private final TurnHandlers turns;
  private final TurnActivities activities;
  private final SubAgentHandlers subAgents;
  private final ConversationLifecycle lifecycle;
  private final Supplier<EffectFactories<Event, ConversationState>> effects;
  private final Consumer<ConversationState> afterChange;

  TurnControl(String conversationId, ConversationRuntime rt, ActorContext<Command> ctx,
      TimerScheduler<Command> timers, Executor blocking, TurnRunner runner, ContextRunner context,
      ContextHandlers contextHandlers, TurnHandlers turns, TurnActivities activities, SubAgentHandlers subAgents,
      ConversationLifecycle lifecycle, Supplier<EffectFactories<Event, ConversationState>> effects) {
    this.conversationId = conversationId;
    this.rt = rt;
    this.ctx = ctx;
    this.timers = timers;
    this.blocking = blocking;
    this.runner = runner;
    this.context = context;
    this.contextHandlers = contextHandlers;
    this.turns = turns;
    this.activities = activities;
    this.subAgents = subAgents;
    this.lifecycle = lifecycle;
    this.effects = effects;
    this.afterChange = lifecycle::afterChange;
  }

  /** Decides the next step of the conversation from its state alone; safe to call at any time. */
  ReplyEffect<Event, ConversationState> advance(ConversationState s) {
    Turn turn = s.turn();
    TurnPolicy policy = rt.turns();
    if (context.busy() || runner.modelCallRunning()) return effects.get().noReply();
    Optional<ModelCatalog.Entry> model = rt.models().resolve(s.settings().modelAlias());
    if (s.context().pending() != null && (turn == null || (turn.awaitingModel() && runner.runningToolCount() == 0))) {
      // A compaction runs only between model calls, with no tool in flight: it never races a turn.
      return contextHandlers.startCompaction(s);
    }
    if (turn == null) {
      if (s.inbox().isEmpty()) return effects.get().noReply();
      List<Inbound> batch = s.inbox().stream().limit(policy.followUpCap()).toList();
      List<String> ids = batch.stream().map(Inbound::messageId).toList();
      List<ChatMessage> messages = SlashCommands.queueMode(s.settings(), rt) == QueueMode.COLLECT
          ? UserMessages.collected(batch, s.inbox().size())
          : UserMessages.plain(batch, s.inbox().size());
      return effects.get().persist(TurnOpenings.start(s, ids, messages, rt.context().time()))
          .thenRun(this::turnStarted)
          .thenRun(afterChange::accept).thenNoReply();
    }
    if (!turn.awaitingModel()) {
      List<ToolCall> lost = runner.lostCalls(turn);
      if (lost.isEmpty()) return effects.get().noReply();
      // Calls cut off by a crash: pair each with a result so the transcript stays valid, then go on.
      PendingEvents pending = new PendingEvents(s);
      lost.forEach(c -> pending.add(new ToolResultRecorded(turn.turnId(), c.id(), c.name(),
          TranscriptRepairs.lostResult(c), ResultStatus.LOST)));
      return persistAndGoOn(pending);
    }
    if (context.needsPreparation(s)) {
      return effects.get().none()
          .thenRun(st -> context.prepare(st, runner.workspacePath(st), model.orElse(null))).thenNoReply();
    }
    if (!s.inbox().isEmpty() && SlashCommands.queueMode(s.settings(), rt) == QueueMode.STEER) {
      // A safe boundary: the partial results are in, the new messages follow them, then the model decides.
      List<Inbound> batch = s.inbox().stream().limit(policy.followUpCap()).toList();
      return persistAndGoOn(new PendingEvents(s).add(new FollowUpsInjected(turn.turnId(),
          batch.stream().map(Inbound::messageId).toList(), UserMessages.interrupting(batch, s.inbox().size()))));
    }
    if (turn.round() >= policy.maxToolRounds()) {
      String text = Texts.of(rt.language()).get("turn.maxRounds", String.valueOf(turn.round()),
          String.valueOf(policy.maxToolRounds()));
      return turns.finishTurn(s, TurnOutcome.MAX_ROUNDS, text, OutboundKind.NOTICE, text);
    }
    if (model.isPresent() && context.overThreshold(s, model.get())) {
      return persistAndGoOn(ContextCommands.request(new PendingEvents(s), CompactionReason.THRESHOLD, null));
    }
    return effects.get().none().thenRun(st -> runner.callModel(st, context)).thenNoReply();
  }

  void turnStarted(ConversationState s) {
    activities.phase(s, TurnActivity.Phase.STARTED);
  }

  /** A message arrived while a turn runs: the queue mode decides what the turn does about it. */
  void followUpArrived(ConversationState s) {
    if (s.turn() == null) return;
    switch (SlashCommands.queueMode(s.settings(), rt)) {
      case STEER -> {
        if (!timers.isTimerActive(YieldForFollowUps.class)) {
          timers.startSingleTimer(YieldForFollowUps.class, new YieldForFollowUps(), rt.turns().debounce());
        }
      }
      case INTERRUPT -> ctx.getSelf().tell(new CancelTurn(TurnOutcome.INTERRUPTED,
          "a new message arrived (queue mode interrupt)"));
      default -> { } // followup and collect wait for the end of the turn
    }
  }

  ReplyEffect<Event, ConversationState> onYieldForFollowUps(ConversationState s) {
    if (s.turn() == null || s.inbox().isEmpty()) return effects.get().noReply();
    return effects.get().none().thenRun(st -> runner.yieldTools()).thenNoReply();
  }

  ReplyEffect<Event, ConversationState> onCancelTurn(ConversationState s, CancelTurn c) {
    return s.turn() == null ? effects.get().noReply() : cancelTurn(new PendingEvents(s), c.outcome(), c.reason(), null);
  }

  /**
   * Stops the running turn for real: once the stop is journaled, the model call is aborted, every running tool gets
   * Cancel (its processes are killed), the turn's processes are killed on the blocking pool, and the user is told
   * what was stopped. Unfinished calls are recorded as cancelled so the transcript stays paired. {@code replyTo}
   * non-null: the {@code /stop} message that asked, acknowledged once journaled.
   */
  ReplyEffect<Event, ConversationState> cancelTurn(PendingEvents pending, TurnOutcome outcome, String reason,
      ActorRef<StatusReply<Accepted>> replyTo) {
    String turnId = pending.state().turn().turnId();
    Optional<TurnProcesses> processes = rt.resources().of(conversationId).find(TurnProcesses.class);
    TurnCancellation.events(pending, outcome, reason, runner.modelCallRunning(),
        processes.map(p -> p.runningStartedBy(turnId)).orElse(List.of()), Texts.of(rt.language()));
    EffectBuilder<Event, ConversationState> effect = effects.get().persist(pending.events())
        .thenRun(st -> {
          runner.cancelAll();
          subAgents.cancelAll();
          processes.ifPresent(p -> blocking.execute(() -> p.killStartedBy(turnId)));
          timers.cancel(YieldForFollowUps.class);
          activities.finished(turnId, outcome);
        });
    if (replyTo != null) return lifecycle.acknowledged(effect, replyTo, new Accepted(false));
    return effect.thenRun(afterChange::accept).thenNoReply();
  }

  ReplyEffect<Event, ConversationState> persistAndGoOn(PendingEvents pending) {
    return effects.get().persist(pending.events()).thenRun(afterChange::accept).thenNoReply();
  }
}
