package partyclaw.channels.telegram;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.time.Duration;
import java.util.function.Function;
import partyclaw.actors.conversation.ConversationEntity;
import partyclaw.actors.metrics.RuntimeMetrics;
import partyclaw.actors.metrics.RuntimeMetricsExtension;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.DeliveryRouter;
import partyclaw.core.config.TelegramChannelConfig;

/**
 * The {@code telegram} channel: one bot. Registers itself with the {@link DeliveryRouter} for its channel id and
 * starts the {@link TelegramPoller} (inbound) and its {@link TelegramOffsetStore}; outbox entries and turn activity
 * go to one {@link ChatOutbox} per chat, kept by the {@link ChatDirectory}. Who may talk to the bot is decided by
 * the {@link AccessGate} on its {@link TelegramAccessStore}. Conversation id = {@code <channel id>:<chat id>}.
 */
public final class TelegramChannel {
  private TelegramChannel() {}

  /** Starts the channel on conversations reached through cluster sharding, timing from the Akka config. */
  public static Behavior<ChannelMessage> create(TelegramChannelConfig cfg, String botToken, DeliveryRouter router) {
    return Behaviors.setup(ctx -> {
      ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
      return start(ctx, cfg, botToken, router,
          id -> sharding.entityRefFor(ConversationEntity.TYPE_KEY, id),
          TelegramSettings.fromConfig(ctx.getSystem().settings().config()));
    });
  }

  /** For tests: conversations and timing given. */
  public static Behavior<ChannelMessage> create(TelegramChannelConfig cfg, String botToken, DeliveryRouter router,
      Function<String, RecipientRef<ConversationEntity.Command>> conversations, TelegramSettings settings) {
    return Behaviors.setup(ctx -> start(ctx, cfg, botToken, router, conversations, settings));
  }

  private static Behavior<ChannelMessage> start(ActorContext<ChannelMessage> ctx, TelegramChannelConfig cfg,
      String botToken, DeliveryRouter router, Function<String, RecipientRef<ConversationEntity.Command>> conversations,
      TelegramSettings settings) {
    TelegramBotApi api = new TelegramBotApi(ctx.getSystem(), cfg.apiBaseUrl(), botToken, cfg.pollTimeoutSeconds(), settings);
    ActorRef<TelegramOffsetStore.Command> store = ctx.spawn(TelegramOffsetStore.create(cfg.id()), "offset");
    OutboundSender sender = new OutboundSender(ctx.getSystem(), api, settings);
    ActorRef<TelegramAccessStore.Command> accessStore = accessStore(ctx, cfg);
    AccessGate access = new AccessGate(ctx.getSystem(), cfg, accessStore, sender, settings);
    if (accessStore != null) {
      GroupProbe.intervalFrom(ctx.getSystem().settings().config()).ifPresent(every -> ctx.spawn(
          GroupProbe.create(cfg.id(), api, accessStore, conversations, every, settings.askTimeout()), "group-probe"));
    }
    // Failures are handled inside the poller; this only catches bugs, so polling never stops for good.
    ctx.spawn(Behaviors.supervise(TelegramPoller.create(cfg, api, store, settings, conversations, access,
        () -> router.channelStarted(cfg.id())))
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)), "poller");
    ActorRef<ChatDirectory.Command> chats = ctx.spawn(ChatDirectory.create(api, sender, settings), "chats");
    router.register(cfg.id(), ctx.getSelf());
    RuntimeMetrics metrics = RuntimeMetricsExtension.of(ctx.getSystem());
    ctx.getLog().info("telegram channel {} started (api {})", cfg.id(), cfg.apiBaseUrl());
    return Behaviors.receive(ChannelMessage.class)
        .onAnyMessage(m -> {
          metrics.channelMessage(m);
          Long chatId = chatIdOf(m.conversationId());
          if (chatId == null) {
            ctx.getLog().warn("telegram {}: no chat id in conversation id {}; message dropped", cfg.id(), m.conversationId());
            return Behaviors.same();
          }
          chats.tell(new ChatDirectory.Route(chatId, m));
          return Behaviors.same();
        })
        .build();
  }

  /** Null for an open bot: it keeps no access state, and says so at every start. */
  private static ActorRef<TelegramAccessStore.Command> accessStore(ActorContext<ChannelMessage> ctx,
      TelegramChannelConfig cfg) {
    if (cfg.open()) {
      ctx.getLog().warn("telegram {}: \"open\": true, access control is off: {} can talk to the agent and run its tools"
          + " on this host", cfg.id(), cfg.hasAllowLists() ? "every chat and user in the allow-lists"
              : "anyone who finds the bot");
      return null;
    }
    // Journal failures restart the store by itself; this catches bugs, so the bot never stays shut for good.
    return ctx.spawn(Behaviors.supervise(TelegramAccessStore.create(cfg.id(), new AccessPolicy(cfg)))
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2)), "access");
  }

  static Long chatIdOf(String conversationId) {
    int colon = conversationId.lastIndexOf(':');
    try {
      return Long.parseLong(conversationId.substring(colon + 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
