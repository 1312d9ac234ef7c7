package partyclaw.channels.telegram;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.Map;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.actors.outbox.TextDelta;
import partyclaw.actors.outbox.TurnActivity;
import partyclaw.actors.metrics.RuntimeMetrics;
import partyclaw.actors.metrics.RuntimeMetricsExtension;
import partyclaw.channels.common.Retries;
import partyclaw.core.json.Json;

/**
 * Everything the bot shows in one chat: outbox entries in order (one at a time, confirmed once every part was
 * accepted, never sent twice by this process), the typing indicator while a turn runs, and the turn's progress
 * message edited in place. A failed entry is not confirmed and the conversation resends it; later entries wait
 * for that resend, so the order holds. While Telegram's flood control bans the chat, entries wait in order for the
 * ban's end. An entry Telegram will never take is reported undeliverable, with the reason. In a private chat a
 * model text still streaming after {@code draft-delay} goes into one silent draft message, edited in place at most
 * every {@code draft-min-edit}, and deleted when the next entry (the formatted reply) goes out; a quick reply shows
 * no draft at all. Idle for {@code chat-idle}, it asks the {@link ChatDirectory} to be stopped.
 */
final class ChatOutbox extends AbstractBehavior<ChatOutbox.Command> {

  sealed interface Command {}

  record Incoming(ChannelMessage message) implements Command {}

  private record Delivered(Deliver deliver, OutboundSender.Result result) implements Command {}

  private record TypingTick(String turnId) implements Command {}

  private record ProgressCreated(String turnId, String text, JsonNode message, Throwable error) implements Command {}

  private enum ProgressFlush implements Command { INSTANCE }

  private record DraftCreated(int generation, String text, JsonNode message, Throwable error) implements Command {}

  private enum DraftFlush implements Command { INSTANCE }

  /** Telegram's flood-control ban on the chat has ended: sending may go on. */
  private enum BanOver implements Command { INSTANCE }

  private enum IdleCheck implements Command { INSTANCE }

  /** From the {@link ChatDirectory} after this outbox reported idle: stop, unless work came in meanwhile. */
  enum Stop implements Command { INSTANCE }

