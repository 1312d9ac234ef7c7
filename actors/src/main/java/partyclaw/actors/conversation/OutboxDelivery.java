package partyclaw.actors.conversation;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.HashSet;
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

  /** Sends every unconfirmed entry again (channels ignore ids they already delivered). */
  void resend(ConversationState s, String workspaceRoot) {
    sentThisIncarnation.clear();
    deliver(s, workspaceRoot);
  }
}
