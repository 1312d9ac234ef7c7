package partyclaw.channels.telegram;

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
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import partyclaw.actors.JsonSerializable;

/**
 * Who may talk to one bot (spec §2.1.9): its administrator and the approval state of every chat that asked.
 * Each message is checked here, so deciding and recording (a chat's first message makes it pending) happen as one
 * step; the decision itself is {@link AccessPolicy}'s. Persistence id {@code telegram-access|<channel id>}.
 */
public final class TelegramAccessStore
    extends EventSourcedBehaviorWithEnforcedReplies<TelegramAccessStore.Command, TelegramAccessStore.Event, TelegramAccessStore.State> {

  public sealed interface Command extends JsonSerializable {}

  /** Decides on one message; the verdict is replied once whatever it changed is persisted. */
  public record Check(AccessPolicy.Knock knock, Instant at, ActorRef<StatusReply<AccessPolicy.Verdict>> replyTo)
      implements Command {}

  public record GetState(ActorRef<State> replyTo) implements Command {}

  public sealed interface Event extends JsonSerializable {}

  /** The first user to send /admin_authorize in a private chat; that chat is approved with it. */
  public record AdminClaimed(long userId, String displayName, long privateChatId, Instant at) implements Event {}

  /** A chat's first message: it waits for the administrator. {@code title}: the group's, or the user's name. */
  public record ChatRequested(long chatId, String chatType, String title, long userId, String userName, Instant at)
      implements Event {}

  public record ChatApproved(long chatId, Instant at) implements Event {}

  public record ChatRejected(long chatId, Instant at) implements Event {}

  public enum Approval { PENDING, APPROVED, REJECTED }

  public record Admin(long userId, String displayName, long privateChatId, Instant since) {}

  /** {@code chatType}, {@code title} and the requester are unknown (null, 0) for a chat approved before it wrote. */
  public record ChatRecord(long chatId, String chatType, String title, long userId, String userName,
      Approval approval, Instant updatedAt) {

    ChatRecord with(Approval next, Instant at) {
      return new ChatRecord(chatId, chatType, title, userId, userName, next, at);
    }
  }

  /** {@code admin} is null until someone claims the bot. */
  public record State(Admin admin, Map<Long, ChatRecord> chats) implements JsonSerializable {
    public static final State EMPTY = new State(null, Map.of());

    public State {
      chats = Collections.unmodifiableMap(new TreeMap<>(chats == null ? Map.of() : chats));
    }

    public ChatRecord chat(long chatId) {
      return chats.get(chatId);
    }

    State withChat(ChatRecord record) {
      Map<Long, ChatRecord> next = new TreeMap<>(chats);
      next.put(record.chatId(), record);
      return new State(admin, next);
    }

    State withApproval(long chatId, Approval approval, Instant at) {
      ChatRecord known = chats.get(chatId);
      return withChat(known != null ? known.with(approval, at)
          : new ChatRecord(chatId, null, null, 0, null, approval, at));
    }
  }

  public static Behavior<Command> create(String channelId, AccessPolicy policy) {
    return new TelegramAccessStore(channelId, policy);
  }

  private final AccessPolicy policy;

  private TelegramAccessStore(String channelId, AccessPolicy policy) {
    // A journal failure stops a persistent actor: restart it (recovering the state) instead of leaving the bot
    // unable to admit anyone. Checks in flight time out and are asked again.
    super(PersistenceId.of("telegram-access", channelId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.policy = policy;
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // Events are rare (one per chat and decision) and tell the history of approvals: snapshots only shorten
    // recovery, the events stay.
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Check.class, this::onCheck)
        .onCommand(GetState.class, (s, c) -> Effect().reply(c.replyTo(), s))
        .build();
  }

  private ReplyEffect<Event, State> onCheck(State s, Check c) {
    AccessPolicy.Decision d = policy.decide(s, c.knock(), c.at());
    StatusReply<AccessPolicy.Verdict> reply = StatusReply.success(d.verdict());
    if (d.events().isEmpty()) return Effect().reply(c.replyTo(), reply);
    return Effect().persist(d.events()).thenReply(c.replyTo(), st -> reply);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onAnyEvent(TelegramAccessStore::apply);
  }

  /** The state after {@code e}: pure, for recovery and for tests of whole decision sequences. */
  static State apply(State s, Event e) {
    if (e instanceof AdminClaimed a) {
      State withAdmin = new State(new Admin(a.userId(), a.displayName(), a.privateChatId(), a.at()), s.chats());
      return withAdmin.withChat(new ChatRecord(a.privateChatId(), "private", a.displayName(), a.userId(),
          a.displayName(), Approval.APPROVED, a.at()));
    }
    if (e instanceof ChatRequested r) {
      return s.withChat(new ChatRecord(r.chatId(), r.chatType(), r.title(), r.userId(), r.userName(), Approval.PENDING,
          r.at()));
    }
    if (e instanceof ChatApproved a) return s.withApproval(a.chatId(), Approval.APPROVED, a.at());
    if (e instanceof ChatRejected r) return s.withApproval(r.chatId(), Approval.REJECTED, r.at());
    throw new IllegalArgumentException("unknown access event " + e.getClass().getName());
  }
}
