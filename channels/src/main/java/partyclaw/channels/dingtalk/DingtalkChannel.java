package partyclaw.channels.dingtalk;

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
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryRouter;
import partyclaw.core.config.DingtalkChannelConfig;

/**
 * The {@code dingtalk} channel (DingTalk Stream mode, spec 2.2): the {@link StreamConnection} receives messages,
 * the {@link WebhookOutbox} answers through the conversations' session webhooks kept in the
 * {@link SessionWebhookStore}. Registers with the {@link DeliveryRouter} for its channel id. Typing and progress
 * have no DingTalk counterpart: turn activity is ignored.
 */
public final class DingtalkChannel {
  private DingtalkChannel() {}

  public static Behavior<ChannelMessage> create(DingtalkChannelConfig cfg, String clientId, String clientSecret,
      DeliveryRouter router) {
    return Behaviors.setup(ctx -> {
      ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
      return start(ctx, cfg, clientId, clientSecret, router,
          id -> sharding.entityRefFor(ConversationEntity.TYPE_KEY, id),
          DingtalkSettings.fromConfig(ctx.getSystem().settings().config()));
    });
  }

  /** For tests: conversations and timing given. */
  public static Behavior<ChannelMessage> create(DingtalkChannelConfig cfg, String clientId, String clientSecret,
      DeliveryRouter router, Function<String, RecipientRef<ConversationEntity.Command>> conversations,
      DingtalkSettings settings) {
    return Behaviors.setup(ctx -> start(ctx, cfg, clientId, clientSecret, router, conversations, settings));
  }

  private static Behavior<ChannelMessage> start(ActorContext<ChannelMessage> ctx, DingtalkChannelConfig cfg,
      String clientId, String clientSecret, DeliveryRouter router,
      Function<String, RecipientRef<ConversationEntity.Command>> conversations, DingtalkSettings settings) {
    DingtalkHttp http = new DingtalkHttp(ctx.getSystem());
    ActorRef<SessionWebhookStore.Command> store = ctx.spawn(SessionWebhookStore.create(cfg.id()), "webhooks");
    ActorRef<WebhookOutbox.Command> outbox = ctx.spawn(Behaviors.supervise(WebhookOutbox.create(cfg.id(),
            WebhookOutbox.Kind.STREAM, null, store, new WebhookSender(http, settings), settings))
        .onFailure(SupervisorStrategy.restart()), "outbox");
    InboundSubmitter submitter = new InboundSubmitter(ctx.getSystem(), cfg.id(), settings, conversations, store,
        id -> outbox.tell(new WebhookOutbox.WebhookArrived(id)));
    // Failures are handled inside; this only catches bugs, so the bot never stops listening for good.
    ctx.spawn(Behaviors.supervise(StreamConnection.create(cfg.id(), cfg.apiBaseUrl(), clientId, clientSecret, http,
            submitter, settings, () -> router.channelStarted(cfg.id())))
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)), "stream");
    router.register(cfg.id(), ctx.getSelf());
    ctx.getLog().info("dingtalk channel {} started (api {})", cfg.id(), cfg.apiBaseUrl());
    return Behaviors.receive(ChannelMessage.class)
        .onMessage(Deliver.class, d -> {
          outbox.tell(new WebhookOutbox.Incoming(d));
          return Behaviors.same();
        })
        .onAnyMessage(m -> Behaviors.same()) // turn activity: DingTalk has no typing indicator
        .build();
  }
}
