package partyclaw.channels.telegram;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.settings.ClientConnectionSettings;
import akka.http.javadsl.settings.ConnectionPoolSettings;
import akka.stream.Materializer;
import akka.stream.javadsl.FileIO;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import partyclaw.core.json.Json;

/**
 * The Bot API over Akka HTTP: {@code POST <base>/bot<token>/<method>} with JSON or multipart, and file downloads.
 * Every call has its own deadline. getUpdates uses its own small connection pool, so a stuck send can never keep
 * the poller from its connection (and the reverse). Errors are {@link TelegramApiException}s without the token.
 */
public final class TelegramBotApi {
  public static final String REDACTED = "[REDACTED_TELEGRAM_BOT_TOKEN]";
  static final long MAX_DOWNLOAD_BYTES = 2L * 1024 * 1024 * 1024;

  private final ActorSystem<?> system;
  private final Http http;
  private final Materializer mat;
  private final String baseUrl;
  private final String token;
  private final TelegramSettings settings;
  private final Executor blocking;
  private final ConnectionPoolSettings sendPool;
  private final ConnectionPoolSettings pollPool;
  private final FloodGate floodGate = new FloodGate();

  public TelegramBotApi(ActorSystem<?> system, String apiBaseUrl, String token, int pollTimeoutSeconds,
      TelegramSettings settings) {
    this.system = system;
    this.http = Http.get(system);
    this.mat = Materializer.matFromSystem(system);
    this.baseUrl = apiBaseUrl.endsWith("/") ? apiBaseUrl.substring(0, apiBaseUrl.length() - 1) : apiBaseUrl;
    this.token = token;
    this.settings = settings;
    this.blocking = partyclaw.actors.BlockingPools.channelIo(system);
    // Our own deadlines end calls; the idle timeout only reclaims connections of answers that never came.
    Duration longest = max(max(settings.requestTimeout(), settings.uploadTimeout()),
        Duration.ofSeconds(pollTimeoutSeconds).plus(settings.pollGrace()));
    ConnectionPoolSettings base = ConnectionPoolSettings.create(system.classicSystem())
        .withConnectionSettings(ClientConnectionSettings.create(system.classicSystem()).withIdleTimeout(
            scala.concurrent.duration.Duration.fromNanos(longest.plusSeconds(30).toNanos())));
    this.sendPool = base.withMaxConnections(16).withMaxOpenRequests(512);
    this.pollPool = base.withMaxConnections(4).withMaxOpenRequests(16);
  }

  /** A JSON call with the default deadline; completes with Telegram's {@code result}. */
  public CompletionStage<JsonNode> call(String method, JsonNode params) {
    return call(method, params, settings.requestTimeout());
  }

