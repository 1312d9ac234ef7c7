package partyclaw.channels.telegram;

import akka.actor.typed.ActorSystem;
import partyclaw.actors.metrics.RuntimeMetricsExtension;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.actors.conversation.ConversationEntity;
import partyclaw.core.config.TelegramChannelConfig;
import partyclaw.channels.common.LruMap;
import partyclaw.channels.common.Retries;
import partyclaw.core.json.Json;

/**
 * Turns one incoming message (an update, or an album of them) into a {@code SubmitUserMessage}: decides whether
 * the bot reacts, lets the {@link AccessGate} decide whether it may go on, downloads files into the conversation's
 * workspace, and submits until the conversation acknowledged. Runs outside the poller actor; completes when the
 * update may be confirmed.
 */
final class InboundHandler {
  private static final Logger LOG = LoggerFactory.getLogger(InboundHandler.class);

  /** What reached the bot, already merged for albums. */
  record Incoming(String messageId, JsonNode chat, JsonNode from, List<JsonNode> messages, String callbackData) {
    long chatId() {
      return chat.path("id").asLong();
    }
  }

  private record CachedCount(int count, long expiresAtNanos) {}

  private final ActorSystem<?> system;
  private final TelegramChannelConfig cfg;
  private final TelegramBotApi api;
  private final TelegramSettings settings;
  private final Function<String, RecipientRef<ConversationEntity.Command>> conversations;
  private final Executor blocking;
  private final AccessGate access;
  /** Counts of every chat ever seen would grow without end: the least recently used are forgotten. */
  static final int CACHED_CHATS = 10_000;
  private final Map<Long, CachedCount> memberCounts = Collections.synchronizedMap(new LruMap<>(CACHED_CHATS));
  private volatile BotIdentity bot = new BotIdentity(-1, null);
  private volatile boolean closed;

  InboundHandler(ActorSystem<?> system, TelegramChannelConfig cfg, TelegramBotApi api, TelegramSettings settings,
      Function<String, RecipientRef<ConversationEntity.Command>> conversations, AccessGate access) {
    this.system = system;
    this.access = access;
    this.cfg = cfg;
    this.api = api;
    this.settings = settings;
    this.conversations = conversations;
    this.blocking = partyclaw.actors.BlockingPools.channelIo(system);
  }

  /** Ends the retry loops of messages in flight: their poller is gone and its successor handles them again. */
  void close() {
    closed = true;
  }

  void setBot(BotIdentity identity) {
    this.bot = identity;
  }

  String conversationId(long chatId) {
    return cfg.id() + ":" + chatId;
  }

  /** Completes (never fails) once the message was accepted by its conversation, refused or ignored. */
  CompletionStage<Void> handle(Incoming in) {
    BotIdentity me = bot;
    if (me != null && in.messages().stream().anyMatch(m -> m.path("left_chat_member").path("id").asLong(-1) == me.id())) {
      return close(in.chatId(), "telegram bot was removed from the chat");
    }
    if (in.callbackData() == null && InboundRules.isGroup(in.chat()) && !hasContent(in)) {
      // A service message (members, title, pin…): Telegram says whether the chat still exists for the bot.
      return api.call("getChat", Json.object().put("chat_id", in.chatId()))
          .handle((chat, error) -> error != null && ChatGone.is(Retries.unwrap(error)))
          .thenCompose(gone -> gone ? close(in.chatId(), "telegram chat is no longer available")
              : CompletableFuture.<Void>completedFuture(null));
    }
    return reacts(in).thenCompose(reacts -> {
      if (!reacts) {
        LOG.debug("telegram {}: message {} in chat {} is not addressed to the bot; ignored", cfg.id(), in.messageId(), in.chatId());
        return CompletableFuture.<Void>completedFuture(null);
      }
      return access.admits(knock(in), in.messageId(), () -> closed).thenCompose(verdict -> {
        CompletionStage<Void> closing = CompletableFuture.completedFuture(null);
        for (long chat : verdict.closedChats()) {
          closing = closing.thenCompose(x -> close(chat, "the telegram administrator rejected the chat"));
        }
        return closing.thenCompose(x -> verdict.admitted() ? submit(in) : CompletableFuture.<Void>completedFuture(null));
      });
    }).exceptionally(e -> {
      if (closed) {
        LOG.debug("telegram {}: message {} left to the next poller", cfg.id(), in.messageId());
        return null;
      }
      // Only a bug lands here; the update is dropped rather than blocking the bot forever.
      LOG.error("telegram {}: message {} could not be handled: {}", cfg.id(), in.messageId(), api.redact(String.valueOf(e)));
      return null;
    });
  }

  private static boolean hasContent(Incoming in) {
    return in.messages().stream().anyMatch(m -> !InboundRules.textOf(m).isEmpty() || !InboundFile.of(m).isEmpty());
  }

