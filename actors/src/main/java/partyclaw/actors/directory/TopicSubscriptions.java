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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import partyclaw.actors.JsonSerializable;

/**
 * Which conversations subscribed to which broadcast topic, for background agents' {@code broadcast} sinks. Each
 * conversation journals its own subscriptions and repeats them here after every recovery, so this index converges
 * even when a crash fell between the two writes; it is durable so that a report reaches subscribers that are not
 * in memory. A repeated (un)subscription writes nothing.
 */
public final class TopicSubscriptions extends EventSourcedBehaviorWithEnforcedReplies<TopicSubscriptions.Command,
    TopicSubscriptions.Event, TopicSubscriptions.State> {

  public sealed interface Command extends JsonSerializable {}

  /** {@code subscribed} false: unsubscribe. */
  public record Subscribe(String topic, String conversationId, boolean subscribed) implements Command {}

  /** The subscribers of {@code topic}; none when it has none. */
  public record GetSubscribers(String topic, ActorRef<StatusReply<Subscribers>> replyTo) implements Command {}

  public record Subscribers(Set<String> conversations) implements JsonSerializable {}

  public sealed interface Event extends JsonSerializable {}

  public record ConversationSubscribed(String topic, String conversationId) implements Event {}

  public record ConversationUnsubscribed(String topic, String conversationId) implements Event {}

  public record State(Map<String, Set<String>> topics) implements JsonSerializable {
    public Set<String> subscribers(String topic) {
      return topics.getOrDefault(topic, Set.of());
    }

    State with(String topic, String conversationId, boolean subscribed) {
      Map<String, Set<String>> next = new TreeMap<>(topics);
      Set<String> members = new TreeSet<>(subscribers(topic));
      if (subscribed) members.add(conversationId); else members.remove(conversationId);
      if (members.isEmpty()) next.remove(topic); else next.put(topic, Set.copyOf(members));
      return new State(Map.copyOf(next));
    }
  }

  public static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("topic-subscriptions");

  public static Behavior<Command> create() {
    return Behaviors.setup(ctx -> new TopicSubscriptions());
  }

  private TopicSubscriptions() {
    super(PERSISTENCE_ID, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(30), 0.2));
  }

  @Override
  public State emptyState() {
    return new State(Map.of());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Subscribe.class, this::onSubscribe)
        .onCommand(GetSubscribers.class, (state, c) ->
            Effect().reply(c.replyTo(), StatusReply.success(new Subscribers(state.subscribers(c.topic())))))
        .build();
  }

  private ReplyEffect<Event, State> onSubscribe(State state, Subscribe c) {
    boolean member = state.subscribers(c.topic()).contains(c.conversationId());
    if (member == c.subscribed()) return Effect().noReply();
    Event event = c.subscribed() ? new ConversationSubscribed(c.topic(), c.conversationId())
        : new ConversationUnsubscribed(c.topic(), c.conversationId());
    return Effect().persist(event).thenNoReply();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(ConversationSubscribed.class, (state, e) -> state.with(e.topic(), e.conversationId(), true))
        .onEvent(ConversationUnsubscribed.class, (state, e) -> state.with(e.topic(), e.conversationId(), false))
        .build();
  }
}