  public CompletionStage<JsonNode> call(String method, JsonNode params, Duration timeout) {
    Long chatId = params.path("chat_id").isNumber() ? params.path("chat_id").asLong() : null;
    CompletionStage<JsonNode> banned = refusedByBan(method, chatId);
    if (banned != null) return banned;
    HttpRequest request = HttpRequest.POST(methodUrl(method))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.write(params).getBytes(StandardCharsets.UTF_8)));
    return observeBans(chatId, execute(method, request, sendPool, timeout).thenApply(body -> result(method, body)));
  }

  /** What is left of Telegram's flood-control ban on {@code chatId} (or the whole bot); zero when none. */
  public Duration banRemaining(long chatId) {
    return floodGate.remaining(chatId);
  }

  /** A call Telegram banned for now fails at once, as the 429 it would get, without reaching Telegram. */
  private CompletionStage<JsonNode> refusedByBan(String method, Long chatId) {
    Duration left = floodGate.remaining(chatId);
    if (left.isZero()) return null;
    int seconds = (int) Math.max(1, (left.toMillis() + 999) / 1000);
    return CompletableFuture.failedFuture(new TelegramApiException(method, 429,
        "not sent: Telegram's flood control still bans " + (chatId == null ? "the bot" : "this chat") + " for "
            + seconds + " s", seconds, false));
  }

  private CompletionStage<JsonNode> observeBans(Long chatId, CompletionStage<JsonNode> call) {
    return call.whenComplete((r, e) -> {
      if (e != null && partyclaw.core.util.Failures.unwrap(e) instanceof TelegramApiException tae && tae.status() == 429
          && tae.retryAfter() != null) {
        floodGate.ban(chatId, tae.retryAfter());
      }
    });
  }

  /** {@code getUpdates}: long poll of {@code timeoutSeconds}, deadline that plus the configured grace. */
  public CompletionStage<JsonNode> getUpdates(long offset, int timeoutSeconds) {
    ObjectNode params = Json.object().put("offset", offset).put("timeout", timeoutSeconds);
    params.putArray("allowed_updates").add("message").add("callback_query");
    HttpRequest request = HttpRequest.POST(methodUrl("getUpdates"))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.write(params).getBytes(StandardCharsets.UTF_8)));
    Duration deadline = Duration.ofSeconds(timeoutSeconds).plus(settings.pollGrace());
    return execute("getUpdates", request, pollPool, deadline).thenApply(body -> result("getUpdates", body));
  }

  /** A multipart call sending {@code file} as {@code fileField}, with text {@code fields}. */
  public CompletionStage<JsonNode> upload(String method, Map<String, String> fields, String fileField, Path file) {
    Long chatId = parseChatId(fields.get("chat_id"));
    CompletionStage<JsonNode> banned = refusedByBan(method, chatId);
    if (banned != null) return banned;
    return observeBans(chatId, CompletableFuture.supplyAsync(() -> {
      try {
        return UploadEntity.of(fields, fileField, file);
      } catch (java.io.IOException e) {
        // Gone or unreadable: no retry can help, so it fails like a refused file (the user gets a note instead).
        throw new TelegramApiException(method, 400, "cannot read " + file.getFileName() + ": " + e, null, false);
      }
    }, blocking).thenCompose(entity -> {
      HttpRequest request = HttpRequest.POST(methodUrl(method)).withEntity(entity);
      return execute(method, request, sendPool, settings.uploadTimeout()).thenApply(body -> result(method, body));
    }));
  }

  /** A multipart call sending several files, each as its own field (sendMediaGroup's {@code attach://} names). */
  public CompletionStage<JsonNode> uploadAll(String method, Map<String, String> fields, Map<String, Path> files) {
    Long chatId = parseChatId(fields.get("chat_id"));
    CompletionStage<JsonNode> banned = refusedByBan(method, chatId);
    if (banned != null) return banned;
    return observeBans(chatId, CompletableFuture.supplyAsync(() -> {
      try {
        return UploadEntity.of(fields, files);
      } catch (java.io.IOException e) {
        throw new TelegramApiException(method, 400, "cannot read a file of the album: " + e, null, false);
      }
    }, blocking).thenCompose(entity -> {
      HttpRequest request = HttpRequest.POST(methodUrl(method)).withEntity(entity);
      return execute(method, request, sendPool, settings.uploadTimeout()).thenApply(body -> result(method, body));
    }));
  }

  private static Long parseChatId(String value) {
    try {
      return value == null ? null : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Streams {@code file_path} (as returned by getFile) into {@code target}, never holding the file in memory; at
   * most {@link #MAX_DOWNLOAD_BYTES} (a local Bot API server serves files up to 2 GB).
   */
  public CompletionStage<Long> downloadTo(String filePath, Path target) {
    HttpRequest request = HttpRequest.GET(baseUrl + "/file/bot" + token + "/" + filePath);
    Duration timeout = settings.uploadTimeout();
    CompletableFuture<Long> result = new CompletableFuture<>();
    var cancel = system.scheduler().scheduleOnce(timeout, () -> result.completeExceptionally(
        new TelegramApiException("download", 0, "no answer within " + timeout.toSeconds() + " s", null, true)),
        system.executionContext());
    result.whenComplete((n, e) -> cancel.cancel());
    CompletionStage<HttpResponse> response;
    try {
      response = http.singleRequest(request, http.defaultClientHttpsContext(), sendPool, system.classicSystem().log());
    } catch (RuntimeException e) {
      result.completeExceptionally(transport("download", e));
      return result;
    }
    response.whenComplete((r, e) -> {
      if (e != null) {
        result.completeExceptionally(transport("download", e));
      } else if (r.status().intValue() != 200 || result.isDone()) {
        r.discardEntityBytes(mat);
        result.completeExceptionally(new TelegramApiException("download", r.status().intValue(),
            "HTTP " + r.status().intValue() + " for file " + filePath, null, false));
      } else {
        r.entity().withSizeLimit(MAX_DOWNLOAD_BYTES).getDataBytes()
            .completionTimeout(timeout)
            .runWith(FileIO.toPath(target), mat)
            .whenComplete((io, err) -> {
              if (err != null) result.completeExceptionally(transport("download", err));
              else result.complete(io.getCount());
            });
      }
    });
    return result;
  }

  /** {@code text} with the bot token replaced, for anything that may reach a log or a user. */
  public String redact(String text) {
    return redact(text, token);
  }

  static String redact(String text, String token) {
    if (text == null || token == null || token.isEmpty()) return text;
    return text.replace(token, REDACTED);
  }

  private record Body(int status, byte[] bytes) {}

  private String methodUrl(String method) {
    return baseUrl + "/bot" + token + "/" + method;
  }

  private CompletionStage<Body> execute(String method, HttpRequest request, ConnectionPoolSettings pool, Duration timeout) {
    CompletableFuture<Body> result = new CompletableFuture<>();
    var cancel = system.scheduler().scheduleOnce(timeout, () -> result.completeExceptionally(
        new TelegramApiException(method, 0, "no answer within " + timeout.toSeconds() + " s", null, true)),
        system.executionContext());
    CompletionStage<HttpResponse> response;
    try {
      response = http.singleRequest(request, http.defaultClientHttpsContext(), pool, system.classicSystem().log());
    } catch (RuntimeException e) {
      result.completeExceptionally(transport(method, e));
      return result;
    }
    response.whenComplete((r, e) -> {
      if (e != null) {
        result.completeExceptionally(transport(method, e));
        return;
      }
      if (result.isDone()) {
        r.discardEntityBytes(mat); // answered after we gave up: free the connection
        return;
      }
      r.entity().toStrict(Math.max(1000, timeout.toMillis()), mat).whenComplete((strict, err) -> {
        if (err != null) result.completeExceptionally(transport(method, err));
        else result.complete(new Body(r.status().intValue(), strict.getData().toArray()));
      });
    });
    result.whenComplete((b, e) -> cancel.cancel());
    return result;
  }

  private JsonNode result(String method, Body body) {
    JsonNode json;
    try {
      json = Json.parse(new String(body.bytes(), StandardCharsets.UTF_8));
    } catch (Exception e) {
      json = null;
    }
    if (json == null || !json.isObject()) {
      throw new TelegramApiException(method, body.status() == 200 ? 502 : body.status(),
          "HTTP " + body.status() + " without a Bot API JSON answer", null, false);
    }
    if (json.path("ok").asBoolean(false)) return json.path("result");
    int code = json.path("error_code").asInt(body.status());
    JsonNode retry = json.path("parameters").path("retry_after");
    throw new TelegramApiException(method, code, redact(json.path("description").asText("HTTP " + body.status())),
        retry.isNumber() ? retry.asInt() : null, false);
  }

  private TelegramApiException transport(String method, Throwable e) {
    Throwable t = partyclaw.core.util.Failures.unwrap(e);
    if (t instanceof TelegramApiException tae) return tae;
    String what = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    return new TelegramApiException(method, 0, redact(what), null, false);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
