package partyclaw.testkit;

import akka.actor.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.Multipart;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import akka.pattern.Patterns;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import partyclaw.testkit.FakeTelegramBot.Reply;

/**
 * An in-process Telegram Bot API on 127.0.0.1 for tests and benchmarks: {@code POST /bot<token>/<method>} (JSON,
 * form or multipart) for the methods partyclaw uses, {@code GET /file/bot<token>/<path>} for downloads. getUpdates
 * long-polls for real (held until an update arrives or {@code timeout} passes; {@code offset} confirms and drops
 * older updates; a newer getUpdates ends a held one with 409). HTML is checked as the real API does. Tests script
 * it: inject messages, make calls fail, read what the bot sent.
 */
public final class FakeTelegramServer implements AutoCloseable {
  public static final String DEFAULT_BOT_USERNAME = "partyclaw_test_bot";
  public static final long DEFAULT_BOT_ID = 777_000_111L;
  private static final long MAX_REQUEST_BYTES = 64L * 1024 * 1024;

  /** {@code chatId} non-null: only calls for that chat fail, until the rules are cleared. */
  private record FailureRule(String method, int[] remaining, Instant until, TelegramFailure failure, Long chatId) {}

  private final ActorSystem system;
  private final ServerBinding binding;
  private final String token;
  private final FakeTelegramBot bot;
  private final List<FailureRule> failures = new ArrayList<>();

