package partyclaw.testkit;

import akka.actor.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.http.javadsl.model.ws.WebSocketUpgrade;
import akka.japi.Pair;
import akka.stream.BoundedSourceQueue;
import akka.stream.Materializer;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An in-process DingTalk on 127.0.0.1 for tests: the Stream gateway ({@code POST /v1.0/gateway/connections/open}
 * and its WebSocket, which pushes callback, {@code ping} and {@code disconnect} frames, can drop the socket, records
 * every acknowledgement and redelivers unacknowledged callbacks to each new connection, as the real gateway does);
 * session webhooks ({@code POST /robot/sendBySession?session=<id>}) and robot webhooks
 * ({@code POST /robot/send?access_token=<t>}) that record what they get; and the file API
 * ({@code /v1.0/oauth2/accessToken}, {@code /v1.0/robot/messageFiles/download}, {@code GET /files/<code>}).
 */
public final class FakeDingtalkServer implements AutoCloseable {
  static final ObjectMapper MAPPER = new ObjectMapper();
  public static final String BOT_TOPIC = "/v1.0/im/bot/messages/get";

  private final ActorSystem system;
  private final Materializer mat;
  private final ServerBinding binding;
  private final String clientId;
  private final String clientSecret;
  private final Object lock = new Object();

  private final class Connection {
    final int number;
    final BoundedSourceQueue<Message> out;
    boolean open = true;

    Connection(int number, BoundedSourceQueue<Message> out) {
      this.number = number;
      this.out = out;
    }
  }

  private int opens;
  private int ticketsIssued;
  private final Set<String> tickets = new HashSet<>();
  private final List<Connection> connections = new ArrayList<>();
  private final LinkedHashMap<String, String> unackedCallbacks = new LinkedHashMap<>(); // messageId -> frame
  private final List<DingtalkStreamAck> acks = new ArrayList<>();
  private final List<DingtalkWebhookPost> webhookPosts = new ArrayList<>();
  private int webhookFailures;
  private long webhookFailureErrcode;
  private int frames;
  private String appKey;
  private String appSecret;
  private int tokensIssued;
  private final Map<String, byte[]> files = new HashMap<>();
  private final List<String> fileLookups = new ArrayList<>();

  private FakeDingtalkServer(String clientId, String clientSecret) {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.system = ActorSystem.create("fake-dingtalk-server", ConfigFactory.parseString(String.join("\n",
            "akka.loglevel = WARNING",
            "akka.log-dead-letters = off",
            "akka.loggers = [\"akka.event.slf4j.Slf4jLogger\"]",
            "akka.logging-filter = \"akka.event.slf4j.Slf4jLoggingFilter\"",
            "akka.http.server.idle-timeout = 600s",
            "akka.http.server.websocket.periodic-keep-alive-max-idle = infinite"))
        .withFallback(ConfigFactory.load()));
    this.mat = Materializer.matFromSystem(system);
    try {
      this.binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(this::handle)
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("FakeDingtalkServer could not bind 127.0.0.1: " + e.getMessage(), e);
    }
  }

  /** A gateway that opens connections for this client id and secret. */
  public static FakeDingtalkServer start(String clientId, String clientSecret) {
    return new FakeDingtalkServer(clientId, clientSecret);
  }

