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
import partyclaw.actors.outbox.ReplyOption;
import partyclaw.channels.common.Retries;
import partyclaw.core.json.Json;

/**
 * Sends the parts of one outbox entry to a chat, in order, from part {@code alreadySent} on (an entry resent
 * after a failure continues where it stopped, so earlier parts are not repeated). Sends are retried on
 * transport errors, 5xx and 429 (waiting {@code retry_after}); HTML Telegram cannot parse goes again as plain text,
 * and a text part Telegram refuses otherwise goes again as plain text in smaller pieces.
 */
final class OutboundSender {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OutboundSender.class);
  /** Visible characters per piece when a refused text part is sent again as plain text. */
  static final int SMALLER_PIECE = 1000;

  /**
   * {@code sent}: parts that went out. {@code error}: why the rest did not (null when all did).
   * {@code undeliverable}: set when Telegram will never take the entry (token revoked, bot blocked, text refused):
   * resending cannot help; the reason holds no secret.
   */
  record Result(int sent, Throwable error, String undeliverable) {
    Result(int sent, Throwable error) {
      this(sent, error, null);
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
  CompletionStage<Result> deliver(long chatId, String text, String workspaceRoot, List<ReplyOption> options,
      int alreadySent) {
    InlineKeyboard keyboard = InlineKeyboard.of(options);
    String withChoices = keyboard.textOnly().isEmpty() ? text
        : text + "\n\n" + ReplyOption.asText(keyboard.textOnly());
    return CompletableFuture.supplyAsync(
            () -> OutboundParts.of(withChoices, workspaceRoot == null ? null : Path.of(workspaceRoot)), blocking)
        .thenCompose(parts -> sendFrom(chatId, parts, alreadySent, keyboard.markup()))
        .exceptionally(e -> new Result(alreadySent, Retries.unwrap(e)));
  }

  /** {@code markup}: the inline keyboard, sent with the entry's first part (null: none). */
  private CompletionStage<Result> sendFrom(long chatId, List<OutboundParts.Part> parts, int index, ObjectNode markup) {
    if (index >= parts.size()) return CompletableFuture.completedFuture(new Result(index, null));
    OutboundParts.Part part = parts.get(index);
    ObjectNode partMarkup = index == 0 ? markup : null;
    return send(chatId, part, partMarkup).handle((ok, error) -> {
      if (error == null) return sendFrom(chatId, parts, index + 1, markup);
      Throwable cause = Retries.unwrap(error);
      if (!(cause instanceof TelegramApiException tae)) return CompletableFuture.completedFuture(new Result(index, cause));
      String never = RefusalReasons.forEntry(tae, index, parts.size(), part instanceof OutboundParts.Text);
      if (never != null) return CompletableFuture.completedFuture(new Result(index, cause, never));
      if (part instanceof OutboundParts.File f && (tae.status() == 400 || tae.status() == 413)) {
        // This file can never go out (too big, refused); the user learns that in its place and gets the rest.
        LOG.warn("telegram chat {}: file part {} refused for good: {}", chatId, index + 1, tae.getMessage());
        return sendJson("sendMessage", Json.object().put("chat_id", chatId).put("text", "(The file "
                + f.path().getFileName() + " could not be sent: " + tae.getMessage() + ")"))
            .handle((r, e) -> e == null ? sendFrom(chatId, parts, index + 1, markup)
                : CompletableFuture.completedFuture(new Result(index, Retries.unwrap(e))))
            .thenCompose(s -> s);
      }
      return CompletableFuture.completedFuture(new Result(index, cause));
    }).thenCompose(s -> s);
  }

  private CompletionStage<JsonNode> send(long chatId, OutboundParts.Part part, ObjectNode markup) {
    if (part instanceof OutboundParts.Text t) {
      ObjectNode html = Json.object().put("chat_id", chatId).put("text", t.html()).put("parse_mode", "HTML");
      if (markup != null) html.set("reply_markup", markup);
      return withPlainFallback(() -> sendJson("sendMessage", html),
          () -> sendPlainPieces(chatId, t.html(), markup), true);
    }
    if (part instanceof OutboundParts.Album album) return sendAlbum(chatId, album);
    OutboundParts.File f = (OutboundParts.File) part;
    MediaMethod media = f.image() ? MediaMethod.PHOTO : MediaMethod.forFile(f.path());
    CompletionStage<JsonNode> sent = withPlainFallback(
        () -> upload(media.method(), media.field(), chatId, f.path(), f.captionHtml(), true, markup),
        () -> upload(media.method(), media.field(), chatId, f.path(), f.captionHtml(), false, markup), false);
    if (media == MediaMethod.DOCUMENT) return sent;
    // Telegram refuses some media in their own kind (size, dimensions, codec): they still arrive as documents.
    return sent.handle((r, e) -> {
      Throwable cause = e == null ? null : Retries.unwrap(e);
      if (cause instanceof TelegramApiException tae && tae.status() == 400 && !tae.isParseError()) {
        return upload("sendDocument", "document", chatId, f.path(), f.captionHtml(), false, markup);
      }
      return e == null ? CompletableFuture.completedFuture(r) : CompletableFuture.<JsonNode>failedFuture(cause);
    }).thenCompose(s -> s);
  }

  /**
   * An album as one sendMediaGroup; refused as a whole (400), its photos go one by one, so the user still gets them.
   */
  private CompletionStage<JsonNode> sendAlbum(long chatId, OutboundParts.Album album) {
    CompletionStage<JsonNode> sent = withPlainFallback(() -> uploadAlbum(chatId, album, true),
        () -> uploadAlbum(chatId, album, false), false);
    return sent.handle((r, e) -> {
      Throwable cause = e == null ? null : Retries.unwrap(e);
      if (cause instanceof TelegramApiException tae && tae.status() == 400 && !tae.isParseError()) {
        CompletionStage<JsonNode> chain = CompletableFuture.completedFuture(null);
        for (int i = 0; i < album.photos().size(); i++) {
          OutboundParts.File single = new OutboundParts.File(album.photos().get(i), true,
              i == 0 ? album.captionHtml() : null);
          chain = chain.thenCompose(x -> send(chatId, single, null));
        }
        return chain;
      }
      return e == null ? CompletableFuture.completedFuture(r) : CompletableFuture.<JsonNode>failedFuture(cause);
    }).thenCompose(s -> s);
  }

  private CompletionStage<JsonNode> uploadAlbum(long chatId, OutboundParts.Album album, boolean html) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("chat_id", Long.toString(chatId));
    com.fasterxml.jackson.databind.node.ArrayNode media = Json.array();
    Map<String, Path> files = new LinkedHashMap<>();
    for (int i = 0; i < album.photos().size(); i++) {
      String name = "file" + i;
      files.put(name, album.photos().get(i));
      ObjectNode item = media.addObject().put("type", "photo").put("media", "attach://" + name);
      if (i == 0 && album.captionHtml() != null) {
        item.put("caption", html ? album.captionHtml() : HtmlChunks.visibleText(album.captionHtml()));
        if (html) item.put("parse_mode", "HTML");
      }
    }
    fields.put("media", Json.write(media));
    return Retries.retry(system, settings.sendAttempts(), () -> api.uploadAll("sendMediaGroup", fields, files),
        e -> retryable(e) && !(e instanceof TelegramApiException tae && tae.isTimeout()), this::delay);
  }

  /**
   * The text of a refused HTML part as plain text in pieces of {@link #SMALLER_PIECE} characters, in order. A piece
   * refused again fails the part with that refusal; a transient failure fails it for a later resend (pieces already
   * sent are then sent again: the part is the unit of progress).
   */
  private CompletionStage<JsonNode> sendPlainPieces(long chatId, String html, ObjectNode markup) {
    List<String> pieces = PlainPieces.of(HtmlChunks.visibleText(html), SMALLER_PIECE);
    CompletionStage<JsonNode> chain = CompletableFuture.completedFuture(null);
    for (int i = 0; i < pieces.size(); i++) {
      ObjectNode params = Json.object().put("chat_id", chatId).put("text", pieces.get(i));
      if (i == 0 && markup != null) params.set("reply_markup", markup);
      chain = chain.thenCompose(x -> sendJson("sendMessage", params));
    }
    return chain;
  }

  private CompletionStage<JsonNode> upload(String method, String field, long chatId, Path file, String captionHtml,
      boolean html, ObjectNode markup) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("chat_id", Long.toString(chatId));
    if (captionHtml != null) {
      fields.put("caption", html ? captionHtml : HtmlChunks.visibleText(captionHtml));
      if (html) fields.put("parse_mode", "HTML");
    }
    if (markup != null) fields.put("reply_markup", Json.write(markup));
    // An upload that timed out may have arrived: it is not repeated blindly (the outbox resends the entry later).
    return Retries.retry(system, settings.sendAttempts(), () -> api.upload(method, fields, field, file),
        e -> retryable(e) && !(e instanceof TelegramApiException tae && tae.isTimeout()), this::delay);
  }

  /** A JSON send method with up to {@code send-attempts} tries. */
  CompletionStage<JsonNode> sendJson(String method, ObjectNode params) {
    return Retries.retry(system, settings.sendAttempts(), () -> api.call(method, params), this::retryable, this::delay);
  }

  /** {@code anyBadRequest}: not only unparsable HTML but every 400 goes to the fallback. */
  private static CompletionStage<JsonNode> withPlainFallback(Supplier<CompletionStage<JsonNode>> html,
      Supplier<CompletionStage<JsonNode>> plain, boolean anyBadRequest) {
    return html.get().handle((r, e) -> {
      if (e == null) return CompletableFuture.completedFuture(r);
      Throwable cause = Retries.unwrap(e);
      if (cause instanceof TelegramApiException tae && (tae.isParseError() || anyBadRequest && tae.status() == 400)) {
        return plain.get();
      }
      return CompletableFuture.<JsonNode>failedFuture(cause);
    }).thenCompose(s -> s);
  }

  /** A flood-control wait longer than max-retry-after is left to the outbox, which holds the chat until it ends. */
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
