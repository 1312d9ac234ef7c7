package partyclaw.channels.web;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.settings.ServerSettings;
import akka.pattern.StatusReply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.actors.BlockingPools;
import partyclaw.actors.conversation.ConversationEntity;
import partyclaw.actors.metrics.RuntimeMetrics;
import partyclaw.actors.metrics.RuntimeMetricsExtension;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.actors.outbox.DeliveryRouter;
import partyclaw.actors.outbox.TextDelta;
import partyclaw.actors.outbox.TurnActivity;
import partyclaw.channels.common.Retries;
import partyclaw.core.config.WebChannelConfig;

/**
 * The {@code web} channel (spec 2.5): a browser client, a REST and WebSocket API and an OpenAI-compatible endpoint
 * on {@code listen_addr}, all behind one bearer token. Conversation id = {@code <channel id>:<conversation key>}.
 * A delivered entry is written to the channel's transcript ({@link WebTranscripts}) before it is acknowledged, then
 * shown to every connected client; turn activity becomes {@code processing}/{@code progress} events and streamed
 * model text {@code delta} events. Runs on the channel I/O dispatcher: its transcript appends are file writes.
 */
public final class WebChannel {
  private static final Logger LOG = LoggerFactory.getLogger(WebChannel.class);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
  private static final int SUBMIT_ATTEMPTS = 3;

  private WebChannel() {}

  /**
   * The conversations' workspaces and transcripts live under {@code workdir} (in a cluster the shared directory);
   * {@code models}: for /v1/models; {@code clustered}: every node serves the channel and their events span nodes.
   */
  public static Behavior<ChannelMessage> create(WebChannelConfig cfg, String token, DeliveryRouter router, Path workdir,
      List<String> models, boolean clustered) {
    return Behaviors.setup(ctx -> {
      ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
      return start(ctx, cfg, token, router, workdir, models,
          id -> sharding.entityRefFor(ConversationEntity.TYPE_KEY, id), clustered);
    });
  }

  /** For tests: conversations given, a single node. */
  public static Behavior<ChannelMessage> create(WebChannelConfig cfg, String token, DeliveryRouter router, Path workdir,
      List<String> models, Function<String, RecipientRef<ConversationEntity.Command>> conversations) {
    return Behaviors.setup(ctx -> start(ctx, cfg, token, router, workdir, models, conversations, false));
  }