  /** The {@code api_base_url} to configure. */
  public String baseUrl() {
    return "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  /** The session webhook URL of session {@code id} (what callbacks carry as {@code sessionWebhook}). */
  public String sessionWebhook(String id) {
    return baseUrl() + "/robot/sendBySession?session=" + id;
  }

  /** A robot's configured webhook URL with {@code accessToken}. */
  public String robotWebhook(String accessToken) {
    return baseUrl() + "/robot/send?access_token=" + accessToken;
  }

  /** The app key and secret the access-token API accepts. */
  public void setApp(String key, String secret) {
    synchronized (lock) {
      appKey = key;
      appSecret = secret;
    }
  }

  /** A file the download API serves for {@code downloadCode}. */
  public void addFile(String downloadCode, byte[] bytes) {
    synchronized (lock) {
      files.put(downloadCode, bytes);
    }
  }

  // ---- callbacks ----

  /**
   * A single-chat ({@code conversationType "1"}) or group ({@code "2"}) text message as the bot receives it, with a
   * session webhook of session {@code session} valid for an hour.
   */
  public ObjectNode textMessage(String conversationType, String conversationId, String staffId, String nick,
      String msgId, String text, String session) {
    ObjectNode data = MAPPER.createObjectNode();
    data.put("conversationId", conversationId).put("conversationType", conversationType).put("msgId", msgId)
        .put("senderNick", nick).put("senderStaffId", staffId).put("senderId", "$:LWCP_v1:$" + staffId)
        .put("chatbotUserId", "$:LWCP_v1:$bot").put("robotCode", "robot-" + clientId).put("msgtype", "text")
        .put("createAt", System.currentTimeMillis())
        .put("sessionWebhook", sessionWebhook(session))
        .put("sessionWebhookExpiredTime", System.currentTimeMillis() + 3_600_000L);
    data.putObject("text").put("content", text);
    return data;
  }

  /** Pushes a bot callback on the open connection (or, with none, to the next one); returns the frame's messageId. */
  public String pushCallback(JsonNode data) {
    ObjectNode frame = frame("CALLBACK", BOT_TOPIC, data.toString());
    String id = frame.path("headers").path("messageId").asText();
    synchronized (lock) {
      unackedCallbacks.put(id, frame.toString());
      sendOnOpen(frame.toString());
    }
    return id;
  }

  /** Pushes a frame with any {@code type}, {@code topic} and raw {@code data} string (may be null). */
  public String pushFrame(String type, String topic, String data) {
    ObjectNode frame = frame(type, topic, data);
    synchronized (lock) {
      sendOnOpen(frame.toString());
    }
    return frame.path("headers").path("messageId").asText();
  }

  /** A {@code ping} system frame with {@code opaque}; returns its messageId. */
  public String ping(String opaque) {
    return pushFrame("SYSTEM", "ping", MAPPER.createObjectNode().put("opaque", opaque).toString());
  }

  /** A {@code disconnect} system frame; the socket is closed shortly after, as the gateway does. */
  public void disconnect(String reason) {
    pushFrame("SYSTEM", "disconnect", MAPPER.createObjectNode().put("reason", reason).toString());
    CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS).execute(() -> {
      synchronized (lock) {
        for (Connection c : connections) {
          if (c.open) c.out.complete();
        }
      }
    });
  }

  /** Breaks every open WebSocket without a close handshake. */
  public void dropSocket() {
    synchronized (lock) {
      for (Connection c : connections) {
        if (c.open) {
          c.open = false;
          c.out.fail(new RuntimeException("fake gateway dropped the socket"));
        }
      }
    }
  }

  private ObjectNode frame(String type, String topic, String data) {
    int n;
    synchronized (lock) {
      n = ++frames;
    }
    ObjectNode frame = MAPPER.createObjectNode().put("specVersion", "1.0").put("type", type);
    frame.putObject("headers").put("appId", "app").put("connectionId", "conn").put("contentType", "application/json")
        .put("messageId", "frame-" + n + "-" + System.nanoTime()).put("time", System.currentTimeMillis())
        .put("topic", topic);
    if (data != null) frame.put("data", data);
    return frame;
  }

  private void sendOnOpen(String frame) {
    for (Connection c : connections) {
      if (c.open) {
        c.out.offer(TextMessage.create(frame));
        return;
      }
    }
  }

  // ---- reading ----

  public int opens() {
    synchronized (lock) {
      return opens;
    }
  }

  /** WebSocket connections ever accepted. */
  public int connectionCount() {
    synchronized (lock) {
      return connections.size();
    }
  }

  public int openConnections() {
    synchronized (lock) {
      return (int) connections.stream().filter(c -> c.open).count();
    }
  }

  public List<DingtalkStreamAck> acks() {
    synchronized (lock) {
      return List.copyOf(acks);
    }
  }

  /** Callback frames not acknowledged with code 200 yet. */
  public List<String> unackedCallbacks() {
    synchronized (lock) {
      return List.copyOf(unackedCallbacks.keySet());
    }
  }

  public List<DingtalkWebhookPost> webhookPosts() {
    synchronized (lock) {
      return List.copyOf(webhookPosts);
    }
  }

  /** Accepted texts posted to session {@code session}'s webhook (or {@code robot:<token>}'s), oldest first. */
  public List<String> texts(String target) {
    synchronized (lock) {
      return webhookPosts.stream().filter(p -> p.accepted() && p.target().equals(target))
          .map(DingtalkWebhookPost::content).toList();
    }
  }

