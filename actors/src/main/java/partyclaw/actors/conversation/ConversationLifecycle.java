package partyclaw.actors.conversation;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.ReplyEffect;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.conversation.ConversationEntity.Advance;
import partyclaw.actors.conversation.ConversationEntity.Command;
import partyclaw.actors.conversation.ConversationEntity.Event;
import partyclaw.actors.conversation.ConversationEntity.IdleCompactionDue;
import partyclaw.actors.conversation.ConversationEntity.PassivateIfQuiet;
import partyclaw.actors.conversation.ConversationEntity.ResumeBackgroundAgents;
import partyclaw.actors.conversation.ConversationEntity.SettleLostSubAgents;
import partyclaw.actors.conversation.ConversationEntity.Stop;
import partyclaw.actors.directory.ActiveConversations;

/**
 * The conversation's life beyond its events: whether the {@link ActiveConversations} directory holds it as active,
 * recovery, what follows every change (deliver, schedule, take the next step), passivation and the stop sharding
 * asks for. Its two flags are runtime-only, never part of the persisted state. Part of {@link ConversationEntity}
 * (same thread; every method runs from a signal or a {@code thenRun}).
 */
final class ConversationLifecycle {
  private final String conversationId;
  private final ConversationRuntime rt;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final ActorRef<ActiveConversations.Command> directory;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final TurnRunner runner;
  private final ContextRunner context;
  private final ContextHandlers contextHandlers;
  private final CronHandlers cron;
  private final OutboxDelivery outbox;

  private boolean markedActive;
  /** Sharding asked this entity to stop while it was busy: it stops as soon as no turn runs and nothing is queued. */
  private boolean stopRequested;

  ConversationLifecycle(String conversationId, ConversationRuntime rt, ActorContext<Command> ctx,
      TimerScheduler<Command> timers, ActorRef<ActiveConversations.Command> directory,
      ActorRef<ClusterSharding.ShardCommand> shard, TurnRunner runner, ContextRunner context,
      ContextHandlers contextHandlers, CronHandlers cron, OutboxDelivery outbox) {
    this.conversationId = conversationId;
    this.rt = rt;
    this.ctx = ctx;
    this.timers = timers;
    this.directory = directory;
    this.shard = shard;
    this.runner = runner;
    this.context = context;
    this.contextHandlers = contextHandlers;
    this.cron = cron;
    this.outbox = outbox;
  }

  void recovered(ConversationState state) {
    if (state.subAgents().stream().anyMatch(SubAgentRecord::running)) ctx.getSelf().tell(new SettleLostSubAgents());
    if (state.background().active()) ctx.getSelf().tell(new ResumeBackgroundAgents());
    // The node's topic index may have missed a subscription journaled just before a crash: repeat them all.
    state.background().topics().forEach(t -> rt.reports().subscribe(conversationId, t, true));
    boolean firstRunInThisProcess = rt.resources().firstTimeInThisProcess(conversationId);
    runner.restartNoticeDue(firstRunInThisProcess && !state.transcript().isEmpty());
    if (state.dormant()) {
      // Woken from the directory with nothing left to do (it finished just before a crash): leave the active set.
      markedActive = false;
      directory.tell(new ActiveConversations.MarkIdle(conversationId));
    } else {
      ctx.getLog().info("conversation {} resumes unfinished work (turn={}, queued={}, undelivered={})",
          conversationId, state.turn() != null, state.inbox().size(), state.outbox().size());
      markedActive = true;
      directory.tell(new ActiveConversations.MarkActive<>(conversationId, null, null));
    }
    afterChange(state);
  }

  /**
   * Persist-before-acknowledge: when the conversation was idle, the directory persists "active" and only then
   * acknowledges the sender, so a crash in between leaves the sender to redeliver (deduplicated by id).
   */
  <T> ReplyEffect<Event, ConversationState> acknowledged(EffectBuilder<Event, ConversationState> effect,
      ActorRef<StatusReply<T>> replyTo, T ack) {
    if (markedActive) return effect.thenRun(this::afterChange).thenReply(replyTo, st -> StatusReply.success(ack));
    return effect
        .thenRun(st -> {
          markedActive = true;
          directory.tell(new ActiveConversations.MarkActive<>(conversationId, replyTo, ack));
        })
        .thenRun(this::afterChange)
        .thenNoReply();
  }

  /** After every change: deliver, then stop, passivate or take the next step. */
  void afterChange(ConversationState s) {
    outbox.deliver(s, runner.workspacePath(s).toString());
    cron.schedule(s);
    if (stopRequested && !s.busy()) {
      // The stop sharding asked for while a turn ran; the shard holds new messages until this incarnation ends.
      ctx.getSelf().tell(new Stop());
      return;
    }
    if (s.quiet()) {
      if (contextHandlers.idleCompactionDue(s)) {
        // Passivation waits for the idle compaction, which must run while the provider still caches the prompt.
        timers.startSingleTimer(IdleCompactionDue.class, new IdleCompactionDue(),
            contextHandlers.idleCompactionDelay(s));
      } else {
        timers.startSingleTimer(PassivateIfQuiet.class, new PassivateIfQuiet(), rt.passivateAfter());
      }
      return;
    }
    timers.cancel(PassivateIfQuiet.class);
    timers.cancel(IdleCompactionDue.class);
    boolean turnWaiting = s.turn() != null && s.turn().awaitingModel() && !runner.modelCallRunning();
    boolean inboxWaiting = s.turn() == null && !s.inbox().isEmpty();
    boolean lostCalls = s.turn() != null && !s.turn().awaitingModel() && !runner.lostCalls(s.turn()).isEmpty();
    boolean compactionWaiting = s.context().pending() != null && !context.compacting();
    if (turnWaiting || inboxWaiting || lostCalls || compactionWaiting) ctx.getSelf().tell(new Advance());
  }

  /** A channel holds an entry for later: the periodic resend leaves it alone for a while. */
  void deferred(partyclaw.actors.outbox.DeliveryReport.Deferred d) {
    ctx.getLog().debug("conversation {}: reply {} held by its channel for up to {} ({})", conversationId,
        d.outboundId(), d.retryIn(), d.reason());
    outbox.defer(d.outboundId(), d.retryIn());
  }

  void resendOutbox(ConversationState s) {
    outbox.resend(s, runner.workspacePath(s).toString());
  }

  void passivate(ConversationState s) {
    // Idle is recorded only now, not after every turn: a busy conversation costs no directory writes.
    if (markedActive) {
      markedActive = false;
      directory.tell(new ActiveConversations.MarkIdle(conversationId));
    }
    if (shard != null) shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
  }

  void stopWhenIdle() {
    stopRequested = true;
  }
}