  private CompletionStage<Boolean> reacts(Incoming in) {
    if (in.callbackData() != null) return CompletableFuture.completedFuture(true);
    if (!hasContent(in)) return CompletableFuture.completedFuture(false);
    if (InboundRules.isPrivate(in.chat())) return CompletableFuture.completedFuture(true);
    BotIdentity me = bot;
    if (in.messages().stream().anyMatch(m -> InboundRules.addressedToBot(m, me))) return CompletableFuture.completedFuture(true);
    if (!InboundRules.isGroup(in.chat())) return CompletableFuture.completedFuture(false);
    return memberCount(in.chatId()).thenApply(n -> n > 0 && n <= 2);
  }

  /**
   * getChatMemberCount, cached. A lookup that failed for now (no answer, 5xx, 429) is tried again, so the message
   * waits instead of being ignored; only a refusal for good (the bot left the group…) counts as a big group.
   */
  private CompletionStage<Integer> memberCount(long chatId) {
    CachedCount cached = memberCounts.get(chatId);
    if (cached != null && cached.expiresAtNanos() > System.nanoTime()) return CompletableFuture.completedFuture(cached.count());
    return Retries.retry(system, 0, () -> api.call("getChatMemberCount", Json.object().put("chat_id", chatId)),
        e -> !closed && e instanceof TelegramApiException tae && tae.isRetryable(),
        (n, e) -> {
          LOG.warn("telegram {}: getChatMemberCount for chat {} failed ({}); the message waits and it is asked again",
              cfg.id(), chatId, e.getMessage());
          return e instanceof TelegramApiException tae && tae.retryAfter() != null ? tae.retryAfter() : settings.backoff(n);
        }).handle((result, error) -> {
          if (error == null) {
            int n = result.asInt(0);
            memberCounts.put(chatId, new CachedCount(n, System.nanoTime() + settings.memberCountTtl().toNanos()));
            return n;
          }
          Throwable cause = Retries.unwrap(error);
          if (closed || !(cause instanceof TelegramApiException tae) || tae.isRetryable()) {
            throw new java.util.concurrent.CompletionException(cause);
          }
          LOG.warn("telegram {}: getChatMemberCount for chat {} refused ({}); treating it as a big group", cfg.id(),
              chatId, cause.getMessage());
          return 0;
        });
  }

  private AccessPolicy.Knock knock(Incoming in) {
    String chatTitle = in.chat().path("title").asText("");
    return new AccessPolicy.Knock(in.chatId(), in.chat().path("type").asText(""), chatTitle,
        in.from().path("id").asLong(), InboundRules.displayName(in.from()), text(in));
  }

  private CompletionStage<Void> submit(Incoming in) {
    String conversationId = conversationId(in.chatId());
    RecipientRef<ConversationEntity.Command> conversation = conversations.apply(conversationId);
    String text = text(in);
    List<InboundFile> files = new ArrayList<>();
    in.messages().forEach(m -> files.addAll(InboundFile.of(m)));
    CompletionStage<FilesResult> saved = files.isEmpty()
        ? CompletableFuture.completedFuture(new FilesResult(List.of(), List.of()))
        : workspaceOf(conversation).thenCompose(root -> saveAll(root, in.messageId(), files));
    String senderId = in.from().path("id").asText();
    String senderName = InboundRules.displayName(in.from());
    return saved.thenCompose(result -> {
      String fullText = text;
      for (String note : result.notes()) fullText = fullText.isEmpty() ? note : fullText + "\n" + note;
      String finalText = fullText;
      return Retries.retry(system, 0,
          () -> AskPattern.<ConversationEntity.Command, ConversationEntity.Accepted>askWithStatus(conversation,
              replyTo -> new ConversationEntity.SubmitUserMessage(in.messageId(), senderId, senderName, finalText,
                  result.paths(), replyTo),
              settings.askTimeout(), system.scheduler()),
          e -> !closed && !(e instanceof StatusReply.ErrorMessage),
          (n, e) -> {
            LOG.warn("telegram {}: conversation {} did not acknowledge message {} ({}); asking again", cfg.id(),
                conversationId, in.messageId(), e.toString());
            return settings.backoff(n);
          });
    }).handle((accepted, error) -> {
      if (error != null && closed) {
        LOG.debug("telegram {}: message {} left to the next poller", cfg.id(), in.messageId());
      } else if (error != null) {
        LOG.warn("telegram {}: conversation {} refused message {}: {}", cfg.id(), conversationId, in.messageId(),
            Retries.unwrap(error).getMessage());
      } else if (accepted.duplicate()) {
        LOG.info("telegram {}: message {} was already accepted by {} (redelivery dropped)", cfg.id(), in.messageId(), conversationId);
      } else {
        RuntimeMetricsExtension.of(system).messageReceived(cfg.id());
      }
      return null;
    });
  }

