package partyclaw.channels.telegram;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import partyclaw.channels.common.Retries;
import partyclaw.core.json.Json;

/**
 * Sends the parts of one outbox entry to a chat, in order, from part {@code alreadySent} on (an entry resent
 * after a failure continues where it stopped, so earlier parts are not repeated). Sends are retried on
 * transport errors, 5xx and 429 (waiting {@code retry_after}); HTML Telegram cannot parse goes again as plain text.
 */
final class OutboundSender {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OutboundSender.class);
  /** {@code permanent}: Telegram will never take it (bot blocked or removed), so resending cannot help. */
  record Result(int sent, Throwable error, boolean permanent) {
    Result(int sent, Throwable error) {
      this(sent, error, false);
    }
  }

  private final ActorSystem<?> system;
  private final TelegramBotApi api;
  private final TelegramSettings settings;
  private final Executor blocking;

  OutboundSender(ActorSystem<?> system, TelegramBotApi api, TelegramSettings settings) {
    this.system = system;
    this.api = api;
    this.settings = settings;
    this.blocking = partyclaw.actors.BlockingPools.channelIo(system);
  }

  /** Never fails: the result says how many parts went out and, if not all, why. */
  CompletionStage<Result> deliver(long chatId, String text, String workspaceRoot, int alreadySent) {
    return CompletableFuture.supplyAsync(
            () -> OutboundParts.of(text, workspaceRoot == null ? null : Path.of(workspaceRoot)), blocking)
        .thenCompose(parts -> sendFrom(chatId, parts, alreadySent))
        .exceptionally(e -> new Result(alreadySent, Retries.unwrap(e)));
  }

  private CompletionStage<Result> sendFrom(long chatId, List<OutboundParts.Part> parts, int index) {
    if (index >= parts.size()) return CompletableFuture.completedFuture(new Result(index, null));
    OutboundParts.Part part = parts.get(index);
    return send(chatId, part).handle((ok, error) -> {
      if (error == null) return sendFrom(chatId, parts, index + 1);
      Throwable cause = Retries.unwrap(error);
      if (!(cause instanceof TelegramApiException tae)) return CompletableFuture.completedFuture(new Result(index, cause));
      if (tae.status() == 403) return CompletableFuture.completedFuture(new Result(index, cause, true));
      if (tae.status() == 400 || tae.status() == 413) {
        // This part can never go out (too big, refused); the user learns that and gets the rest.
        LOG.warn("telegram chat {}: part {} refused for good: {}", chatId, index + 1, tae.getMessage());
        CompletionStage<JsonNode> note = part instanceof OutboundParts.File f
            ? sendJson("sendMessage", Json.object().put("chat_id", chatId).put("text", "(The file "
                + f.path().getFileName() + " could not be sent: " + tae.getMessage() + ")"))
            : CompletableFuture.completedFuture(null);
        return note.handle((r, e) -> null).thenCompose(x -> sendFrom(chatId, parts, index + 1));
      }
      return CompletableFuture.completedFuture(new Result(index, cause));
    }).thenCompose(s -> s);
  }

  private CompletionStage<JsonNode> send(long chatId, OutboundParts.Part part) {
    if (part instanceof OutboundParts.Text t) {
      ObjectNode html = Json.object().put("chat_id", chatId).put("text", t.html()).put("parse_mode", "HTML");
      ObjectNode plain = Json.object().put("chat_id", chatId).put("text", HtmlChunks.visibleText(t.html()));
      return withPlainFallback(() -> sendJson("sendMessage", html), () -> sendJson("sendMessage", plain));
    }
    OutboundParts.File f = (OutboundParts.File) part;
    String method = f.image() ? "sendPhoto" : "sendDocument";
    String field = f.image() ? "photo" : "document";
    CompletionStage<JsonNode> sent = withPlainFallback(
        () -> upload(method, field, chatId, f.path(), f.captionHtml(), true),
        () -> upload(method, field, chatId, f.path(), f.captionHtml(), false));
    if (!f.image()) return sent;
    // Telegram refuses some images as photos (size, dimensions): they still arrive as documents.
    return sent.handle((r, e) -> {
      Throwable cause = e == null ? null : Retries.unwrap(e);
      if (cause instanceof TelegramApiException tae && tae.status() == 400 && !tae.isParseError()) {
        return upload("sendDocument", "document", chatId, f.path(), f.captionHtml(), false);
      }
      return e == null ? CompletableFuture.completedFuture(r) : CompletableFuture.<JsonNode>failedFuture(cause);
    }).thenCompose(s -> s);
  }

  private CompletionStage<JsonNode> upload(String method, String field, long chatId, Path file, String captionHtml,
      boolean html) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("chat_id", Long.toString(chatId));
    if (captionHtml != null) {
      fields.put("caption", html ? captionHtml : HtmlChunks.visibleText(captionHtml));
      if (html) fields.put("parse_mode", "HTML");
    }
    // An upload that timed out may have arrived: it is not repeated blindly (the outbox resends the entry later).
    return Retries.retry(system, settings.sendAttempts(), () -> api.upload(method, fields, field, file),
        e -> retryable(e) && !(e instanceof TelegramApiException tae && tae.isTimeout()), this::delay);
  }

  /** A JSON send method with up to {@code send-attempts} tries. */
  CompletionStage<JsonNode> sendJson(String method, ObjectNode params) {
    return Retries.retry(system, settings.sendAttempts(), () -> api.call(method, params), this::retryable, this::delay);
  }

  private static CompletionStage<JsonNode> withPlainFallback(Supplier<CompletionStage<JsonNode>> html,
      Supplier<CompletionStage<JsonNode>> plain) {
    return html.get().handle((r, e) -> {
      if (e == null) return CompletableFuture.completedFuture(r);
      Throwable cause = Retries.unwrap(e);
      if (cause instanceof TelegramApiException tae && tae.isParseError()) return plain.get();
      return CompletableFuture.<JsonNode>failedFuture(cause);
    }).thenCompose(s -> s);
  }

  private boolean retryable(Throwable e) {
    if (!(e instanceof TelegramApiException tae) || !tae.isRetryable()) return false;
    Duration wait = tae.retryAfter();
    return wait == null || wait.compareTo(settings.maxRetryAfter()) <= 0;
  }

  private Duration delay(int attempt, Throwable e) {
    if (e instanceof TelegramApiException tae && tae.retryAfter() != null) return tae.retryAfter();
    return settings.sendRetryBase().multipliedBy(attempt);
  }
}