  public int tokensIssued() {
    synchronized (lock) {
      return tokensIssued;
    }
  }

  public List<String> fileLookups() {
    synchronized (lock) {
      return List.copyOf(fileLookups);
    }
  }

  /** The next {@code times} webhook posts are refused with {@code errcode}. */
  public void failWebhooks(int times, long errcode) {
    synchronized (lock) {
      webhookFailures = times;
      webhookFailureErrcode = errcode;
    }
  }

  public DingtalkStreamAck awaitAck(String messageId, Duration timeout) {
    return await(() -> acks.stream().filter(a -> a.messageId().equals(messageId)).findFirst().orElse(null), timeout,
        () -> "an ack of frame " + messageId + "; acks " + acks);
  }

  public List<String> awaitTexts(String target, int n, Duration timeout) {
    return await(() -> texts(target).size() >= n ? texts(target) : null, timeout,
        () -> n + " texts to " + target + "; posts " + webhookPosts);
  }

  public void awaitConnections(int n, Duration timeout) {
    await(() -> connections.size() >= n && connections.get(connections.size() - 1).open ? Boolean.TRUE : null, timeout,
        () -> n + " WebSocket connections, got " + connections.size());
  }

  /** Waits until {@code probe} (called under the server's lock) returns non-null. */
  public <T> T await(Supplier<T> probe, Duration timeout, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (true) {
        T value = probe.get();
        if (value != null) return value;
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (leftMs <= 0) throw new AssertionError("FakeDingtalkServer: timed out after " + timeout + " waiting for " + what.get());
        try {
          lock.wait(Math.min(leftMs, 200));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for " + what.get(), e);
        }
      }
    }
  }

  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // going away regardless
    }
  }

  @Override
  public String toString() {
    return "FakeDingtalkServer[" + baseUrl() + "]";
  }

  // ---- HTTP ----

  private CompletionStage<HttpResponse> handle(HttpRequest request) {
    String path = request.getUri().path();
    Optional<WebSocketUpgrade> upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
    if (path.equals("/gateway") && upgrade.isPresent()) return CompletableFuture.completedFuture(accept(request, upgrade.get()));
    if (request.method().equals(HttpMethods.GET) && path.startsWith("/files/")) {
      request.discardEntityBytes(mat);
      byte[] bytes;
      synchronized (lock) {
        bytes = files.get(path.substring("/files/".length()));
      }
      return CompletableFuture.completedFuture(bytes == null ? json(404, "{\"message\":\"no such file\"}")
          : HttpResponse.create().withEntity(ContentTypes.APPLICATION_OCTET_STREAM, bytes));
    }
    return request.entity().toStrict(10_000, mat).thenApply(strict -> {
      JsonNode body;
      try {
        body = MAPPER.readTree(strict.getData().decodeString(StandardCharsets.UTF_8));
      } catch (Exception e) {
        body = MAPPER.createObjectNode();
      }
      if (body == null) body = MAPPER.createObjectNode();
      Map<String, String> query = request.getUri().query().toMap();
      String token = request.getHeader("x-acs-dingtalk-access-token").map(h -> h.value()).orElse(null);
      return switch (path) {
        case "/v1.0/gateway/connections/open" -> open(body);
        case "/robot/sendBySession" -> webhook("session:" + query.getOrDefault("session", ""), body);
        case "/robot/send" -> webhook("robot:" + query.getOrDefault("access_token", ""), body);
        case "/v1.0/oauth2/accessToken" -> accessToken(body);
        case "/v1.0/robot/messageFiles/download" -> fileLookup(token, body);
        default -> json(404, "{\"message\":\"not found\"}");
      };
    });
  }

  private HttpResponse open(JsonNode body) {
    synchronized (lock) {
      opens++;
      lock.notifyAll();
      if (!clientId.equals(body.path("clientId").asText()) || !clientSecret.equals(body.path("clientSecret").asText())) {
        return json(401, "{\"code\":\"InvalidAuthentication\",\"message\":\"clientId or clientSecret is wrong\"}");
      }
      JsonNode sub = body.path("subscriptions").path(0);
      if (!BOT_TOPIC.equals(sub.path("topic").asText()) || !"CALLBACK".equals(sub.path("type").asText())) {
        return json(400, "{\"code\":\"InvalidParameter\",\"message\":\"no bot message subscription\"}");
      }
      String ticket = "ticket-" + (++ticketsIssued);
      tickets.add(ticket);
      ObjectNode answer = MAPPER.createObjectNode()
          .put("endpoint", "ws://127.0.0.1:" + binding.localAddress().getPort() + "/gateway").put("ticket", ticket);
      return json(200, answer.toString());
    }
  }

  private HttpResponse accept(HttpRequest request, WebSocketUpgrade upgrade) {
    String ticket = request.getUri().query().get("ticket").orElse("");
    synchronized (lock) {
      if (!tickets.remove(ticket)) {
        request.discardEntityBytes(mat);
        return json(403, "{\"message\":\"invalid ticket\"}");
      }
    }
    Pair<BoundedSourceQueue<Message>, Source<Message, akka.NotUsed>> out = Source.<Message>queue(256).preMaterialize(mat);
    Connection conn;
    synchronized (lock) {
      conn = new Connection(connections.size() + 1, out.first());
      connections.add(conn);
      // The gateway redelivers what no connection acknowledged.
      for (String frame : unackedCallbacks.values()) conn.out.offer(TextMessage.create(frame));
      lock.notifyAll();
    }
    Sink<Message, CompletionStage<akka.Done>> in = Flow.<Message>create()
        .mapAsync(1, m -> m.isText() ? m.asTextMessage().toStrict(10_000, mat).thenApply(TextMessage::getStrictText)
            : m.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), mat).thenApply(d -> ""))
        .toMat(Sink.foreach(text -> onClientFrame(conn, text)), akka.stream.javadsl.Keep.right());
    Flow<Message, Message, akka.NotUsed> flow = Flow.fromSinkAndSourceCoupled(
        in.mapMaterializedValue(done -> {
          done.whenComplete((d, e) -> {
            synchronized (lock) {
              conn.open = false;
              lock.notifyAll();
            }
          });
          return akka.NotUsed.getInstance();
        }), out.second());
    return upgrade.handleMessagesWith(flow);
  }

  private void onClientFrame(Connection conn, String text) {
    if (text.isEmpty()) return;
    JsonNode frame;
    try {
      frame = MAPPER.readTree(text);
    } catch (Exception e) {
      return;
    }
    String id = frame.path("headers").path("messageId").asText("");
    int code = frame.path("code").asInt(0);
    synchronized (lock) {
      acks.add(new DingtalkStreamAck(conn.number, id, code, frame.path("message").asText(""),
          frame.path("data").asText(null), frame));
      if (code == 200) unackedCallbacks.remove(id);
      lock.notifyAll();
    }
  }

  private HttpResponse webhook(String target, JsonNode body) {
    synchronized (lock) {
      boolean fail = webhookFailures > 0;
      if (fail) webhookFailures--;
      webhookPosts.add(new DingtalkWebhookPost(target, body, !fail));
      lock.notifyAll();
      if (fail) return json(200, "{\"errcode\":" + webhookFailureErrcode + ",\"errmsg\":\"refused by the fake\"}");
      return json(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
    }
  }

  private HttpResponse accessToken(JsonNode body) {
    synchronized (lock) {
      if (appKey == null || !appKey.equals(body.path("appKey").asText()) || !appSecret.equals(body.path("appSecret").asText())) {
        return json(400, "{\"code\":\"invalidClientIdOrSecret\",\"message\":\"wrong app key or secret\"}");
      }
      tokensIssued++;
      return json(200, "{\"accessToken\":\"fake-access-token-" + tokensIssued + "\",\"expireIn\":7200}");
    }
  }

  private HttpResponse fileLookup(String token, JsonNode body) {
    synchronized (lock) {
      if (token == null || !token.startsWith("fake-access-token-")) return json(401, "{\"message\":\"bad token\"}");
      String code = body.path("downloadCode").asText();
      fileLookups.add(code);
      if (!files.containsKey(code)) return json(404, "{\"message\":\"no such download code\"}");
      return json(200, MAPPER.createObjectNode().put("downloadUrl", baseUrl() + "/files/" + code).toString());
    }
  }

  private static HttpResponse json(int status, String body) {
    return HttpResponse.create().withStatus(status)
        .withEntity(ContentTypes.APPLICATION_JSON, body.getBytes(StandardCharsets.UTF_8));
  }
}