  /** The directory of the channel's transcripts. */
  public static Path transcriptDir(Path workdir, String channelId) {
    return workdir.resolve("web").resolve(channelId.replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  private static Behavior<ChannelMessage> start(ActorContext<ChannelMessage> ctx, WebChannelConfig cfg, String token,
      DeliveryRouter router, Path workdir, List<String> models,
      Function<String, RecipientRef<ConversationEntity.Command>> conversations, boolean clustered) {
    ActorSystem<?> system = ctx.getSystem();
    String channelId = cfg.id();
    WebTranscripts transcripts = new WebTranscripts(transcriptDir(workdir, channelId));
    WebEvents events = new WebEvents(channelId, akka.stream.Materializer.matFromSystem(system));
    WebApi api = new WebApi(system, channelId, new WebAuth(token), transcripts, events,
        conversationsOf(system, channelId, conversations, transcripts), models, BlockingPools.channelIo(system));
    // The open OpenAI requests of this node hear of their conversation's reply however it reached the node.
    events.listen(event -> toOpenAiRequests(channelId, event, api.openAi()));
    CompletionStage<Void> reachesEveryNode = clustered
        ? WebClusterBus.join(ctx, channelId, events) : CompletableFuture.completedFuture(null);
    router.register(channelId, ctx.getSelf());
    CompletionStage<ServerBinding> binding = bind(system, cfg, api);
    binding.thenAcceptBoth(reachesEveryNode, (b, reached) -> router.channelStarted(channelId));
    RuntimeMetrics metrics = RuntimeMetricsExtension.of(system);
    return Behaviors.receive(ChannelMessage.class)
        .onMessage(Deliver.class, d -> {
          metrics.channelMessage(d);
          onDeliver(channelId, d, transcripts, events, api, metrics);
          return Behaviors.same();
        })
        .onMessage(TurnActivity.class, a -> {
          metrics.channelMessage(a);
          keyOf(channelId, a.conversationId(), transcripts).ifPresent(key -> onActivity(key, a, events));
          return Behaviors.same();
        })
        .onMessage(TextDelta.class, t -> {
          keyOf(channelId, t.conversationId(), transcripts).ifPresent(key -> {
            ObjectNode ev = WebEvents.event("delta", key);
            ev.put("turn_id", t.turnId());
            ev.put("round", t.round());
            ev.put("attempt", t.attempt());
            ev.put("text", t.text());
            events.publish(ev);
          });
          return Behaviors.same();
        })
        .onSignal(PostStop.class, s -> {
          binding.thenAccept(ServerBinding::unbind);
          return Behaviors.same();
        })
        .build();
  }

  /** The conversation key of a conversation id, when it is the key's current conversation (not a deleted one). */
  static Optional<String> keyOf(String channelId, String conversationId, WebTranscripts transcripts) {
    String prefix = channelId + ":";
    return conversationId.startsWith(prefix) ? transcripts.currentKeyOf(conversationId.substring(prefix.length()))
        : Optional.empty();
  }

  private static void onDeliver(String channelId, Deliver d, WebTranscripts transcripts, WebEvents events, WebApi api,
      RuntimeMetrics metrics) {
    if (!d.conversationId().startsWith(channelId + ":")) {
      d.reportTo().tell(new DeliveryReport.Undeliverable(d.outboundId(),
          "conversation " + d.conversationId() + " is not one of web channel " + channelId));
      return;
    }
    Optional<String> key = keyOf(channelId, d.conversationId(), transcripts);
    if (key.isEmpty()) {
      // the user deleted this conversation: what it still sends is not shown under the key's new conversation
      LOG.info("web {}: {} #{} of deleted conversation {} dropped", channelId, d.kind(), d.outboundId(),
          d.conversationId());
      d.reportTo().tell(new DeliveryReport.Delivered(d.outboundId()));
      return;
    }
    ObjectNode entry = Attachments.entryOf(d.kind(), d.text(), d.workspaceRoot(), d.options());
    Optional<ObjectNode> stored;
    try {
      stored = transcripts.appendDelivered(key.get(), d.outboundId(), entry);
    } catch (RuntimeException e) {
      // not acknowledged: the conversation sends it again
      LOG.warn("web {}: {} #{} of {} not recorded ({}); it will come again", channelId, d.kind(), d.outboundId(),
          key.get(), e.getMessage());
      return;
    }
    if (stored.isPresent()) {
      ObjectNode e = stored.get();
      ObjectNode out = WebEvents.event("outgoing_message", key.get());
      out.put("kind", d.kind());
      out.put("seq", e.path("seq").asLong());
      out.put("text", e.path("text").asText());
      out.put("image_count", e.path("images").size());
      out.put("attachment_count", e.path("attachments").size());
      out.set("images", e.get("images"));
      out.set("attachments", e.get("attachments"));
      out.put("option_count", e.path("options").size());
      out.set("options", e.get("options"));
      out.put("has_usage_chart", false);
      events.publish(out);
      if (e.path("images").size() >= 2) {
        events.publish(WebEvents.event("media_group", key.get()).put("count", e.path("images").size()));
      }
      api.publishAppend(key.get(), e);
      metrics.deliveryDone(d, RuntimeMetrics.DeliveryResult.DELIVERED);
    } else {
      metrics.deliveryDone(d, RuntimeMetrics.DeliveryResult.ALREADY_REPORTED);
    }
    d.reportTo().tell(new DeliveryReport.Delivered(d.outboundId()));
  }

  private static void toOpenAiRequests(String channelId, ObjectNode event, OpenAiEndpoint openAi) {
    String key = event.path("conversation_key").asText();
    switch (event.path("type").asText()) {
      case "outgoing_message" -> openAi.onDelivered(key, event.path("kind").asText(), openAiText(event));
      case "delta" -> openAi.onDelta(key, new TextDelta(channelId + ":" + key, event.path("turn_id").asText(),
          event.path("round").asInt(), event.path("attempt").asInt(), event.path("text").asText()));
      default -> { }
    }
  }

  /** An entry (or its outgoing_message event) as plain text for OpenAI clients: the text, then one line per file. */
  private static String openAiText(JsonNode e) {
    StringBuilder b = new StringBuilder(e.path("text").asText());
    for (String field : List.of("images", "attachments")) {
      for (JsonNode ref : e.path(field)) {
        b.append(b.length() == 0 ? "" : "\n").append("[attachment: ").append(ref.path("path").asText()).append(']');
      }
    }
    return b.toString();
  }

  private static void onActivity(String key, TurnActivity a, WebEvents events) {
    if (a.phase() == TurnActivity.Phase.STARTED || a.phase() == TurnActivity.Phase.FINISHED) {
      ObjectNode p = WebEvents.event("processing", key);
      p.put("state", a.phase() == TurnActivity.Phase.STARTED ? "typing" : "idle");
      events.publish(p);
    }
    ObjectNode ev = WebEvents.event("progress", key);
    ev.put("turn_id", a.turnId());
    ev.put("text", ProgressLines.of(a));
    ev.put("important", a.phase() != TurnActivity.Phase.THINKING);
    if (a.phase() == TurnActivity.Phase.FINISHED) {
      ev.put("final_state", "completed".equals(a.outcome()) ? "Done" : "Failed");
    } else {
      ev.putNull("final_state");
    }
    events.publish(ev);
  }

  private static WebApi.Conversations conversationsOf(ActorSystem<?> system, String channelId,
      Function<String, RecipientRef<ConversationEntity.Command>> all, WebTranscripts transcripts) {
    // a key deleted before names a new conversation: its entity key carries the generation
    Function<String, RecipientRef<ConversationEntity.Command>> conversations =
        id -> all.apply(channelId + ":" + transcripts.entityKey(id.substring(channelId.length() + 1)));
    return new WebApi.Conversations() {
      @Override
      public CompletionStage<Void> submit(String key, String messageId, String text) {
        RecipientRef<ConversationEntity.Command> c = conversations.apply(channelId + ":" + key);
        return Retries.retry(system, SUBMIT_ATTEMPTS,
            () -> AskPattern.<ConversationEntity.Command, ConversationEntity.Accepted>askWithStatus(c,
                replyTo -> new ConversationEntity.SubmitUserMessage(messageId, "web-user", "Web User", text, replyTo),
                ASK_TIMEOUT, system.scheduler()),
            e -> !(e instanceof StatusReply.ErrorMessage),
            (n, e) -> Duration.ofMillis(500L * n)).thenApply(accepted -> null);
      }

      @Override
      public CompletionStage<Path> workspace(String key) {
        RecipientRef<ConversationEntity.Command> c = conversations.apply(channelId + ":" + key);
        return AskPattern.<ConversationEntity.Command, String>askWithStatus(c, ConversationEntity.GetWorkspace::new,
            ASK_TIMEOUT, system.scheduler()).thenApply(Path::of);
      }

      @Override
      public CompletionStage<Void> close(String key, String reason) {
        RecipientRef<ConversationEntity.Command> c = conversations.apply(channelId + ":" + key);
        return AskPattern.<ConversationEntity.Command, akka.Done>askWithStatus(c,
            replyTo -> new ConversationEntity.CloseConversation(reason, replyTo), ASK_TIMEOUT, system.scheduler())
            .thenApply(d -> null);
      }
    };
  }

  private static CompletionStage<ServerBinding> bind(ActorSystem<?> system, WebChannelConfig cfg, WebApi api) {
    ListenAddr addr;
    try {
      addr = ListenAddr.parse(cfg.listenAddr());
    } catch (IllegalArgumentException e) {
      LOG.error("web {}: {}; the web channel is not served", cfg.id(), e.getMessage());
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    // Long turns answer a non-streamed /v1 request late; WebSockets stay open with pings while idle.
    ServerSettings settings = ServerSettings.create(ConfigFactory.parseString(String.join("\n",
        "akka.http.server.request-timeout = 30 min",
        "akka.http.server.idle-timeout = 31 min",
        "akka.http.server.websocket.periodic-keep-alive-max-idle = 20 s"))
        .withFallback(system.settings().config()));
    CompletionStage<ServerBinding> bound = Http.get(system).newServerAt(addr.host(), addr.port())
        .withSettings(settings).bind(api::handle);
    bound.whenComplete((b, e) -> {
      if (e != null) {
        LOG.error("web {}: cannot listen on {} ({}); the web channel is not served", cfg.id(), cfg.listenAddr(),
            e.toString());
      } else {
        LOG.info("web channel {} listening on http://{}:{}/", cfg.id(), addr.host(),
            b.localAddress().getPort());
      }
    });
    return bound;
  }

  /** {@code host:port}; IPv6 hosts in brackets. */
  record ListenAddr(String host, int port) {
    static ListenAddr parse(String value) {
      String v = value == null ? "" : value.strip();
      int colon = v.lastIndexOf(':');
      if (colon <= 0 || colon == v.length() - 1) {
        throw new IllegalArgumentException("listen_addr '" + v + "' is not host:port (e.g. 127.0.0.1:8080)");
      }
      String host = v.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
      int port;
      try {
        port = Integer.parseInt(v.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("listen_addr '" + v + "' has no numeric port");
      }
      if (port < 0 || port > 65535) throw new IllegalArgumentException("listen_addr '" + v + "' has a bad port");
      return new ListenAddr(host, port);
    }
  }
}
