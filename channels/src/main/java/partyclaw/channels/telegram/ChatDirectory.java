package partyclaw.channels.telegram;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.HashMap;
import java.util.Map;
import partyclaw.actors.outbox.ChannelMessage;

/**
 * The {@link ChatOutbox}es of one bot: one per chat that has something to do, created by the chat's first message
 * and stopped once it reports itself idle, so a bot that served a million chats does not keep a million actors.
 * An outbox that got work after reporting idle ignores the stop and reports again later; new messages already go
 * to a fresh outbox. What a stopped outbox remembered of delivered entries goes with it: safe, because a
 * conversation resends an unreported entry within seconds, long before a chat counts as idle.
 */
final class ChatDirectory extends AbstractBehavior<ChatDirectory.Command> {

  sealed interface Command {}

  record Route(long chatId, ChannelMessage message) implements Command {}

  /** From an outbox that has had nothing to do for {@code chat-idle}. */
  record ChatIdle(long chatId, ActorRef<ChatOutbox.Command> chat) implements Command {}

  /** How many chats have an outbox now. */
  record CountChats(ActorRef<Integer> replyTo) implements Command {}

  static Behavior<Command> create(TelegramBotApi api, OutboundSender sender, TelegramSettings settings) {
    return Behaviors.setup(ctx -> new ChatDirectory(ctx, api, sender, settings));
  }

  private final TelegramBotApi api;
  private final OutboundSender sender;
  private final TelegramSettings settings;
  private final Map<Long, ActorRef<ChatOutbox.Command>> chats = new HashMap<>();
  private long spawned;

  private ChatDirectory(ActorContext<Command> ctx, TelegramBotApi api, OutboundSender sender, TelegramSettings settings) {
    super(ctx);
    this.api = api;
    this.sender = sender;
    this.settings = settings;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Route.class, r -> {
          chats.computeIfAbsent(r.chatId(), this::spawn).tell(new ChatOutbox.Incoming(r.message()));
          return this;
        })
        .onMessage(ChatIdle.class, m -> {
          chats.remove(m.chatId(), m.chat());
          m.chat().tell(ChatOutbox.Stop.INSTANCE);
          return this;
        })
        .onMessage(CountChats.class, c -> {
          c.replyTo().tell(chats.size());
          return this;
        })
        .build();
  }

  private ActorRef<ChatOutbox.Command> spawn(long chatId) {
    // A unique name: the previous outbox of the chat may still be finishing after it reported idle.
    return getContext().spawn(Behaviors.supervise(ChatOutbox.create(chatId, api, sender, settings, getContext().getSelf()))
        .onFailure(SupervisorStrategy.restart()), "chat" + chatId + "-" + (++spawned));
  }
}
