package partyclaw.actors.conversation;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import partyclaw.actors.conversation.ConversationState.Outbound;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.actors.outbox.DeliveryRouter;

/**
 * Sends a conversation's outbox to its channel: each entry once per incarnation, and everything still unconfirmed
 * again every {@code resendInterval} until the channel reports it delivered or undeliverable. Runs on the entity's
 * thread, from its side effects only.
 */
final class OutboxDelivery {
  private final String conversationId;
  private final DeliveryRouter router;
  private final TimerScheduler<ConversationEntity.Command> timers;
  private final ActorRef<DeliveryReport> reports;
  private final Duration resendInterval;
  private final Set<Long> sentThisIncarnation = new HashSet<>();
  /** Entries a channel said it holds: not re-sent before the time (System.nanoTime) given here. */
  private final Map<Long, Long> deferredUntil = new HashMap<>();

  OutboxDelivery(String conversationId, DeliveryRouter router, TimerScheduler<ConversationEntity.Command> timers,
      ActorRef<DeliveryReport> reports, Duration resendInterval) {
    this.conversationId = conversationId;
    this.router = router;
    this.timers = timers;
    this.reports = reports;
    this.resendInterval = resendInterval;
  }

  /** Sends the entries not sent yet; keeps the resend timer running while anything is unconfirmed. */
  void deliver(ConversationState s, String workspaceRoot) {
    if (s.outbox().isEmpty()) {
      timers.cancel(ConversationEntity.ResendOutbox.class);
      sentThisIncarnation.clear();
      deferredUntil.clear();
      return;
    }
    if (!timers.isTimerActive(ConversationEntity.ResendOutbox.class)) {
      timers.startTimerWithFixedDelay(ConversationEntity.ResendOutbox.class, new ConversationEntity.ResendOutbox(),
          resendInterval);
    }
    Optional<ActorRef<ChannelMessage>> channel = router.channelOf(conversationId);
    if (channel.isEmpty()) return; // the channel is not up yet; the resend timer tries again
    for (Outbound o : s.outbox()) {
      if (sentThisIncarnation.add(o.id())) {
        channel.get().tell(new Deliver(conversationId, o.id(), o.kind().wire(), o.text(), workspaceRoot, reports, o.options()));
      }
    }
  }

  /** Sends every unconfirmed entry again (channels ignore ids they already delivered), except deferred ones. */
  void resend(ConversationState s, String workspaceRoot) {
    long now = System.nanoTime();
    deferredUntil.values().removeIf(until -> until - now <= 0);
    sentThisIncarnation.retainAll(deferredUntil.keySet());
    deliver(s, workspaceRoot);
  }

  /** The channel holds entry {@code id}: it is not re-sent before {@code retryIn}. */
  void defer(long id, Duration retryIn) {
    deferredUntil.put(id, System.nanoTime() + retryIn.toNanos());
  }
}
