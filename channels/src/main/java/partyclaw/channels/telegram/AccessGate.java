package partyclaw.channels.telegram;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.channels.common.Retries;
import partyclaw.core.config.TelegramChannelConfig;
import partyclaw.core.json.Json;

/**
 * Access control in front of the conversations of one bot: asks the {@link TelegramAccessStore} (or, for an
 * {@code open} bot, the {@link AccessPolicy} alone) whether a message may go on, and sends what the verdict says to
 * send, refusal notices through the {@link NoticeThrottle}. Shared by the poller's incarnations, so a restarted
 * poller does not notify again. A refused message is answered here and then counts as handled: its update is
 * confirmed like any other.
 */
final class AccessGate {
  private static final Logger LOG = LoggerFactory.getLogger(AccessGate.class);

  private final ActorSystem<?> system;
  private final TelegramChannelConfig cfg;
  private final AccessPolicy policy;
  private final ActorRef<TelegramAccessStore.Command> store;
  private final OutboundSender sender;
  private final TelegramSettings settings;
  private final NoticeThrottle throttle;

  /** {@code store}: null for an open bot, which keeps no access state. */
  AccessGate(ActorSystem<?> system, TelegramChannelConfig cfg, ActorRef<TelegramAccessStore.Command> store,
      OutboundSender sender, TelegramSettings settings) {
    this.system = system;
    this.cfg = cfg;
    this.policy = new AccessPolicy(cfg);
    this.store = store;
    this.sender = sender;
    this.settings = settings;
    this.throttle = new NoticeThrottle(settings.accessNoticeInterval());
  }

  /**
   * Completes with the verdict (whether the message goes on, which chats close) once its notices were sent (or
   * failed to be).
   * While the store does not answer the message waits; it fails only once {@code closed} (its poller is gone).
   */
  CompletionStage<AccessPolicy.Verdict> admits(AccessPolicy.Knock knock, String messageId, BooleanSupplier closed) {
    return verdict(knock, closed).thenCompose(v -> {
      if (!v.admitted()) {
        LOG.info("telegram {}: message {} of user {} in chat {} not passed on (access control)", cfg.id(), messageId,
            knock.userId(), knock.chatId());
      }
      return send(v.notices(), 0).thenApply(x -> v);
    });
  }

  private CompletionStage<AccessPolicy.Verdict> verdict(AccessPolicy.Knock knock, BooleanSupplier closed) {
    if (store == null) {
      return CompletableFuture.completedFuture(policy.decide(TelegramAccessStore.State.EMPTY, knock, Instant.now()).verdict());
    }
    return Retries.retry(system, 0,
        () -> AskPattern.<TelegramAccessStore.Command, AccessPolicy.Verdict>askWithStatus(store,
            replyTo -> new TelegramAccessStore.Check(knock, Instant.now(), replyTo), settings.askTimeout(),
            system.scheduler()),
        e -> !closed.getAsBoolean() && !(e instanceof StatusReply.ErrorMessage),
        (n, e) -> {
          LOG.warn("telegram {}: access store did not answer for chat {} ({}); asking again", cfg.id(), knock.chatId(),
              e.toString());
          return settings.backoff(n);
        });
  }

  /** In order; a notice that cannot be sent is logged and skipped, it never holds the message up. */
  private CompletionStage<Void> send(List<AccessPolicy.Notice> notices, int index) {
    if (index >= notices.size()) return CompletableFuture.completedFuture(null);
    AccessPolicy.Notice n = notices.get(index);
    if (n.throttleKey() != null && !throttle.allow(n.chatId(), n.throttleKey(), System.nanoTime())) {
      LOG.debug("telegram {}: {} notice to chat {} held back (sent recently)", cfg.id(), n.throttleKey(), n.chatId());
      return send(notices, index + 1);
    }
    CompletionStage<JsonNode> chain = CompletableFuture.completedFuture(null);
    for (String chunk : HtmlChunks.split(n.html(), OutboundParts.MESSAGE_LIMIT)) {
      chain = chain.thenCompose(x -> sender.sendJson("sendMessage",
          Json.object().put("chat_id", n.chatId()).put("text", chunk).put("parse_mode", "HTML")));
    }
    return chain.handle((r, e) -> {
      if (e != null) {
        LOG.warn("telegram {}: access notice to chat {} not sent: {}", cfg.id(), n.chatId(), Retries.unwrap(e).getMessage());
      }
      return null;
    }).thenCompose(x -> send(notices, index + 1));
  }
}
