package partyclaw.channels.dingtalk;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import partyclaw.actors.conversation.ConversationEntity;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryRouter;
import partyclaw.core.config.DingtalkRobotChannelConfig;

/**
 * The {@code dingtalk_robot} channel (spec 2.3): sends through a conversation's cached session webhook, else the
 * configured webhook; with an app secret it also serves signed callbacks ({@link RobotCallbacks}) on
 * {@code http_listen_addr} + {@code http_callback_path} (put an HTTPS reverse proxy in front). Without an app
 * secret it only sends, and says so at start. Turn activity is ignored (no typing or progress on webhooks).
 */
public final class DingtalkRobotChannel {
  private DingtalkRobotChannel() {}

  /** The channel's secrets, resolved from the config and the environment. {@code appKey}/{@code appSecret} may be null. */
  public record Secrets(String webhookUrl, String appKey, String appSecret) {
    @Override
    public String toString() {
      return "Secrets[webhook " + (webhookUrl == null ? "none" : "set") + ", app key " + (appKey == null ? "none" : "set")
          + ", app secret " + (appSecret == null ? "none" : "set") + "]";
    }
  }

  public static Behavior<ChannelMessage> create(DingtalkRobotChannelConfig cfg, Secrets secrets, DeliveryRouter router) {
    return Behaviors.setup(ctx -> {
      ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
      return start(ctx, cfg, secrets, router, id -> sharding.entityRefFor(ConversationEntity.TYPE_KEY, id),
          DingtalkSettings.fromConfig(ctx.getSystem().settings().config()));
    });
  }

  /** For tests: conversations and timing given. */
  public static Behavior<ChannelMessage> create(DingtalkRobotChannelConfig cfg, Secrets secrets, DeliveryRouter router,
      Function<String, RecipientRef<ConversationEntity.Command>> conversations, DingtalkSettings settings) {
    return Behaviors.setup(ctx -> start(ctx, cfg, secrets, router, conversations, settings));
  }

  private static Behavior<ChannelMessage> start(ActorContext<ChannelMessage> ctx, DingtalkRobotChannelConfig cfg,
      Secrets secrets, DeliveryRouter router, Function<String, RecipientRef<ConversationEntity.Command>> conversations,
      DingtalkSettings settings) {
    DingtalkHttp http = new DingtalkHttp(ctx.getSystem());
    ActorRef<SessionWebhookStore.Command> store = ctx.spawn(SessionWebhookStore.create(cfg.id()), "webhooks");
    ActorRef<WebhookOutbox.Command> outbox = ctx.spawn(Behaviors.supervise(WebhookOutbox.create(cfg.id(),
            WebhookOutbox.Kind.ROBOT, secrets.webhookUrl(), store, new WebhookSender(http, settings), settings))
        .onFailure(SupervisorStrategy.restart()), "outbox");
    RobotCallbacks callbacks = null;
    CompletionStage<ServerBinding> binding = null;
    if (secrets.appSecret() == null) {
      ctx.getLog().warn("dingtalk_robot {}: no app secret (app_secret / {}): send-only, inbound callbacks are off",
          cfg.id(), cfg.appSecretEnv());
    } else {
      InboundSubmitter submitter = new InboundSubmitter(ctx.getSystem(), cfg.id(), settings, conversations, store, outbox);
      RobotFiles files = secrets.appKey() == null ? null
          : new RobotFiles(ctx.getSystem(), http, settings, cfg.apiBaseUrl(), secrets.appKey(), secrets.appSecret());
      if (files == null) {
        ctx.getLog().warn("dingtalk_robot {}: no app key (app_key / {}): attachments of inbound messages are not"
            + " downloaded, only named", cfg.id(), cfg.appKeyEnv());
      }
      callbacks = new RobotCallbacks(ctx.getSystem(), cfg.id(), cfg.httpCallbackPath(),
          new RobotSignature(secrets.appSecret(), settings.signatureWindow()), submitter, files, settings);
      binding = bind(ctx, cfg, callbacks);
    }
    router.register(cfg.id(), ctx.getSelf());
    if (binding == null) {
      if (callbacks == null) router.channelStarted(cfg.id()); // send-only: nothing more to start
    } else {
      binding.thenAccept(b -> router.channelStarted(cfg.id()));
    }
    ctx.getLog().info("dingtalk_robot channel {} started ({})", cfg.id(),
        callbacks == null ? "send-only" : "callbacks on " + cfg.httpListenAddr() + cfg.httpCallbackPath());
    RobotCallbacks serving = callbacks;
    CompletionStage<ServerBinding> listening = binding;
    return Behaviors.receive(ChannelMessage.class)
        .onMessage(Deliver.class, d -> {
          outbox.tell(new WebhookOutbox.Incoming(d));
          return Behaviors.same();
        })
        .onAnyMessage(m -> Behaviors.same()) // turn activity: webhooks have no typing indicator
        .onSignal(PostStop.class, s -> {
          if (serving != null) serving.stop();
          if (listening != null) listening.thenAccept(ServerBinding::unbind);
          return Behaviors.same();
        })
        .build();
  }

  /** The binding, or null when the address is not usable. */
  private static CompletionStage<ServerBinding> bind(ActorContext<ChannelMessage> ctx, DingtalkRobotChannelConfig cfg, RobotCallbacks callbacks) {
    ListenAddress addr;
    try {
      addr = ListenAddress.parse(cfg.httpListenAddr());
    } catch (IllegalArgumentException e) {
      ctx.getLog().error("dingtalk_robot {}: http_listen_addr {}; inbound callbacks are off, sending still works",
          cfg.id(), e.getMessage());
      return null;
    }
    CompletionStage<ServerBinding> bound = Http.get(ctx.getSystem()).newServerAt(addr.host(), addr.port())
        .bind(callbacks::handle);
    String id = cfg.id();
    bound.whenComplete((b, e) -> {
      if (e != null) {
        org.slf4j.LoggerFactory.getLogger(DingtalkRobotChannel.class).error("dingtalk_robot {}: cannot listen on {}"
            + " ({}); inbound callbacks are off, sending still works", id, cfg.httpListenAddr(), e.toString());
      } else {
        org.slf4j.LoggerFactory.getLogger(DingtalkRobotChannel.class).info("dingtalk_robot {}: listening on {}{}", id,
            b.localAddress(), cfg.httpCallbackPath());
      }
    });
    return bound;
  }
}
