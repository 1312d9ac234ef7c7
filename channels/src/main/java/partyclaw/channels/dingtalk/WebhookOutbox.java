package partyclaw.channels.dingtalk;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.actors.outbox.ReplyOption;

/**
 * Delivers the outbox entries of one DingTalk channel, in order per conversation, one at a time, through the
 * conversation's cached session webhook ({@link SessionWebhookStore}) or, for a robot, its configured webhook.
 * <p>
 * An entry with nowhere to go (no session webhook cached: cron output, background reports, a reply after the
 * webhook expired) is <b>not reported</b>: it stays in the conversation's outbox, which sends it again every few
 * seconds, and this outbox sends it as soon as {@link WebhookArrived} says the user wrote again. A session webhook
 * DingTalk refuses is forgotten and the entry waits for the next one; refused by three webhooks in a row it is
 * reported undeliverable. Transient failures (no answer, 5xx, 429, "too fast") leave the entry to the conversation's
 * resend, with everything queued behind it, so the order holds.
 */
final class WebhookOutbox extends AbstractBehavior<WebhookOutbox.Command> {

  /** How long a reply waiting for a session webhook is left to this outbox before its conversation re-sends it. */
  static final java.time.Duration WAITING_RESEND = java.time.Duration.ofMinutes(10);

  sealed interface Command {}

  record Incoming(Deliver deliver) implements Command {}

  /** A session webhook of the conversation was just persisted: what waits for one goes now. */
  record WebhookArrived(String conversationId) implements Command {}

  private record Looked(String conversationId, Optional<String> webhook, Throwable error) implements Command {}

  private record Sent(String conversationId, Deliver deliver, String url, boolean session, int partsSent,
      Throwable error) implements Command {}

  /** How the entries are worded and where they go without a session webhook. */
  enum Kind { STREAM, ROBOT }

  static final int REFUSING_WEBHOOKS = 3;
  private static final int REMEMBERED = 10_000;

  private static final class Chat {
    final LinkedList<Deliver> queue = new LinkedList<>();
    Deliver sending;
    boolean lookingUp;
    boolean waiting;
    final Map<Long, Integer> partsSent = new HashMap<>();
    final Map<Long, Integer> refusals = new HashMap<>();

    boolean idle() {
      return queue.isEmpty() && sending == null && !lookingUp && !waiting;
    }
  }

  static Behavior<Command> create(String channelId, Kind kind, String fallbackWebhook,
      ActorRef<SessionWebhookStore.Command> store, WebhookSender sender, DingtalkSettings settings) {
    return Behaviors.setup(ctx -> new WebhookOutbox(ctx, channelId, kind, fallbackWebhook, store, sender, settings));
  }

  private final String channelId;
  private final Kind kind;
  private final String fallbackWebhook;
  private final ActorRef<SessionWebhookStore.Command> store;
  private final WebhookSender sender;
  private final DingtalkSettings settings;
  private final Executor blocking;
  private final Map<String, Chat> chats = new HashMap<>();
  /** What recently finished entries were reported as: a resend gets the same answer and sends nothing. */
  private final LinkedHashMap<String, DeliveryReport> reported = new LinkedHashMap<>();

