package partyclaw.channels.dingtalk;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.http.javadsl.model.ws.WebSocketRequest;
import akka.http.javadsl.model.ws.WebSocketUpgradeResponse;
import akka.http.javadsl.settings.ClientConnectionSettings;
import akka.japi.Pair;
import akka.pattern.StatusReply;
import akka.stream.BoundedSourceQueue;
import akka.stream.Materializer;
import akka.stream.QueueOfferResult;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import partyclaw.channels.common.LruMap;
import partyclaw.core.json.Json;

/**
 * The DingTalk Stream client of one bot (spec 2.2): opens a connection at the gateway
 * ({@code POST /v1.0/gateway/connections/open}), holds the WebSocket, answers {@code ping} frames, reconnects after
 * a {@code disconnect} frame, a close or a dropped socket (back-off {@link ReconnectBackoff}), and hands bot
 * callbacks to the {@link InboundSubmitter}.
 * <p>
 * Nothing lost, nothing twice: a callback is acknowledged to the gateway only after its conversation journaled it
 * (until then the gateway redelivers it, also across a restart); a redelivery of a message this process already
 * handled is acknowledged at once, one still in flight is acknowledged with it, and the conversation drops
 * redeliveries it journaled before (message id {@code dingtalk:<msgId>}).
 */
final class StreamConnection extends AbstractBehavior<StreamConnection.Command> {

  sealed interface Command {}

  private enum Connect implements Command { INSTANCE }

  private record Opened(long generation, String endpoint, String ticket, Throwable error) implements Command {}

  private record Upgraded(long generation, WebSocketUpgradeResponse response, Throwable error) implements Command {}

  private record FrameText(long generation, String text) implements Command {}

  private record StreamEnded(long generation, Throwable error) implements Command {}

  private record Handled(String key, Throwable error) implements Command {}

  static final String USER_AGENT = "partyclaw-agent-host/0.11";
  static final int REMEMBERED_MESSAGES = 10_000;
  private static final int OUTGOING_BUFFER = 256;

