package partyclaw.channels.dingtalk;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import partyclaw.actors.JsonSerializable;

/**
 * The session webhook each DingTalk conversation last wrote through, with its expiry: replies go there. Persisted,
 * so a restarted daemon still answers a message it accepted before the crash, and replies queued while no webhook
 * was known (cron, background reports) go out as soon as the user writes again. Expired webhooks are dropped as
 * new ones arrive, so the state holds only the conversations active within the webhooks' lifetime (about 1-2 h).
 * Persistence id {@code dingtalk-webhooks|<channel id>}. The journal is local to the daemon; the URLs in it carry
 * DingTalk's short-lived session tokens and never reach a log.
 */
public final class SessionWebhookStore
    extends EventSourcedBehaviorWithEnforcedReplies<SessionWebhookStore.Command, SessionWebhookStore.Event, SessionWebhookStore.State> {

  /** A webhook whose callback gave no expiry is trusted this long. */
  static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

  public sealed interface Command extends JsonSerializable {}

  /** Caches the webhook of a conversation; acknowledged once persisted (at once if it is already cached). */
  public record Remember(String conversationId, String url, long expiresAtMillis, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /** The conversation's webhook if one is cached and not expired. */
  public record Lookup(String conversationId, ActorRef<Optional<String>> replyTo) implements Command {}

  /** DingTalk refused this webhook: it is not used again (a newer one of the conversation stays). */
  public record Forget(String conversationId, String url) implements Command {}

  public sealed interface Event extends JsonSerializable {}

  public record WebhookCached(String conversationId, String url, long expiresAtMillis, long atMillis) implements Event {}

  public record WebhookForgotten(String conversationId, String url) implements Event {}

  public record Webhook(String url, long expiresAtMillis) implements JsonSerializable {}

  public record State(Map<String, Webhook> webhooks) implements JsonSerializable {
    public State {
      webhooks = webhooks == null ? Map.of() : Map.copyOf(webhooks);
    }

    Optional<String> usable(String conversationId, long nowMillis) {
      Webhook w = webhooks.get(conversationId);
      return w == null || w.expiresAtMillis() <= nowMillis ? Optional.empty() : Optional.of(w.url());
    }
  }

  public static Behavior<Command> create(String channelId) {
    return new SessionWebhookStore(channelId);
  }

  private SessionWebhookStore(String channelId) {
    // A journal failure stops a persistent actor: restart it (recovering the cache); asks in flight time out and
    // their senders ask again.
    super(PersistenceId.of("dingtalk-webhooks", channelId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
  }

  @Override
  public State emptyState() {
    return new State(Map.of());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // One event per message that brought a new webhook: the state is small, the journal is kept short.
    return RetentionCriteria.snapshotEvery(200, 2).withDeleteEventsOnSnapshot();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Remember.class, this::onRemember)
        .onCommand(Lookup.class, (s, c) -> Effect().reply(c.replyTo(), s.usable(c.conversationId(), now())))
        .onCommand(Forget.class, (s, c) -> {
          Webhook w = s.webhooks().get(c.conversationId());
          if (w == null || !w.url().equals(c.url())) return Effect().noReply();
          return Effect().persist(new WebhookForgotten(c.conversationId(), c.url())).thenNoReply();
        })
        .build();
  }

  private ReplyEffect<Event, State> onRemember(State s, Remember c) {
    long now = now();
    long expires = c.expiresAtMillis() > 0 ? c.expiresAtMillis() : now + DEFAULT_LIFETIME.toMillis();
    Webhook known = s.webhooks().get(c.conversationId());
    if (known != null && known.url().equals(c.url()) && known.expiresAtMillis() == expires) {
      return Effect().reply(c.replyTo(), StatusReply.ack());
    }
    return Effect().persist(new WebhookCached(c.conversationId(), c.url(), expires, now))
        .thenReply(c.replyTo(), st -> StatusReply.ack());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(WebhookCached.class, (s, e) -> {
          Map<String, Webhook> next = new HashMap<>();
          s.webhooks().forEach((k, w) -> {
            if (w.expiresAtMillis() > e.atMillis()) next.put(k, w);
          });
          next.put(e.conversationId(), new Webhook(e.url(), e.expiresAtMillis()));
          return new State(next);
        })
        .onEvent(WebhookForgotten.class, (s, e) -> {
          Map<String, Webhook> next = new HashMap<>(s.webhooks());
          next.remove(e.conversationId());
          return new State(next);
        })
        .build();
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
