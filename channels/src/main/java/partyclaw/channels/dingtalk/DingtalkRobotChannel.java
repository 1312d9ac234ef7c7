package partyclaw.channels.dingtalk;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
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

  /**
   * The channel; {@code clustered}: it runs as a cluster singleton that sends, while the callbacks are served by every
   * node ({@link #callbacks}), which cache session webhooks in the channel's store (a singleton of its own) and say on
   * the channel's topic ({@link RobotWebhookTopic}) that one arrived.
   */
  public static Behavior<ChannelMessage> create(DingtalkRobotChannelConfig cfg, Secrets secrets, DeliveryRouter router,
      boolean clustered) {
    return Behaviors.setup(ctx -> {
      ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
      return start(ctx, cfg, secrets, router, id -> sharding.entityRefFor(ConversationEntity.TYPE_KEY, id),
          DingtalkSettings.fromConfig(ctx.getSystem().settings().config()), clustered);
    });
  }

  /** For tests: conversations and timing given, a single node. */
  public static Behavior<ChannelMessage> create(DingtalkRobotChannelConfig cfg, Secrets secrets, DeliveryRouter router,
      Function<String, RecipientRef<ConversationEntity.Command>> conversations, DingtalkSettings settings) {
    return Behaviors.setup(ctx -> start(ctx, cfg, secrets, router, conversations, settings, false));
  }

  /**
   * A cluster node's callback listener for the robot channel {@code cfg} (every node runs one, so the platform may
   * call any of them): verified callbacks go to their conversation's shard, their webhooks to the channel's store.
   */
  public static Behavior<Void> callbacks(DingtalkRobotChannelConfig cfg, Secrets secrets) {
    return Behaviors.setup(ctx -> {
      DingtalkSettings settings = DingtalkSettings.fromConfig(ctx.getSystem().settings().config());
      ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
      ActorRef<SessionWebhookStore.Command> store = clusterStore(ctx, cfg.id());
      ActorRef<Topic.Command<RobotWebhookTopic.Arrived>> topic = RobotWebhookTopic.spawn(ctx, cfg.id());
      Listening listening = serveCallbacks(ctx, cfg, secrets, settings,
          id -> sharding.entityRefFor(ConversationEntity.TYPE_KEY, id), new DingtalkHttp(ctx.getSystem()), store,
          conversationId -> topic.tell(Topic.publish(new RobotWebhookTopic.Arrived(conversationId))));
      return Behaviors.<Void>receive(Void.class)
          .onSignal(PostStop.class, s -> {
            listening.stop();
            return Behaviors.same();
          })
          .build();
    });
  }

  private static ActorRef<SessionWebhookStore.Command> clusterStore(ActorContext<?> ctx, String channelId) {
    return ClusterSingleton.get(ctx.getSystem()).init(SingletonActor.of(SessionWebhookStore.create(channelId),
        "dingtalk-robot-webhooks-" + channelId));
  }

  private static Behavior<ChannelMessage> start(ActorContext<ChannelMessage> ctx, DingtalkRobotChannelConfig cfg,
      Secrets secrets, DeliveryRouter router, Function<String, RecipientRef<ConversationEntity.Command>> conversations,
      DingtalkSettings settings, boolean clustered) {
    DingtalkHttp http = new DingtalkHttp(ctx.getSystem());
    ActorRef<SessionWebhookStore.Command> store = clustered ? clusterStore(ctx, cfg.id())
        : ctx.spawn(SessionWebhookStore.create(cfg.id()), "webhooks");
    ActorRef<WebhookOutbox.Command> outbox = ctx.spawn(Behaviors.supervise(WebhookOutbox.create(cfg.id(),
            WebhookOutbox.Kind.ROBOT, secrets.webhookUrl(), store, new WebhookSender(http, settings), settings))
        .onFailure(SupervisorStrategy.restart()), "outbox");
    router.register(cfg.id(), ctx.getSelf());
    Listening listening;
    if (clustered) {
      // The callbacks are every node's (callbacks()); webhooks they cache reach this outbox through the topic.
      ActorRef<Topic.Command<RobotWebhookTopic.Arrived>> topic = RobotWebhookTopic.spawn(ctx, cfg.id());
      topic.tell(Topic.subscribe(ctx.spawn(Behaviors.receive(RobotWebhookTopic.Arrived.class)
          .onMessage(RobotWebhookTopic.Arrived.class, a -> {
            outbox.tell(new WebhookOutbox.WebhookArrived(a.conversationId()));
            return Behaviors.same();
          }).build(), "webhook-arrivals")));
      listening = Listening.NONE;
      router.channelStarted(cfg.id());
      ctx.getLog().info("dingtalk_robot channel {} started (sends; callbacks served by every node)", cfg.id());
    } else {
      listening = serveCallbacks(ctx, cfg, secrets, settings, conversations, http, store,
          id -> outbox.tell(new WebhookOutbox.WebhookArrived(id)));
      if (listening.binding() == null) {
        if (listening == Listening.NONE) router.channelStarted(cfg.id()); // send-only: nothing more to start
      } else {
        listening.binding().thenAccept(b -> router.channelStarted(cfg.id()));
      }
      ctx.getLog().info("dingtalk_robot channel {} started ({})", cfg.id(),
          listening == Listening.NONE ? "send-only" : "callbacks on " + cfg.httpListenAddr() + cfg.httpCallbackPath());
    }
    return Behaviors.receive(ChannelMessage.class)
        .onMessage(Deliver.class, d -> {
          outbox.tell(new WebhookOutbox.Incoming(d));
          return Behaviors.same();
        })
        .onAnyMessage(m -> Behaviors.same()) // turn activity: webhooks have no typing indicator
        .onSignal(PostStop.class, s -> {
          listening.stop();
          return Behaviors.same();
        })
        .build();
  }

  /** The callback server, when there is one: {@code NONE} without an app secret. */
  private record Listening(RobotCallbacks callbacks, CompletionStage<ServerBinding> binding) {
    static final Listening NONE = new Listening(null, null);

    void stop() {
      if (callbacks != null) callbacks.stop();
      if (binding != null) binding.thenAccept(ServerBinding::unbind);
    }
  }

  /** Serves signed callbacks when the app secret is set; says at start what is off without it. */
  private static Listening serveCallbacks(ActorContext<?> ctx, DingtalkRobotChannelConfig cfg, Secrets secrets,
      DingtalkSettings settings, Function<String, RecipientRef<ConversationEntity.Command>> conversations,
      DingtalkHttp http, ActorRef<SessionWebhookStore.Command> store, Consumer<String> webhookArrived) {
    if (secrets.appSecret() == null) {
      ctx.getLog().warn("dingtalk_robot {}: no app secret (app_secret / {}): send-only, inbound callbacks are off",
          cfg.id(), cfg.appSecretEnv());
      return Listening.NONE;
    }
    InboundSubmitter submitter = new InboundSubmitter(ctx.getSystem(), cfg.id(), settings, conversations, store,
        webhookArrived);
    RobotFiles files = secrets.appKey() == null ? null
        : new RobotFiles(ctx.getSystem(), http, settings, cfg.apiBaseUrl(), secrets.appKey(), secrets.appSecret());
    if (files == null) {
      ctx.getLog().warn("dingtalk_robot {}: no app key (app_key / {}): attachments of inbound messages are not"
          + " downloaded, only named", cfg.id(), cfg.appKeyEnv());
    }
    RobotCallbacks callbacks = new RobotCallbacks(ctx.getSystem(), cfg.id(), cfg.httpCallbackPath(),
        new RobotSignature(secrets.appSecret(), settings.signatureWindow()), submitter, files, settings);
    return new Listening(callbacks, bind(ctx, cfg, callbacks));
  }

  /** The binding, or null when the address is not usable. */
  private static CompletionStage<ServerBinding> bind(ActorContext<?> ctx, DingtalkRobotChannelConfig cfg,
      RobotCallbacks callbacks) {
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