  /**
   * The chat is gone for the bot (spec §2.1.5): its conversation closes (cron tasks disabled, agents stopped). Asked
   * until the conversation confirms, like a message, so the update is acknowledged only once the close is journaled.
   */
  private CompletionStage<Void> close(long chatId, String reason) {
    String conversationId = conversationId(chatId);
    RecipientRef<ConversationEntity.Command> conversation = conversations.apply(conversationId);
    return Retries.retry(system, 0,
        () -> AskPattern.<ConversationEntity.Command, akka.Done>askWithStatus(conversation,
            replyTo -> new ConversationEntity.CloseConversation(reason, replyTo), settings.askTimeout(),
            system.scheduler()),
        e -> !closed && !(e instanceof StatusReply.ErrorMessage),
        (n, e) -> {
          LOG.warn("telegram {}: conversation {} did not confirm closing ({}); asking again", cfg.id(), conversationId,
              e.toString());
          return settings.backoff(n);
        }).handle((done, error) -> {
          if (error == null) {
            LOG.info("telegram {}: conversation {} closed: {}", cfg.id(), conversationId, reason);
          } else if (!closed) {
            LOG.warn("telegram {}: conversation {} could not be closed: {}", cfg.id(), conversationId,
                Retries.unwrap(error).getMessage());
          }
          return null;
        });
  }

  private String text(Incoming in) {
    if (in.callbackData() != null) return in.callbackData();
    List<String> parts = new ArrayList<>();
    for (JsonNode m : in.messages()) {
      String t = InboundRules.textOf(m);
      if (!t.isEmpty()) parts.add(t);
    }
    return InboundRules.normalize(String.join("\n\n", parts), bot.username());
  }

  private CompletionStage<Path> workspaceOf(RecipientRef<ConversationEntity.Command> conversation) {
    return Retries.retry(system, 0,
        () -> AskPattern.<ConversationEntity.Command, String>askWithStatus(conversation,
            ConversationEntity.GetWorkspace::new, settings.askTimeout(), system.scheduler()),
        e -> !closed && !(e instanceof StatusReply.ErrorMessage),
        (n, e) -> settings.backoff(n)).thenApply(Path::of);
  }

  private record FilesResult(List<String> paths, List<String> notes) {}

  private CompletionStage<FilesResult> saveAll(Path root, String messageId, List<InboundFile> files) {
    CompletionStage<FilesResult> chain = CompletableFuture.completedFuture(new FilesResult(new ArrayList<>(), new ArrayList<>()));
    for (int i = 0; i < files.size(); i++) {
      InboundFile f = files.get(i);
      // Stable per message and file: a redelivery after a crash overwrites the same file instead of adding one.
      String uuid = UUID.nameUUIDFromBytes((cfg.id() + "|" + messageId + "|" + i + "|" + f.uniqueId())
          .getBytes(StandardCharsets.UTF_8)).toString();
      String relative = "upload/" + uuid + "-" + InboundFile.sanitize(f.name(), "file.bin");
      Path target = root.resolve(relative);
      chain = chain.thenCompose(acc -> download(f, target).thenApply(size -> {
        acc.paths().add(relative);
        return acc;
      }).exceptionally(e -> {
        String why = api.redact(Retries.unwrap(e).getMessage());
        LOG.warn("telegram {}: file {} of message {} could not be saved: {}", cfg.id(), f.name(), messageId, why);
        acc.notes().add("[The attached file " + f.name() + " could not be downloaded from Telegram (" + why
            + "); ask the user to send it again.]");
        return acc;
      }));
    }
    return chain;
  }

  /**
   * Streams the file into {@code target} through a {@code .part} file moved into place when complete, so the
   * workspace never shows half a file and a retry starts clean.
   */
  private CompletionStage<Long> download(InboundFile f, Path target) {
    Path part = target.resolveSibling(target.getFileName() + ".part");
    return CompletableFuture.runAsync(() -> createParent(target), blocking)
        .thenCompose(x -> Retries.retry(system, settings.downloadAttempts(),
            () -> api.call("getFile", Json.object().put("file_id", f.fileId()))
                .thenCompose(file -> api.downloadTo(file.path("file_path").asText(), part)),
            e -> !(e instanceof TelegramApiException tae) || tae.isRetryable(),
            (n, e) -> settings.backoff(n)))
        .thenApplyAsync(size -> {
          moveIntoPlace(part, target);
          return size;
        }, blocking)
        .whenCompleteAsync((size, error) -> {
          if (error != null) deleteQuietly(part);
        }, blocking);
  }

  private static void deleteQuietly(Path part) {
    try {
      Files.deleteIfExists(part);
    } catch (IOException e) {
      LOG.debug("could not remove {}: {}", part.getFileName(), e.toString());
    }
  }

  private static void createParent(Path target) {
    try {
      Files.createDirectories(target.getParent());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot create the upload folder in the workspace", e);
    }
  }

  private static void moveIntoPlace(Path part, Path target) {
    try {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + target.getFileName() + " into the workspace", e);
    }
  }
}
