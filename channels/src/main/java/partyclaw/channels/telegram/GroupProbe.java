package partyclaw.channels.telegram;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import partyclaw.actors.conversation.ConversationEntity;
import partyclaw.channels.common.Retries;
import partyclaw.core.json.Json;

/**
 * Every {@code interval} (spec §2.1.5: 300 s) asks Telegram about each group chat the access store knows and has not
 * rejected (a rejected chat's conversation was closed when it was rejected): a member count of one or less (only
 * the bot is left) or a refusal meaning the chat is gone closes its conversation; any other failure keeps it. A
 * chat closed here is not closed again at every round while it stays gone, only once more after a restart.
 */
final class GroupProbe {
  sealed interface Command {}

  private record Tick() implements Command {}

  /** {@code state} null: the store did not answer; the next round asks again. */
  private record Known(TelegramAccessStore.State state) implements Command {}

  /** {@code reason} null: the chat is still there. */
  private record Probed(long chatId, String reason) implements Command {}

  private record Closed(long chatId, String reason, Throwable error) implements Command {}

  private GroupProbe() {}

  static Behavior<Command> create(String channelId, TelegramBotApi api,
      ActorRef<TelegramAccessStore.Command> store, Function<String, RecipientRef<ConversationEntity.Command>> conversations,
      Duration interval, Duration askTimeout) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Tick(), interval);
      Set<Long> closed = new HashSet<>();
      Set<Long> probing = new HashSet<>();
      return Behaviors.receive(Command.class)
          .onMessage(Tick.class, t -> {
            ctx.ask(TelegramAccessStore.State.class, store, askTimeout, TelegramAccessStore.GetState::new,
                (state, error) -> new Known(state));
            return Behaviors.same();
          })
          .onMessage(Known.class, k -> {
            if (k.state() == null) return Behaviors.same();
            k.state().chats().values().stream()
                .filter(c -> c.chatId() < 0 && c.approval() != TelegramAccessStore.Approval.REJECTED)
                .filter(c -> probing.add(c.chatId()))
                .forEach(c -> ctx.pipeToSelf(probe(api, c.chatId()),
                    (reason, error) -> new Probed(c.chatId(), reason)));
            return Behaviors.same();
          })
          .onMessage(Probed.class, p -> {
            probing.remove(p.chatId());
            if (p.reason() == null) {
              closed.remove(p.chatId()); // the bot is back in it: a later departure closes it again
            } else if (closed.add(p.chatId())) {
              String conversationId = channelId + ":" + p.chatId();
              ctx.pipeToSelf(AskPattern.<ConversationEntity.Command, akka.Done>askWithStatus(
                      conversations.apply(conversationId),
                      replyTo -> new ConversationEntity.CloseConversation(p.reason(), replyTo), askTimeout,
                      ctx.getSystem().scheduler()),
                  (done, error) -> new Closed(p.chatId(), p.reason(), error));
            }
            return Behaviors.same();
          })
          .onMessage(Closed.class, c -> {
            if (c.error() == null) {
              ctx.getLog().info("telegram {}: conversation {}:{} closed: {}", channelId, channelId, c.chatId(), c.reason());
            } else {
              closed.remove(c.chatId()); // asked again at the next round
              ctx.getLog().warn("telegram {}: conversation {}:{} could not be closed ({}): {}", channelId, channelId,
                  c.chatId(), c.reason(), Retries.unwrap(c.error()).getMessage());
            }
            return Behaviors.same();
          })
          .build();
    }));
  }

  /** Why the chat's conversation should close, or null when it is still there (or the answer was inconclusive). */
  static CompletionStage<String> probe(TelegramBotApi api, long chatId) {
    return api.call("getChatMemberCount", Json.object().put("chat_id", chatId)).handle((count, error) -> {
      if (error == null) return count.asInt(2) <= 1 ? "only the telegram bot is left in the chat" : null;
      return ChatGone.is(Retries.unwrap(error)) ? "telegram chat is no longer available" : null;
    });
  }

  static Optional<Duration> intervalFrom(com.typesafe.config.Config config) {
    String path = "partyclaw.telegram.group-probe-interval";
    return config.hasPath(path) ? Optional.of(config.getDuration(path)) : Optional.empty();
  }
}
