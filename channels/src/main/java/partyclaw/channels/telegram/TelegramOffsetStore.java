package partyclaw.channels.telegram;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import java.time.Duration;
import partyclaw.actors.JsonSerializable;

/**
 * The last getUpdates offset of one bot whose updates were all accepted by their conversations. The poller
 * starts from it after a restart; whatever was fetched after it is fetched again and deduplicated by the
 * conversations. Persistence id {@code telegram-offset|<channel id>}.
 */
public final class TelegramOffsetStore
    extends EventSourcedBehaviorWithEnforcedReplies<TelegramOffsetStore.Command, TelegramOffsetStore.Event, TelegramOffsetStore.State> {

  public sealed interface Command extends JsonSerializable {}

  public record GetOffset(ActorRef<Long> replyTo) implements Command {}

  /** Records {@code offset} if it is beyond the stored one; acknowledged once persisted. */
  public record SaveOffset(long offset, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public sealed interface Event extends JsonSerializable {}

  public record OffsetAdvanced(long offset) implements Event {}

  public record State(long offset) implements JsonSerializable {}

  public static Behavior<Command> create(String channelId) {
    return new TelegramOffsetStore(channelId);
  }

  private TelegramOffsetStore(String channelId) {
    // A journal failure stops a persistent actor: restart it (recovering the offset) instead of losing it for good.
    // Asks in flight then time out and the poller asks again.
    super(PersistenceId.of("telegram-offset", channelId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
  }

  @Override
  public State emptyState() {
    return new State(0);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // One event per poll batch: keep the journal short, the state is a single number.
    return RetentionCriteria.snapshotEvery(200, 2).withDeleteEventsOnSnapshot();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(GetOffset.class, (s, c) -> Effect().reply(c.replyTo(), s.offset()))
        .onCommand(SaveOffset.class, this::onSave)
        .build();
  }

  private ReplyEffect<Event, State> onSave(State s, SaveOffset c) {
    if (c.offset() <= s.offset()) return Effect().reply(c.replyTo(), StatusReply.ack());
    return Effect().persist(new OffsetAdvanced(c.offset())).thenReply(c.replyTo(), st -> StatusReply.ack());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(OffsetAdvanced.class, (s, e) -> new State(Math.max(s.offset(), e.offset())))
        .build();
  }
}