  private FakeTelegramServer(String token, int port) {
    this.token = token;
    this.bot = new FakeTelegramBot(DEFAULT_BOT_ID, DEFAULT_BOT_USERNAME);
    this.system = ActorSystem.create("fake-telegram-server", ConfigFactory.parseString(String.join("\n",
            "akka.loglevel = WARNING",
            "akka.log-dead-letters = off",
            "akka.loggers = [\"akka.event.slf4j.Slf4jLogger\"]",
            "akka.logging-filter = \"akka.event.slf4j.Slf4jLoggingFilter\"",
            "akka.http.server.request-timeout = 600s",
            "akka.http.server.idle-timeout = 600s",
            "akka.http.server.parsing.max-content-length = " + MAX_REQUEST_BYTES))
        .withFallback(ConfigFactory.load()));
    try {
      this.binding = Http.get(system).newServerAt("127.0.0.1", port).bind(this::handle)
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("FakeTelegramServer could not bind 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
  }

  public static FakeTelegramServer start(String token) {
    return new FakeTelegramServer(token, 0);
  }

  public static FakeTelegramServer start(String token, int port) {
    return new FakeTelegramServer(token, port);
  }

  /** The {@code api_base_url} to configure, e.g. {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  public String token() {
    return token;
  }

  public long botId() {
    return bot.botId;
  }

  public String botUsername() {
    return bot.botUsername;
  }

  // ---- scripting ----

  /** A message from user {@code fromId} in chat {@code chatId} of {@code chatType} (private, group, supergroup). */
  public FakeTelegramMessage message(long chatId, String chatType, long fromId) {
    return new FakeTelegramMessage(this, chatId, chatType, fromId);
  }

  /** Queues a text message; returns its update id. */
  public long injectMessage(long chatId, String chatType, long fromId, String text) {
    return message(chatId, chatType, fromId).text(text).inject();
  }

  /** Queues all {@code messages} at once: a held getUpdates answers them in one batch. Returns their update ids. */
  public List<Long> injectMessages(List<FakeTelegramMessage> messages) {
    return bot.injectMessages(messages);
  }

  /** Every message the bot sent or edited, in order, from position {@code from} of that feed on. */
  public List<SentMessage> sentFeed(int from) {
    synchronized (bot.lock) {
      return bot.sentFeed(from);
    }
  }

  /**
   * Queues {@code update} exactly as given, however malformed (the fake only assigns its {@code update_id}); returns
   * that id. For fuzzing the bot's update handling.
   */
  public long injectRawUpdate(ObjectNode update) {
    return bot.injectRaw(update);
  }

  /** Queues one update per photo with a shared {@code media_group_id}; the caption goes on the first. */
  public List<Long> injectAlbum(long chatId, String chatType, long fromId, String caption, List<byte[]> photos) {
    String group = "album" + System.nanoTime();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < photos.size(); i++) {
      FakeTelegramMessage m = message(chatId, chatType, fromId).photo(photos.get(i)).mediaGroup(group);
      if (i == 0 && caption != null) m.caption(caption);
      ids.add(m.inject());
    }
    return ids;
  }

  /** An inline-button press on message {@code messageId} of the chat. */
  public long injectCallback(long chatId, long fromId, long messageId, String data) {
    return bot.injectCallback(chatId, fromId, messageId, data);
  }

  /** What getChatMemberCount answers (default: 2 for private chats, 10 for groups). */
  public void setMemberCount(long chatId, int count) {
    bot.setMemberCount(chatId, count);
  }

  /** The next {@code times} calls of {@code method} ({@code "*"} = any) fail this way. */
  public void failNext(String method, int times, TelegramFailure failure) {
    synchronized (bot.lock) {
      failures.add(new FailureRule(method, new int[] {times}, null, failure, null));
    }
  }

  /** Every call of {@code method} ({@code "*"} = any) fails this way for {@code duration} from now. */
  public void failDuring(String method, Duration duration, TelegramFailure failure) {
    synchronized (bot.lock) {
      failures.add(new FailureRule(method, null, Instant.now().plus(duration), failure, null));
    }
  }

  /** Every call of {@code method} for {@code chatId} fails this way until {@link #clearFailures}. */
  public void failForChat(String method, long chatId, TelegramFailure failure) {
    synchronized (bot.lock) {
      failures.add(new FailureRule(method, null, null, failure, chatId));
    }
  }

  public void clearFailures() {
    synchronized (bot.lock) {
      failures.clear();
    }
  }

  // ---- reading ----

  /** Messages the bot sent to the chat, oldest first, as they stand after edits. */
  public List<SentMessage> sentMessages(long chatId) {
    synchronized (bot.lock) {
      return bot.sentMessages(chatId);
    }
  }

  /** Every chat's sent messages. */
  public Map<Long, List<SentMessage>> allSentMessages() {
    synchronized (bot.lock) {
      return bot.allSent();
    }
  }

  public List<String> chatActions(long chatId) {
    synchronized (bot.lock) {
      return bot.chatActions(chatId);
    }
  }

  /** The last command list set for a scope type (e.g. all_private_chats), or null. */
  public JsonNode commands(String scopeType) {
    synchronized (bot.lock) {
      return bot.commands(scopeType);
    }
  }

  /** Every call received, in order; {@code method} null = all. */
  public List<ApiCall> calls(String method) {
    synchronized (bot.lock) {
      return bot.calls.stream().filter(c -> method == null || c.method().equals(method)).toList();
    }
  }

  /** The highest offset a getUpdates confirmed: every update below it is gone. */
  public long confirmedOffset() {
    return bot.confirmedOffset();
  }

  /** Ids of updates not confirmed yet. */
  public List<Long> pendingUpdateIds() {
    return bot.pendingUpdateIds();
  }

  public List<SentMessage> awaitSentMessages(long chatId, int n, Duration timeout) {
    return await(() -> bot.sentMessages(chatId).size() >= n ? bot.sentMessages(chatId) : null, timeout,
        () -> n + " messages sent to chat " + chatId + ", got " + bot.sentMessages(chatId));
  }

  public List<ApiCall> awaitCalls(String method, int n, Duration timeout) {
    return await(() -> {
      List<ApiCall> list = bot.calls.stream().filter(c -> c.method().equals(method)).toList();
      return list.size() >= n ? list : null;
    }, timeout, () -> n + " calls of " + method);
  }

  /** Waits until a getUpdates answer carried update {@code updateId} (the bot has fetched it). */
  public void awaitDelivered(long updateId, Duration timeout) {
    await(() -> bot.wasDelivered(updateId) ? Boolean.TRUE : null, timeout, () -> "update " + updateId + " fetched");
  }

  /** Waits until {@code probe} (called under the server's lock) returns non-null. */
  public <T> T await(Supplier<T> probe, Duration timeout, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (bot.lock) {
      while (true) {
        T value = probe.get();
        if (value != null) return value;
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (leftMs <= 0) throw new AssertionError("FakeTelegramServer: timed out after " + timeout + " waiting for " + what.get());
        try {
          bot.lock.wait(Math.min(leftMs, 200));
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
      // the system is going away regardless; a slow shutdown must not fail the caller's teardown
    }
  }

  CompletionStage<?> whenTerminated() {
    return system.getWhenTerminated();
  }

  FakeTelegramBot bot() {
    return bot;
  }

  @Override
  public String toString() {
    return "FakeTelegramServer[" + baseUrl() + "]";
  }

  // ---- HTTP ----

  /**
   * For the first callback on a future from Akka: Scala's converted futures run their non-async callbacks on the
   * common pool, which on a 2-core machine means a new thread per callback (the benchmark's fake answers thousands of
   * calls a second); these callbacks are short, so they run where the future completes.
   */
  static final Executor SAME_THREAD = Runnable::run;

  private CompletionStage<HttpResponse> handle(HttpRequest request) {
    String path = request.getUri().path();
    if (path.startsWith("/_control/")) return FakeTelegramControl.handle(this, request, system);
    String filePrefix = "/file/bot" + token + "/";
    if (request.method().equals(HttpMethods.GET) && path.startsWith(filePrefix)) {
      request.discardEntityBytes(system);
      FakeTelegramBot.StoredFile f = bot.fileByPath(path.substring(filePrefix.length()));
      if (f == null) return CompletableFuture.completedFuture(respond(FakeTelegramBot.error(404, "Not Found")));
      return CompletableFuture.completedFuture(HttpResponse.create()
          .withEntity(ContentTypes.APPLICATION_OCTET_STREAM, f.bytes()));
    }
    String prefix = "/bot" + token + "/";
    if (!path.startsWith(prefix)) {
      request.discardEntityBytes(system);
      int status = path.startsWith("/bot") ? 401 : 404;
      return CompletableFuture.completedFuture(respond(FakeTelegramBot.error(status, status == 401 ? "Unauthorized" : "Not Found")));
    }
    String method = path.substring(prefix.length());
    return parse(request).thenCompose(parsed -> call(method, parsed.params, parsed.files));
  }

  private record Parsed(JsonNode params, Map<String, UploadedFile> files) {}

  private CompletionStage<Parsed> parse(HttpRequest request) {
    if (request.entity().getContentType().mediaType().toString().startsWith("multipart/form-data")) {
      return Unmarshaller.entityToMultipartFormData().unmarshal(request.entity(), system)
          .thenComposeAsync(form -> form.toStrict(10_000, akka.stream.Materializer.matFromSystem(system)), SAME_THREAD)
          .thenApplyAsync(FakeTelegramServer::fromMultipart, SAME_THREAD);
    }
    return request.entity().toStrict(10_000, MAX_REQUEST_BYTES, system).thenApplyAsync(strict -> {
      String body = strict.getData().decodeString(StandardCharsets.UTF_8);
      ObjectNode params = FakeTelegramBot.MAPPER.createObjectNode();
      request.getUri().query().toMap().forEach(params::put);
      if (!body.isBlank()) {
        try {
          JsonNode json = FakeTelegramBot.MAPPER.readTree(body);
          if (json.isObject()) params.setAll((ObjectNode) json);
        } catch (Exception e) {
          akka.http.javadsl.model.Query.create(body).toMap().forEach(params::put);
        }
      }
      return new Parsed(params, Map.of());
    }, SAME_THREAD);
  }

  private static Parsed fromMultipart(Multipart.FormData.Strict form) {
    ObjectNode params = FakeTelegramBot.MAPPER.createObjectNode();
    Map<String, UploadedFile> files = new LinkedHashMap<>();
    for (Multipart.FormData.BodyPart.Strict part : form.getStrictParts()) {
      byte[] bytes = part.getEntity().getData().toArray();
      if (part.getFilename().isPresent()) {
        files.put(part.getName(), new UploadedFile(part.getName(), part.getFilename().get(),
            part.getEntity().getContentType().toString(), bytes));
      } else {
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
          JsonNode json = text.startsWith("{") || text.startsWith("[") ? FakeTelegramBot.MAPPER.readTree(text) : null;
          if (json != null) params.set(part.getName(), json);
          else params.put(part.getName(), text);
        } catch (Exception e) {
          params.put(part.getName(), text);
        }
      }
    }
    return new Parsed(params, files);
  }

  private CompletionStage<HttpResponse> call(String method, JsonNode params, Map<String, UploadedFile> files) {
    int index;
    TelegramFailure failure;
    synchronized (bot.lock) {
      index = bot.calls.size();
      bot.calls.add(new ApiCall(method, params, files, Instant.now(), 0));
      bot.lock.notifyAll();
      failure = failureFor(method, params.path("chat_id").asLong(0));
      if (failure == null && !method.equals("getUpdates")) {
        Reply reply = bot.handle(method, params, files);
        bot.calls.set(index, bot.calls.get(index).withStatus(reply.status()));
        return CompletableFuture.completedFuture(respond(reply));
      }
    }
    if (failure != null) {
      Reply reply = FakeTelegramBot.error(failure.status(), failure.description(), failure.retryAfter());
      if (!failure.hangs()) return CompletableFuture.completedFuture(finish(index, reply));
      return Patterns.after(failure.hangFor(), system, () -> CompletableFuture.completedFuture(finish(index, reply)));
    }
    return getUpdates(index, params);
  }

  private CompletionStage<HttpResponse> getUpdates(int index, JsonNode params) {
    long offset = params.path("offset").asLong(0);
    int limit = Math.max(1, Math.min(100, params.path("limit").asInt(100)));
    int timeout = Math.max(0, params.path("timeout").asInt(0));
    FakeTelegramBot.Waiter waiter;
    synchronized (bot.lock) {
      if (bot.waiter != null) bot.waiter.done().complete(true);
      List<ObjectNode> now = bot.confirmAndPeek(offset, limit);
      if (!now.isEmpty() || timeout == 0) return CompletableFuture.completedFuture(finish(index, FakeTelegramBot.ok(now)));
      waiter = new FakeTelegramBot.Waiter(offset, limit, new CompletableFuture<>());
      bot.waiter = waiter;
    }
    system.scheduler().scheduleOnce(Duration.ofSeconds(timeout), () -> waiter.done().complete(false), system.dispatcher());
    return waiter.done().thenApply(terminated -> {
      synchronized (bot.lock) {
        if (bot.waiter == waiter) bot.waiter = null;
        if (terminated) return finish(index, FakeTelegramBot.error(409, TelegramFailure.conflict().description()));
        return finish(index, FakeTelegramBot.ok(bot.confirmAndPeek(waiter.offset(), waiter.limit())));
      }
    });
  }

  private HttpResponse finish(int index, Reply reply) {
    synchronized (bot.lock) {
      bot.calls.set(index, bot.calls.get(index).withStatus(reply.status()));
      bot.lock.notifyAll();
    }
    return respond(reply);
  }

  private TelegramFailure failureFor(String method, long chatId) {
    Instant now = Instant.now();
    failures.removeIf(r -> (r.remaining() != null && r.remaining()[0] <= 0) || (r.until() != null && now.isAfter(r.until())));
    for (FailureRule r : failures) {
      if (!r.method().equals("*") && !r.method().equals(method)) continue;
      if (r.chatId() != null && r.chatId() != chatId) continue;
      if (r.remaining() != null) r.remaining()[0]--;
      return r.failure();
    }
    return null;
  }

  static HttpResponse respond(Reply reply) {
    return HttpResponse.create().withStatus(reply.status())
        .withEntity(ContentTypes.APPLICATION_JSON, reply.body().toString().getBytes(StandardCharsets.UTF_8));
  }
}