  /** For callbacks off the actor's thread, where the ActorContext must not be touched. */
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChatOutbox.class);
  private static final int REMEMBERED = 10_000;

  static Behavior<Command> create(long chatId, TelegramBotApi api, OutboundSender sender, TelegramSettings settings,
      ActorRef<ChatDirectory.Command> directory) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new ChatOutbox(ctx, t, chatId, api, sender, settings,
        directory)));
  }

  private final TimerScheduler<Command> timers;
  private final long chatId;
  private final TelegramBotApi api;
  private final OutboundSender sender;
  private final TelegramSettings settings;
  /** {@code main_agent.language} starts with zh: progress texts in Chinese, as the reference has them. */
  private final boolean chinese;
  private final ActorRef<ChatDirectory.Command> directory;

  private final LinkedList<Deliver> queue = new LinkedList<>();
  private Deliver sending;
  /** What each recently finished entry was reported as: a resend gets the same answer and sends nothing. */
  private final LinkedHashMap<Long, DeliveryReport> reported = new LinkedHashMap<>();
  private final Map<Long, Integer> partsSent = new HashMap<>();

  private long lastWorkAt = System.nanoTime();

  private String typingTurn;
  private long typingSince;

  private String progressTurn;
  private long turnStartedAt;
  private boolean turnStartKnown;
  private Long progressMessageId;
  private boolean progressCreating;
  private String progressShown;
  private String progressPending;
  private boolean progressFinal;
  private long lastEditAt;

  /** The streamed text of the current model call ({@code turn#round#attempt}), shown as a draft in private chats. */
  private String draftKey;
  private final StringBuilder draftText = new StringBuilder();
  /** Bumped whenever the draft is dropped: a creation answer of an older one deletes what it created. */
  private int draftGeneration;
  private Long draftMessageId;
  private boolean draftCreating;
  private String draftShown;
  private long lastDraftEditAt;
  /** When the text of the current draft began to stream (0: nothing streams). */
  private long draftStartedAt;
  private final Duration draftDelay;
  /** Turns whose reply is out: their late deltas start no new draft. */
  private final java.util.Set<String> answeredTurns = java.util.Collections.newSetFromMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > 16;
    }
  });
  private final Duration draftMinEdit;

  private ChatOutbox(ActorContext<Command> ctx, TimerScheduler<Command> timers, long chatId, TelegramBotApi api,
      OutboundSender sender, TelegramSettings settings, ActorRef<ChatDirectory.Command> directory) {
    super(ctx);
    this.timers = timers;
    this.chatId = chatId;
    this.api = api;
    this.sender = sender;
    this.settings = settings;
    com.typesafe.config.Config config = ctx.getSystem().settings().config();
    this.chinese = config.hasPath("partyclaw.language")
        && config.getString("partyclaw.language").strip().toLowerCase(java.util.Locale.ROOT).startsWith("zh");
    this.directory = directory;
    com.typesafe.config.Config conf = ctx.getSystem().settings().config();
    this.draftMinEdit = conf.hasPath("partyclaw.telegram.draft-min-edit")
        ? conf.getDuration("partyclaw.telegram.draft-min-edit") : Duration.ofSeconds(1);
    this.draftDelay = conf.hasPath("partyclaw.telegram.draft-delay")
        ? conf.getDuration("partyclaw.telegram.draft-delay") : Duration.ofSeconds(1);
    timers.startTimerWithFixedDelay(IdleCheck.INSTANCE, IdleCheck.INSTANCE, settings.chatIdle());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Incoming.class, m -> {
          lastWorkAt = System.nanoTime();
          if (m.message() instanceof Deliver d) onDeliver(d);
          else if (m.message() instanceof TurnActivity a) onActivity(a);
          else if (m.message() instanceof TextDelta t) onDelta(t);
          return this;
        })
        .onMessage(Delivered.class, this::onDelivered)
        .onMessageEquals(IdleCheck.INSTANCE, () -> {
          if (idle() && System.nanoTime() - lastWorkAt >= settings.chatIdle().toNanos()) {
            directory.tell(new ChatDirectory.ChatIdle(chatId, getContext().getSelf()));
          }
          return this;
        })
        .onMessageEquals(Stop.INSTANCE, () -> idle() ? Behaviors.stopped() : this)
        .onMessageEquals(BanOver.INSTANCE, () -> {
          sendNext();
          return this;
        })
        .onMessage(TypingTick.class, this::onTypingTick)
        .onMessage(ProgressCreated.class, this::onProgressCreated)
        .onMessageEquals(ProgressFlush.INSTANCE, () -> {
          flushProgress(false);
          return this;
        })
        .onMessage(DraftCreated.class, this::onDraftCreated)
        .onMessageEquals(DraftFlush.INSTANCE, () -> {
          flushDraft();
          return this;
        })
        .build();
  }

  /** Nothing queued or in flight, no turn showing, no ban to wait out: stopping loses nothing. */
  private boolean idle() {
    return queue.isEmpty() && sending == null && typingTurn == null && !progressCreating
        && !timers.isTimerActive(ProgressFlush.INSTANCE) && !timers.isTimerActive(BanOver.INSTANCE)
        && draftMessageId == null && !draftCreating && !timers.isTimerActive(DraftFlush.INSTANCE);
  }

  // ---- outbox entries ----

  private void onDeliver(Deliver d) {
    DeliveryReport known = reported.get(d.outboundId());
    if (known != null) {
      // Our report was lost (e.g. the conversation restarted): report again, send nothing.
      d.reportTo().tell(known);
      metrics().deliveryDone(d, RuntimeMetrics.DeliveryResult.ALREADY_REPORTED);
      return;
    }
    if (sending != null && sending.outboundId() == d.outboundId()) return;
    dropDraft(); // the entry replaces whatever streamed
    // A resend of a queued entry replaces it: its reportTo is the conversation's current incarnation.
    boolean queued = false;
    for (var it = queue.listIterator(); it.hasNext(); ) {
      if (it.next().outboundId() == d.outboundId()) {
        it.set(d);
        queued = true;
      }
    }
    if (!queued) queue.add(d);
    sendNext();
  }

  private void sendNext() {
    if (sending != null || queue.isEmpty() || timers.isTimerActive(BanOver.INSTANCE)) return;
    Duration ban = api.banRemaining(chatId);
    if (!ban.isZero()) {
      // Telegram's flood control bans this chat: nothing goes out before the ban ends, however long it is.
      timers.startSingleTimer(BanOver.INSTANCE, BanOver.INSTANCE, ban);
      return;
    }
    Deliver d = queue.poll();
    sending = d;
    int from = partsSent.getOrDefault(d.outboundId(), 0);
    getContext().pipeToSelf(sender.deliver(chatId, d.text(), d.workspaceRoot(), d.options(), from),
        (result, error) -> new Delivered(d, result != null ? result : new OutboundSender.Result(from, error)));
  }

  private Behavior<Command> onDelivered(Delivered m) {
    Deliver d = m.deliver();
    OutboundSender.Result result = m.result();
    sending = null;
    if (result.undeliverable() != null) {
      getContext().getLog().error("telegram chat {}: {} #{} cannot be delivered: {}", chatId, d.kind(), d.outboundId(),
          api.redact(result.undeliverable()));
      report(d, new DeliveryReport.Undeliverable(d.outboundId(), api.redact(result.undeliverable())));
    } else if (result.error() == null) {
      report(d, new DeliveryReport.Delivered(d.outboundId()));
    } else if (!api.banRemaining(chatId).isZero()) {
      partsSent.put(d.outboundId(), result.sent());
      getContext().getLog().warn("telegram chat {}: flood control bans the chat for {} s; {} #{} waits ({} part(s) sent)",
          chatId, api.banRemaining(chatId).toSeconds(), d.kind(), d.outboundId(), result.sent());
      queue.addFirst(d); // the order holds: everything after it waits for the ban too
      // This outbox sends them when the ban ends: the conversations need not re-send them meanwhile.
      queue.forEach(q -> q.reportTo().tell(new DeliveryReport.Deferred(q.outboundId(),
          api.banRemaining(chatId).plusSeconds(5), "telegram flood control")));
    } else {
      partsSent.put(d.outboundId(), result.sent());
      getContext().getLog().warn("telegram chat {}: {} #{} not delivered yet ({} part(s) sent): {}; the conversation"
              + " will send it again", chatId, d.kind(), d.outboundId(), result.sent(),
          api.redact(String.valueOf(result.error().getMessage())));
      // Later entries come back with the resend, behind this one.
      queue.clear();
    }
    sendNext();
    return this;
  }

  private void report(Deliver d, DeliveryReport report) {
    partsSent.remove(d.outboundId());
    reported.put(d.outboundId(), report);
    if (reported.size() > REMEMBERED) reported.remove(reported.keySet().iterator().next());
    d.reportTo().tell(report);
    metrics().deliveryDone(d, report instanceof DeliveryReport.Delivered ? RuntimeMetrics.DeliveryResult.DELIVERED
        : RuntimeMetrics.DeliveryResult.UNDELIVERABLE);
  }

  private RuntimeMetrics metrics() {
    return RuntimeMetricsExtension.of(getContext().getSystem());
  }

  // ---- typing and progress ----

  private void onActivity(TurnActivity a) {
    switch (a.phase()) {
      case STARTED -> {
        startTurn(a.turnId(), true);
        startTyping(a.turnId());
      }
      case THINKING -> {
        startTurn(a.turnId(), false);
        if (!a.turnId().equals(typingTurn)) startTyping(a.turnId());
      }
      case TOOLS -> {
        startTurn(a.turnId(), false);
        if (!a.turnId().equals(typingTurn)) startTyping(a.turnId());
        progressPending = ProgressText.tools(a.model(), a.tools(), a.plan(), chinese);
        boolean allDone = a.tools().stream().noneMatch(t -> "running".equals(t.status()));
        flushProgress(allDone);
      }
      case FINISHED -> {
        answeredTurns.add(a.turnId());
        if (a.turnId().equals(typingTurn)) stopTyping();
        if (a.turnId().equals(progressTurn) && (progressMessageId != null || progressCreating)) {
          Duration took = turnStartKnown ? Duration.ofNanos(System.nanoTime() - turnStartedAt) : null;
          progressPending = ProgressText.finished(a.outcome(), took, chinese);
          progressFinal = true;
          flushProgress(true);
        }
      }
    }
  }

  private void startTurn(String turnId, boolean startSeen) {
    if (turnId.equals(progressTurn)) return;
    progressTurn = turnId;
    turnStartedAt = System.nanoTime();
    turnStartKnown = startSeen;
    progressMessageId = null;
    progressCreating = false;
    progressShown = null;
    progressPending = null;
    progressFinal = false;
    timers.cancel(ProgressFlush.INSTANCE);
  }

  private void startTyping(String turnId) {
    typingTurn = turnId;
    typingSince = System.nanoTime();
    sendTyping();
    timers.startTimerWithFixedDelay("typing", new TypingTick(turnId), settings.typingInterval());
  }

  private void stopTyping() {
    typingTurn = null;
    timers.cancel("typing");
  }

  private Behavior<Command> onTypingTick(TypingTick t) {
    if (!t.turnId().equals(typingTurn)) return this;
    if (System.nanoTime() - typingSince > settings.typingCap().toNanos()) {
      stopTyping();
      return this;
    }
    sendTyping();
    return this;
  }

  private void sendTyping() {
    // Best effort, one attempt: the next tick tries again anyway.
    api.call("sendChatAction", Json.object().put("chat_id", chatId).put("action", "typing"), Duration.ofSeconds(10))
        .whenComplete((r, e) -> {
          if (e != null) LOG.debug("typing indicator for chat {} failed: {}", chatId, e.getMessage());
        });
  }

  /** Shows the newest progress text: creates the message, or edits it at most every progress-min-edit. */
  private void flushProgress(boolean important) {
    String text = progressPending;
    if (text == null || text.equals(progressShown)) return;
    if (progressMessageId == null) {
      if (progressCreating || progressFinal) return; // the creation answer flushes; a final without a message shows nothing
      progressCreating = true;
      String turnId = progressTurn;
      getContext().pipeToSelf(api.call("sendMessage", Json.object().put("chat_id", chatId).put("text", text)),
          (msg, err) -> new ProgressCreated(turnId, text, msg, err));
      return;
    }
    long sinceEdit = System.nanoTime() - lastEditAt;
    long minGap = settings.progressMinEdit().toNanos();
    if (!important && !progressFinal && sinceEdit < minGap) {
      if (!timers.isTimerActive(ProgressFlush.INSTANCE)) {
        timers.startSingleTimer(ProgressFlush.INSTANCE, ProgressFlush.INSTANCE, Duration.ofNanos(minGap - sinceEdit));
      }
      return;
    }
    timers.cancel(ProgressFlush.INSTANCE);
    progressShown = text;
    lastEditAt = System.nanoTime();
    api.call("editMessageText", Json.object().put("chat_id", chatId).put("message_id", progressMessageId).put("text", text))
        .whenComplete((r, e) -> {
          if (e != null && !(Retries.unwrap(e) instanceof TelegramApiException tae && tae.isNotModified())) {
            LOG.debug("progress edit in chat {} failed: {}", chatId, e.getMessage());
          }
        });
  }

  // ---- streamed draft (private chats) ----

  private void onDelta(TextDelta t) {
    if (chatId <= 0 || answeredTurns.contains(t.turnId())) return; // groups get the whole reply only
    String key = t.turnId() + "#" + t.round() + "#" + t.attempt();
    if (!key.equals(draftKey)) {
      draftKey = key;
      draftText.setLength(0); // a new round or a retry starts afresh, in the same draft message
    }
    draftText.append(t.text());
    if (draftStartedAt == 0) draftStartedAt = System.nanoTime();
    flushDraft();
  }

  /** What the draft shows: the text so far without attachment tags, its tail when it outgrows a message. */
  static String draftDisplay(CharSequence text) {
    String shown = text.toString().replaceAll("(?s)<attachment>.*?(</attachment>|$)", "").strip();
    int max = 4000;
    if (shown.length() > max) shown = "…" + shown.substring(shown.length() - max + 1);
    return shown;
  }

  private void flushDraft() {
    String text = draftDisplay(draftText);
    if (text.isEmpty() || text.equals(draftShown)) return;
    if (draftMessageId == null) {
      if (draftCreating) return; // the creation answer flushes what came meanwhile
      long streaming = System.nanoTime() - draftStartedAt;
      if (streaming < draftDelay.toNanos()) {
        // a reply that comes quickly shows no draft at all
        if (!timers.isTimerActive(DraftFlush.INSTANCE)) {
          timers.startSingleTimer(DraftFlush.INSTANCE, DraftFlush.INSTANCE,
              Duration.ofNanos(draftDelay.toNanos() - streaming));
        }
        return;
      }
      draftCreating = true;
      int generation = draftGeneration;
      getContext().pipeToSelf(api.call("sendMessage", Json.object().put("chat_id", chatId).put("text", text)
              .put("disable_notification", true)),
          (msg, err) -> new DraftCreated(generation, text, msg, err));
      return;
    }
    long since = System.nanoTime() - lastDraftEditAt;
    if (since < draftMinEdit.toNanos()) {
      if (!timers.isTimerActive(DraftFlush.INSTANCE)) {
        timers.startSingleTimer(DraftFlush.INSTANCE, DraftFlush.INSTANCE,
            Duration.ofNanos(draftMinEdit.toNanos() - since));
      }
      return;
    }
    draftShown = text;
    lastDraftEditAt = System.nanoTime();
    api.call("editMessageText", Json.object().put("chat_id", chatId).put("message_id", draftMessageId).put("text", text))
        .whenComplete((r, e) -> {
          if (e != null && !(Retries.unwrap(e) instanceof TelegramApiException tae && tae.isNotModified())) {
            LOG.debug("draft edit in chat {} failed: {}", chatId, e.getMessage());
          }
        });
  }

  private Behavior<Command> onDraftCreated(DraftCreated m) {
    if (m.generation() != draftGeneration) {
      if (m.error() == null) deleteMessage(m.message().path("message_id").asLong()); // the reply came first
      return this;
    }
    draftCreating = false;
    if (m.error() != null) {
      getContext().getLog().debug("draft message in chat {} not sent: {}", chatId, m.error().getMessage());
      return this;
    }
    draftMessageId = m.message().path("message_id").asLong();
    draftShown = m.text();
    lastDraftEditAt = System.nanoTime();
    flushDraft();
    return this;
  }

  private void dropDraft() {
    if (draftMessageId != null) deleteMessage(draftMessageId);
    draftGeneration++;
    draftMessageId = null;
    draftCreating = false;
    draftShown = null;
    draftKey = null;
    draftText.setLength(0);
    draftStartedAt = 0;
    timers.cancel(DraftFlush.INSTANCE);
  }

  private void deleteMessage(long messageId) {
    api.call("deleteMessage", Json.object().put("chat_id", chatId).put("message_id", messageId))
        .whenComplete((r, e) -> {
          if (e != null) LOG.debug("draft message {} in chat {} not deleted: {}", messageId, chatId, e.getMessage());
        });
  }

  private Behavior<Command> onProgressCreated(ProgressCreated m) {
    if (!m.turnId().equals(progressTurn)) return this;
    progressCreating = false;
    if (m.error() != null) {
      getContext().getLog().debug("progress message in chat {} not sent: {}", chatId, m.error().getMessage());
      return this;
    }
    progressMessageId = m.message().path("message_id").asLong();
    progressShown = m.text();
    lastEditAt = System.nanoTime();
    flushProgress(progressFinal);
    return this;
  }
}