  /** {@code onConnected}: runs after each successful connection (the channel counts as started from the first). */
  static Behavior<Command> create(String channelId, String apiBaseUrl, String clientId, String clientSecret,
      DingtalkHttp http, InboundSubmitter submitter, DingtalkSettings settings, Runnable onConnected) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new StreamConnection(ctx, timers, channelId,
        apiBaseUrl, clientId, clientSecret, http, submitter, settings, onConnected)));
  }

  private final TimerScheduler<Command> timers;
  private final String channelId;
  private final String openUrl;
  private final String clientId;
  private final String clientSecret;
  private final DingtalkHttp http;
  private final InboundSubmitter submitter;
  private final DingtalkSettings settings;
  private final ReconnectBackoff backoff;
  private final Materializer mat;
  private final Runnable onConnected;

  /** Each connection attempt has its own number: answers about an older one are ignored. */
  private long generation;
  private BoundedSourceQueue<Message> out;
  private boolean connected;
  private int failures;
  private volatile boolean stopped;
  /** Messages being submitted: the frames (first and redelivered) to acknowledge once their conversation took it. */
  private final Map<String, List<StreamFrames.Frame>> inFlight = new HashMap<>();
  /** Messages whose conversation took them: a redelivery is acknowledged at once. */
  private final LruMap<String, Boolean> handled = new LruMap<>(REMEMBERED_MESSAGES);

  private StreamConnection(ActorContext<Command> ctx, TimerScheduler<Command> timers, String channelId,
      String apiBaseUrl, String clientId, String clientSecret, DingtalkHttp http, InboundSubmitter submitter,
      DingtalkSettings settings, Runnable onConnected) {
    super(ctx);
    this.onConnected = onConnected;
    this.timers = timers;
    this.channelId = channelId;
    String base = apiBaseUrl.endsWith("/") ? apiBaseUrl.substring(0, apiBaseUrl.length() - 1) : apiBaseUrl;
    this.openUrl = base + "/v1.0/gateway/connections/open";
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.http = http;
    this.submitter = submitter;
    this.settings = settings;
    this.backoff = new ReconnectBackoff(settings.backoffBase(), settings.backoffCap());
    this.mat = Materializer.matFromSystem(ctx.getSystem());
    ctx.getSelf().tell(Connect.INSTANCE);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Connect.INSTANCE, this::open)
        .onMessage(Opened.class, this::onOpened)
        .onMessage(Upgraded.class, this::onUpgraded)
        .onMessage(FrameText.class, this::onFrame)
        .onMessage(StreamEnded.class, this::onStreamEnded)
        .onMessage(Handled.class, this::onHandled)
        .onSignal(PostStop.class, s -> {
          stopped = true;
          closeSocket();
          return this;
        })
        .build();
  }

  private Behavior<Command> open() {
    long gen = ++generation;
    ObjectNode body = Json.object().put("clientId", clientId).put("clientSecret", clientSecret);
    body.putArray("subscriptions").addObject().put("topic", StreamFrames.BOT_TOPIC).put("type", "CALLBACK");
    body.put("ua", USER_AGENT);
    CompletionStage<String[]> opened = http.postJson("gateway open-connection", openUrl, body, Map.of(),
        settings.requestTimeout()).thenApply(a -> {
          String endpoint = a.body().path("endpoint").asText("");
          String ticket = a.body().path("ticket").asText("");
          if (!a.ok() || endpoint.isBlank() || ticket.isBlank()) {
            String hint = a.status() == 401 || a.status() == 403 || a.status() == 400
                ? " (check client_id / client_secret of channel " + channelId + ")" : "";
            throw new DingtalkHttpException("gateway open-connection: HTTP " + a.status()
                + (a.ok() ? " without endpoint and ticket" : "") + hint, a.status(), null);
          }
          return new String[] {endpoint, ticket};
        });
    getContext().pipeToSelf(opened, (r, e) -> r == null ? new Opened(gen, null, null, e) : new Opened(gen, r[0], r[1], null));
    return this;
  }

  private Behavior<Command> onOpened(Opened m) {
    if (m.generation() != generation) return this;
    if (m.error() != null) {
      retryLater("opening a connection", m.error());
      return this;
    }
    String uri = m.endpoint() + (m.endpoint().contains("?") ? "&" : "?") + "ticket="
        + URLEncoder.encode(m.ticket(), StandardCharsets.UTF_8);
    long gen = m.generation();
    ActorRef<Command> self = getContext().getSelf();
    Sink<Message, CompletionStage<Done>> in = Flow.<Message>create()
        .mapAsync(1, msg -> textOf(msg))
        .filter(t -> !t.isEmpty())
        .toMat(Sink.foreach(t -> self.tell(new FrameText(gen, t))), Keep.right());
    Source<Message, BoundedSourceQueue<Message>> outgoing = Source.queue(OUTGOING_BUFFER);
    Flow<Message, Message, Pair<CompletionStage<Done>, BoundedSourceQueue<Message>>> flow =
        Flow.fromSinkAndSourceCoupledMat(in, outgoing, Keep.both());
    ClientConnectionSettings connection = ClientConnectionSettings.create(getContext().getSystem().classicSystem());
    connection = connection.withWebsocketSettings(connection.getWebsocketSettings().withPeriodicKeepAliveMaxIdle(
        scala.concurrent.duration.Duration.fromNanos(settings.keepAlive().toNanos())));
    Http h = Http.get(getContext().getSystem());
    Pair<CompletionStage<WebSocketUpgradeResponse>, Pair<CompletionStage<Done>, BoundedSourceQueue<Message>>> started;
    try {
      started = h.singleWebSocketRequest(WebSocketRequest.create(uri), flow, h.defaultClientHttpsContext(),
          Optional.empty(), connection, getContext().getSystem().classicSystem().log(), mat);
    } catch (RuntimeException e) {
      retryLater("connecting the WebSocket", new DingtalkHttpException("invalid gateway endpoint", 0, null));
      return this;
    }
    out = started.second().second();
    getContext().pipeToSelf(started.first(), (r, e) -> new Upgraded(gen, r, e));
    getContext().pipeToSelf(started.second().first(), (d, e) -> new StreamEnded(gen, e));
    return this;
  }

  private CompletionStage<String> textOf(Message msg) {
    if (msg.isText()) {
      TextMessage t = msg.asTextMessage();
      if (t.isStrict()) return CompletableFuture.completedFuture(t.getStrictText());
      return t.toStrict(settings.requestTimeout().toMillis(), mat).thenApply(TextMessage::getStrictText);
    }
    return msg.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), mat).thenApply(d -> "");
  }

  private Behavior<Command> onUpgraded(Upgraded m) {
    if (m.generation() != generation) return this;
    if (m.error() != null || !m.response().isValid()) {
      Throwable why = m.error() != null ? m.error() : new DingtalkHttpException("WebSocket handshake refused: HTTP "
          + m.response().response().status().intValue(), m.response().response().status().intValue(), null);
      generation++; // the stream's end that follows is this failure, already handled here
      closeSocket();
      retryLater("connecting the WebSocket", why);
      return this;
    }
    connected = true;
    if (failures > 0) {
      getContext().getLog().info("dingtalk {}: Stream connected again after {} failed attempt(s)", channelId, failures);
    } else {
      getContext().getLog().info("dingtalk {}: Stream connected", channelId);
    }
    failures = 0;
    onConnected.run();
    return this;
  }

  private Behavior<Command> onStreamEnded(StreamEnded m) {
    if (m.generation() != generation) return this;
    boolean wasConnected = connected;
    connected = false;
    out = null;
    if (m.error() != null || !wasConnected) {
      retryLater("the Stream connection", m.error() != null ? m.error()
          : new DingtalkHttpException("closed before the handshake completed", 0, null));
    } else {
      Duration wait = backoff.afterCleanClose();
      getContext().getLog().info("dingtalk {}: the gateway closed the Stream; reconnecting in {} ms", channelId,
          wait.toMillis());
      timers.startSingleTimer(Connect.INSTANCE, Connect.INSTANCE, wait);
    }
    return this;
  }

  private Behavior<Command> onFrame(FrameText m) {
    if (m.generation() != generation) return this;
    StreamFrames.Frame frame = StreamFrames.parse(m.text());
    if (frame == null) {
      getContext().getLog().warn("dingtalk {}: ignored a Stream frame that is not a JSON object", channelId);
      return this;
    }
    switch (frame.topic()) {
      case StreamFrames.PING -> send(StreamFrames.pong(frame));
      case StreamFrames.DISCONNECT -> {
        getContext().getLog().info("dingtalk {}: the gateway asked to disconnect ({}); reconnecting", channelId,
            StreamFrames.disconnectReason(frame));
        generation++; // the end of this stream is ours, not news
        closeSocket();
        retryLater(null, null);
      }
      default -> {
        if (frame.isCallback()) onCallback(frame);
        else send(StreamFrames.ok(frame));
      }
    }
    return this;
  }

  private void onCallback(StreamFrames.Frame frame) {
    if (frame.data() == null) {
      getContext().getLog().warn("dingtalk {}: bot callback {} without parsable data", channelId, frame.messageId());
      send(StreamFrames.error(frame, "callback data is missing or is not JSON"));
      return;
    }
    Optional<BotCallback> parsed = BotCallback.parse(frame.data(), BotCallback.Wording.STREAM);
    if (parsed.isEmpty()) {
      getContext().getLog().warn("dingtalk {}: bot callback {} names no sender or conversation", channelId,
          frame.messageId());
      send(StreamFrames.error(frame, "callback names no sender or conversation"));
      return;
    }
    BotCallback cb = parsed.get();
    String key = cb.msgId() != null ? cb.msgId() : frame.messageId();
    if (handled.containsKey(key)) {
      getContext().getLog().debug("dingtalk {}: redelivered message {} acknowledged again", channelId, key);
      send(StreamFrames.ok(frame));
      return;
    }
    List<StreamFrames.Frame> waiting = inFlight.get(key);
    if (waiting != null) {
      waiting.add(frame);
      return;
    }
    inFlight.put(key, new ArrayList<>(List.of(frame)));
    CompletionStage<Done> done = submitter.submit("dingtalk:" + key, cb, cb.text(), List.of(), () -> stopped)
        .thenApply(a -> Done.getInstance());
    getContext().pipeToSelf(done, (d, e) -> new Handled(key, e));
  }

  private Behavior<Command> onHandled(Handled m) {
    List<StreamFrames.Frame> frames = inFlight.remove(m.key());
    if (frames == null) return this;
    Throwable error = m.error() == null ? null : partyclaw.core.util.Failures.unwrap(m.error());
    if (error != null && !(error instanceof StatusReply.ErrorMessage)) {
      getContext().getLog().warn("dingtalk {}: message {} not handled ({}); the gateway delivers it again", channelId,
          m.key(), error.toString());
      return this;
    }
    if (error != null) {
      // Refused for good by the conversation (it says why in its log): a redelivery would be refused again.
      getContext().getLog().warn("dingtalk {}: message {} refused: {}", channelId, m.key(), error.getMessage());
    }
    handled.put(m.key(), Boolean.TRUE);
    for (StreamFrames.Frame f : frames) send(StreamFrames.ok(f));
    return this;
  }

  /** Sends on the current socket; with none, the gateway redelivers what this acknowledged. */
  private void send(String text) {
    if (out == null) return;
    QueueOfferResult r = out.offer(TextMessage.create(text));
    if (r != QueueOfferResult.enqueued()) {
      getContext().getLog().warn("dingtalk {}: frame not sent on the Stream ({})", channelId, r);
    }
  }

  private void closeSocket() {
    connected = false;
    if (out != null) {
      out.complete();
      out = null;
    }
  }

  /** {@code what} null: a deliberate reconnect (disconnect frame), logged by the caller. */
  private void retryLater(String what, Throwable error) {
    failures++;
    Duration wait = backoff.afterFailure();
    if (what != null) {
      Throwable cause = error == null ? null : partyclaw.core.util.Failures.unwrap(error);
      String why = cause == null ? "unknown" : cause instanceof DingtalkHttpException ? cause.getMessage()
          : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + redact(cause.getMessage()));
      getContext().getLog().warn("dingtalk {}: {} failed ({} in a row): {}; retrying in {} ms", channelId, what,
          failures, why, wait.toMillis());
    }
    timers.startSingleTimer(Connect.INSTANCE, Connect.INSTANCE, wait);
  }

  /** The ticket rides in the WebSocket URI's query, which some transport errors quote. */
  private static String redact(String message) {
    return message.replaceAll("\\?[^\\s]*", "?[query removed]");
  }
}
