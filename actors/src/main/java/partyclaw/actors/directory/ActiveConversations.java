package partyclaw.actors.directory;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import partyclaw.actors.JsonSerializable;

/**
 * The durable set of conversations that have unfinished work (a turn, queued messages, undelivered replies).
 * At start-up the node asks for it ({@link GetActive}) and wakes each of them, so they resume without waiting for
 * a new user message. A conversation
 * marks itself active before its first inbound of a busy period is acknowledged, and idle when it has nothing
 * left to do.
 */
public final class ActiveConversations
    extends EventSourcedBehaviorWithEnforcedReplies<ActiveConversations.Command, ActiveConversations.Event, ActiveConversations.State> {

  public sealed interface Command extends JsonSerializable {}

  /**
   * Marks {@code conversationId} active, then acknowledges {@code ackTo} (if not null) with {@code ack}. With an ack
   * it never crosses nodes (its {@code T} would not survive JSON): a cluster node's front turns it into
   * {@link Activate} and answers {@code ackTo} itself; without one it crosses as it is, hence no verification.
   */
  public record MarkActive<T>(String conversationId, ActorRef<StatusReply<T>> ackTo, T ack)
      implements Command, akka.actor.NoSerializationVerificationNeeded {}

  public record MarkIdle(String conversationId) implements Command {}

  public record GetActive(ActorRef<Set<String>> replyTo) implements Command {}

  /**
   * {@link MarkActive} as another node sends it (the cluster-wide directory): the acknowledgement is a message of
   * its own, so that nothing but serializable records crosses the network; the sender's node holds the real ack.
   */
  public record Activate(String conversationId, ActorRef<Activated> replyTo) implements Command {}

  public record Activated(String conversationId) implements JsonSerializable {}

  /** {@link GetActive} as another node asks it: a plain {@code Set} cannot cross the network. */
  public record ListActive(ActorRef<ActiveSet> replyTo) implements Command {}

  public record ActiveSet(Set<String> conversationIds) implements JsonSerializable {}

  public sealed interface Event extends JsonSerializable {}

  public record ConversationActivated(String conversationId) implements Event {}

  public record ConversationIdled(String conversationId) implements Event {}

  public record State(Set<String> active) implements JsonSerializable {
    State with(String id, boolean isActive) {
      Set<String> next = new HashSet<>(active);
      if (isActive) next.add(id); else next.remove(id);
      return new State(Set.copyOf(next));
    }
  }

  public static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("active-conversations");

  public static Behavior<Command> create() {
    return Behaviors.setup(ctx -> new ActiveConversations());
  }

  private ActiveConversations() {
    // A journal failure restarts it (replaying the set) instead of stopping it for good, which would leave every
    // later conversation unacknowledged.
    super(PERSISTENCE_ID, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(30), 0.2));
  }

  @Override
  public State emptyState() {
    return new State(Set.of());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(MarkActive.class, (state, cmd) -> markActive(state, (MarkActive<Object>) cmd))
        .onCommand(MarkIdle.class, (state, cmd) -> state.active().contains(cmd.conversationId())
            ? Effect().persist(new ConversationIdled(cmd.conversationId())).thenNoReply()
            : Effect().noReply())
        .onCommand(GetActive.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state.active()))
        .onCommand(Activate.class, (state, cmd) -> state.active().contains(cmd.conversationId())
            ? Effect().reply(cmd.replyTo(), new Activated(cmd.conversationId()))
            : Effect().persist(new ConversationActivated(cmd.conversationId()))
                .thenReply(cmd.replyTo(), s -> new Activated(cmd.conversationId())))
        .onCommand(ListActive.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new ActiveSet(state.active())))
        .build();
  }

  private ReplyEffect<Event, State> markActive(State state, MarkActive<Object> cmd) {
    boolean known = state.active().contains(cmd.conversationId());
    if (cmd.ackTo() == null) {
      return known ? Effect().noReply() : Effect().persist(new ConversationActivated(cmd.conversationId())).thenNoReply();
    }
    StatusReply<Object> ack = StatusReply.success(cmd.ack());
    if (known) return Effect().reply(cmd.ackTo(), ack);
    return Effect().persist(new ConversationActivated(cmd.conversationId())).thenReply(cmd.ackTo(), s -> ack);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(ConversationActivated.class, (state, e) -> state.with(e.conversationId(), true))
        .onEvent(ConversationIdled.class, (state, e) -> state.with(e.conversationId(), false))
        .build();
  }
}