  private WebhookOutbox(ActorContext<Command> ctx, String channelId, Kind kind, String fallbackWebhook,
      ActorRef<SessionWebhookStore.Command> store, WebhookSender sender, DingtalkSettings settings) {
    super(ctx);
    this.channelId = channelId;
    this.kind = kind;
    this.fallbackWebhook = fallbackWebhook;
    this.store = store;
    this.sender = sender;
    this.settings = settings;
    this.blocking = partyclaw.actors.BlockingPools.channelIo(ctx.getSystem());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Incoming.class, m -> {
          onDeliver(m.deliver());
          return this;
        })
        .onMessage(WebhookArrived.class, m -> {
          Chat chat = chats.get(m.conversationId());
          if (chat != null) {
            chat.waiting = false;
            pump(m.conversationId(), chat);
          }
          return this;
        })
        .onMessage(Looked.class, this::onLooked)
        .onMessage(Sent.class, this::onSent)
        .build();
  }

  private static String key(Deliver d) {
    return d.conversationId() + "#" + d.outboundId();
  }

  private void onDeliver(Deliver d) {
    DeliveryReport known = reported.get(key(d));
    if (known != null) {
      d.reportTo().tell(known); // our report was lost (the conversation restarted): the same answer, nothing sent
      return;
    }
    Chat chat = chats.computeIfAbsent(d.conversationId(), k -> new Chat());
    if (chat.sending != null && chat.sending.outboundId() == d.outboundId()) return;
    boolean queued = false;
    for (var it = chat.queue.listIterator(); it.hasNext(); ) {
      if (it.next().outboundId() == d.outboundId()) {
        it.set(d); // its reportTo is the conversation's current incarnation
        queued = true;
      }
    }
    if (!queued) chat.queue.add(d);
    pump(d.conversationId(), chat);
  }

  private void pump(String conversationId, Chat chat) {
    if (chat.sending != null || chat.lookingUp || chat.waiting) return;
    if (chat.queue.isEmpty()) {
      if (chat.idle()) chats.remove(conversationId);
      return;
    }
    chat.lookingUp = true;
    CompletionStage<Optional<String>> looked = AskPattern.ask(store,
        replyTo -> new SessionWebhookStore.Lookup(conversationId, replyTo), settings.askTimeout(),
        getContext().getSystem().scheduler());
    getContext().pipeToSelf(looked, (w, e) -> new Looked(conversationId, w, e));
  }

  private Behavior<Command> onLooked(Looked m) {
    Chat chat = chats.get(m.conversationId());
    if (chat == null) return this;
    chat.lookingUp = false;
    if (m.error() != null) {
      getContext().getLog().warn("dingtalk {}: webhook cache not readable ({}); conversation {} resends its replies",
          channelId, m.error().toString(), m.conversationId());
      chat.queue.clear();
      pump(m.conversationId(), chat);
      return this;
    }
    if (chat.queue.isEmpty()) {
      pump(m.conversationId(), chat);
      return this;
    }
    if (m.webhook().isPresent()) {
      send(m.conversationId(), chat, m.webhook().get(), true);
    } else if (fallbackWebhook != null) {
      send(m.conversationId(), chat, fallbackWebhook, false);
    } else {
      chat.waiting = true;
      getContext().getLog().info("dingtalk {}: no session webhook cached for conversation {}; {} repl{} wait until"
          + " the user writes again", channelId, m.conversationId(), chat.queue.size(),
          chat.queue.size() == 1 ? "y" : "ies");
      // Held here until a webhook arrives; the conversation need not send them again every few seconds meanwhile.
      chat.queue.forEach(d -> d.reportTo().tell(new DeliveryReport.Deferred(d.outboundId(), WAITING_RESEND,
          "no DingTalk session webhook yet")));
    }
    return this;
  }

  private void send(String conversationId, Chat chat, String url, boolean session) {
    Deliver d = chat.queue.poll();
    chat.sending = d;
    int from = chat.partsSent.getOrDefault(d.outboundId(), 0);
    CompletionStage<Integer> sent = CompletableFuture.supplyAsync(() -> texts(d), blocking)
        .thenCompose(texts -> sendFrom(url, texts, from));
    getContext().pipeToSelf(sent, (n, e) -> e == null
        ? new Sent(conversationId, d, url, session, n, null)
        : new Sent(conversationId, d, url, session, partsOf(e, from), partyclaw.core.util.Failures.unwrap(e)));
  }

  private List<String> texts(Deliver d) {
    Path root = d.workspaceRoot() == null ? null : Path.of(d.workspaceRoot());
    // DingTalk webhooks take no buttons: the options are listed with what to send.
    String text = d.options().isEmpty() ? d.text() : d.text() + "\n\n" + ReplyOption.asText(d.options());
    return kind == Kind.STREAM ? WebhookTexts.forStream(text, root) : WebhookTexts.forRobot(text, root);
  }

  /** Sends the messages from index {@code i}; fails with {@link PartFailed} saying how many went out. */
  private CompletionStage<Integer> sendFrom(String url, List<String> texts, int i) {
    if (i >= texts.size()) return CompletableFuture.completedFuture(texts.size());
    return sender.send(url, texts.get(i))
        .exceptionallyCompose(e -> CompletableFuture.failedFuture(new PartFailed(i, partyclaw.core.util.Failures.unwrap(e))))
        .thenCompose(x -> sendFrom(url, texts, i + 1));
  }

  private static final class PartFailed extends RuntimeException {
    final int sent;

    PartFailed(int sent, Throwable cause) {
      super(cause.getMessage(), cause, false, false);
      this.sent = sent;
    }
  }

  private static int partsOf(Throwable e, int from) {
    Throwable t = e;
    while (t != null && !(t instanceof PartFailed)) t = t.getCause();
    return t instanceof PartFailed pf ? pf.sent : from;
  }

  private Behavior<Command> onSent(Sent m) {
    Chat chat = chats.get(m.conversationId());
    Deliver d = m.deliver();
    if (chat == null) return this;
    chat.sending = null;
    Throwable error = m.error() instanceof PartFailed pf ? pf.getCause() : m.error();
    if (error == null) {
      report(chat, d, new DeliveryReport.Delivered(d.outboundId()));
    } else if (error instanceof DingtalkHttpException e && !e.isTransient()) {
      chat.partsSent.put(d.outboundId(), m.partsSent());
      refused(m.conversationId(), chat, d, m.url(), m.session(), e);
    } else {
      chat.partsSent.put(d.outboundId(), m.partsSent());
      getContext().getLog().warn("dingtalk {}: {} #{} to conversation {} not delivered yet: {}; the conversation will"
          + " send it again", channelId, d.kind(), d.outboundId(), m.conversationId(), String.valueOf(error.getMessage()));
      chat.queue.clear(); // later entries come back with the resend, behind this one
    }
    pump(m.conversationId(), chat);
    return this;
  }

  private void refused(String conversationId, Chat chat, Deliver d, String url, boolean session,
      DingtalkHttpException e) {
    if (!session) {
      getContext().getLog().error("dingtalk {}: {} #{} to conversation {} refused by the configured webhook: {}",
          channelId, d.kind(), d.outboundId(), conversationId, e.getMessage());
      report(chat, d, new DeliveryReport.Undeliverable(d.outboundId(), "DingTalk refused it: " + e.getMessage()));
      return;
    }
    store.tell(new SessionWebhookStore.Forget(conversationId, url));
    int refusals = chat.refusals.merge(d.outboundId(), 1, Integer::sum);
    if (refusals >= REFUSING_WEBHOOKS) {
      getContext().getLog().error("dingtalk {}: {} #{} to conversation {} refused by {} session webhooks: {}",
          channelId, d.kind(), d.outboundId(), conversationId, refusals, e.getMessage());
      report(chat, d, new DeliveryReport.Undeliverable(d.outboundId(), "DingTalk refused it: " + e.getMessage()));
      return;
    }
    chat.queue.addFirst(d);
    if (fallbackWebhook == null) chat.waiting = true;
    getContext().getLog().warn("dingtalk {}: session webhook of conversation {} refused {} #{} ({}); {}", channelId,
        conversationId, d.kind(), d.outboundId(), e.getMessage(),
        fallbackWebhook == null ? "it waits for the user's next message" : "sending through the configured webhook");
  }

  private void report(Chat chat, Deliver d, DeliveryReport report) {
    chat.partsSent.remove(d.outboundId());
    chat.refusals.remove(d.outboundId());
    reported.put(key(d), report);
    if (reported.size() > REMEMBERED) reported.remove(reported.keySet().iterator().next());
    d.reportTo().tell(report);
  }
}
