package partyclaw.channels.dingtalk;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.actors.conversation.ConversationEntity;
import partyclaw.channels.common.Retries;

/**
 * Hands one DingTalk message to its conversation, for both DingTalk channels: first its session webhook is
 * persisted (so the reply, and anything that waited for a webhook, can go out, even after a restart), then the
 * message is submitted until the conversation acknowledges that it journaled it. Only then may the platform be
 * told the message arrived (Stream ack, robot HTTP 200). Conversation id = {@code <channel id>:<conversation>}.
 */
final class InboundSubmitter {
  private static final Logger LOG = LoggerFactory.getLogger(InboundSubmitter.class);
  /** A webhook the store cannot take now is tried this often; the message goes on without it (the next one brings it). */
  private static final int WEBHOOK_ATTEMPTS = 3;

  private final ActorSystem<?> system;
  private final String channelId;
  private final DingtalkSettings settings;
  private final Function<String, RecipientRef<ConversationEntity.Command>> conversations;
  private final ActorRef<SessionWebhookStore.Command> store;
  /** Told the conversation id once its webhook is cached: the outbox sends what waited for one. */
  private final Consumer<String> webhookArrived;

  InboundSubmitter(ActorSystem<?> system, String channelId, DingtalkSettings settings,
      Function<String, RecipientRef<ConversationEntity.Command>> conversations,
      ActorRef<SessionWebhookStore.Command> store, Consumer<String> webhookArrived) {
    this.system = system;
    this.channelId = channelId;
    this.settings = settings;
    this.conversations = conversations;
    this.store = store;
    this.webhookArrived = webhookArrived;
  }

  String conversationId(BotCallback cb) {
    return channelId + ":" + cb.conversationId();
  }

  /**
   * Persists the callback's webhook, then submits {@code text} (and workspace-relative {@code attachments}) as
   * {@code messageId}. Completes with the conversation's answer; fails when it refused the message or when
   * {@code stopped} says the caller is gone.
   */
  CompletionStage<ConversationEntity.Accepted> submit(String messageId, BotCallback cb, String text,
      List<String> attachments, BooleanSupplier stopped) {
    String conversationId = conversationId(cb);
    return rememberWebhook(conversationId, cb).thenCompose(x -> {
      RecipientRef<ConversationEntity.Command> conversation = conversations.apply(conversationId);
      return Retries.retry(system, 0,
          () -> AskPattern.<ConversationEntity.Command, ConversationEntity.Accepted>askWithStatus(conversation,
              replyTo -> new ConversationEntity.SubmitUserMessage(messageId, cb.userId(), cb.displayName(), text,
                  attachments, replyTo),
              settings.askTimeout(), system.scheduler()),
          e -> !stopped.getAsBoolean() && !(e instanceof StatusReply.ErrorMessage),
          (n, e) -> {
            LOG.warn("dingtalk {}: conversation {} did not acknowledge message {} ({}); asking again", channelId,
                conversationId, messageId, e.toString());
            return settings.backoff(n);
          });
    }).whenComplete((accepted, error) -> {
      if (accepted != null && accepted.duplicate()) {
        LOG.info("dingtalk {}: message {} was already accepted by {} (redelivery dropped)", channelId, messageId,
            conversationId);
      }
    });
  }

  /** The conversation's workspace root, asked until it answers (for attachment downloads). */
  CompletionStage<Path> workspaceOf(BotCallback cb, BooleanSupplier stopped) {
    RecipientRef<ConversationEntity.Command> conversation = conversations.apply(conversationId(cb));
    return Retries.retry(system, 0,
        () -> AskPattern.<ConversationEntity.Command, String>askWithStatus(conversation,
            ConversationEntity.GetWorkspace::new, settings.askTimeout(), system.scheduler()),
        e -> !stopped.getAsBoolean() && !(e instanceof StatusReply.ErrorMessage),
        (n, e) -> settings.backoff(n)).thenApply(Path::of);
  }

  private CompletionStage<Done> rememberWebhook(String conversationId, BotCallback cb) {
    if (!cb.hasWebhook()) return CompletableFuture.completedFuture(Done.getInstance());
    return Retries.retry(system, WEBHOOK_ATTEMPTS,
        () -> AskPattern.<SessionWebhookStore.Command, Done>askWithStatus(store,
            replyTo -> new SessionWebhookStore.Remember(conversationId, cb.sessionWebhook(), cb.webhookExpiresAt(),
                replyTo), settings.askTimeout(), system.scheduler()),
        e -> true, (n, e) -> settings.backoff(n))
        .handle((done, error) -> {
          if (error != null) {
            LOG.warn("dingtalk {}: session webhook of conversation {} not cached ({}); its replies wait for the next"
                + " message", channelId, conversationId, Retries.unwrap(error).toString());
          } else {
            webhookArrived.accept(conversationId);
          }
          return Done.getInstance();
        });
  }
}
