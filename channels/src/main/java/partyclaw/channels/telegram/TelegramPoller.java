package partyclaw.channels.telegram;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import partyclaw.actors.conversation.ConversationEntity;
import partyclaw.core.config.TelegramChannelConfig;
import partyclaw.channels.common.Retries;
import partyclaw.core.json.Json;

/**
 * Long-polls one bot. Nothing lost, nothing twice: the getUpdates offset moves past an update only after it was
 * accepted by its conversation (or deliberately ignored), and the offset is persisted in {@link TelegramOffsetStore}
 * before it is used, so a restart re-reads exactly the unconfirmed updates and the conversations drop redeliveries.
 * Updates of one chat are handled in order, chats in parallel; the next poll waits until the batch is done, except
 * while an album is still collecting items, and follows at once (poll_interval_ms only pauses after an empty poll). Failures back off (429: {@code retry_after}); each failure and the
 * recovery are logged.
 */
public final class TelegramPoller extends AbstractBehavior<TelegramPoller.Command> {

  public sealed interface Command {}

  private record OffsetLoaded(long offset, Throwable error) implements Command {}

  private record Started(BotIdentity bot, Throwable error) implements Command {}

  private enum Poll implements Command { INSTANCE }

  private enum Begin implements Command { INSTANCE }

  private record Polled(JsonNode updates, Throwable error) implements Command {}

  /** {@code incarnation}: a supervisor restart makes a new poller; answers for the old one are ignored. */
  private record WorkDone(Object incarnation, long chatId, List<Long> updateIds) implements Command {}

  private record AlbumDue(String key) implements Command {}

  private record OffsetSaved(long offset, Throwable error) implements Command {}

  private enum SaveAgain implements Command { INSTANCE }

  /** One message to hand to the conversation: a single update, or an album collecting items until it is ready. */
  private static final class Work {
    final List<JsonNode> updates = new ArrayList<>();
    boolean ready;
    boolean running;
  }

  /** For callbacks off the actor's thread, where the ActorContext must not be touched. */
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TelegramPoller.class);
  public static Behavior<Command> create(TelegramChannelConfig cfg, TelegramBotApi api,
      ActorRef<TelegramOffsetStore.Command> store, TelegramSettings settings,
      Function<String, RecipientRef<ConversationEntity.Command>> conversations, AccessGate access,
      Runnable onStarted) {
    // A handler per incarnation: a restarted poller re-reads what the old one had in flight, whose retries must end.
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new TelegramPoller(ctx, timers, cfg, api,
        new InboundHandler(ctx.getSystem(), cfg, api, settings, conversations, access), store, settings, onStarted)));
  }

  private final TimerScheduler<Command> timers;
  private final TelegramChannelConfig cfg;
  private final TelegramBotApi api;
  private final InboundHandler handler;
  private final ActorRef<TelegramOffsetStore.Command> store;
  private final TelegramSettings settings;
  /** Told each time getMe and the command menus worked: the channel serves its users (readiness). */
  private final Runnable onStarted;

  private long offset;
  private final TreeMap<Long, Boolean> known = new TreeMap<>(); // update id -> done, for ids >= offset
  private final Map<Long, ArrayDeque<Work>> chats = new LinkedHashMap<>();
  private final Map<String, Work> openAlbums = new HashMap<>();
  private final Object incarnation = new Object();
  private boolean started;
  private boolean polling;
  private boolean saving;
  private int failures;

  private TelegramPoller(ActorContext<Command> ctx, TimerScheduler<Command> timers, TelegramChannelConfig cfg,
      TelegramBotApi api, InboundHandler handler, ActorRef<TelegramOffsetStore.Command> store, TelegramSettings settings,
      Runnable onStarted) {
    super(ctx);
    this.timers = timers;
    this.cfg = cfg;
    this.api = api;
    this.handler = handler;
    this.store = store;
    this.settings = settings;
    this.onStarted = onStarted;
    ctx.pipeToSelf(AskPattern.<TelegramOffsetStore.Command, Long>ask(store, TelegramOffsetStore.GetOffset::new,
        settings.askTimeout(), ctx.getSystem().scheduler()), OffsetLoaded::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(OffsetLoaded.class, this::onOffsetLoaded)
        .onMessageEquals(Begin.INSTANCE, this::begin)
        .onMessage(Started.class, this::onStarted)
        .onMessageEquals(Poll.INSTANCE, () -> {
          poll();
          return this;
        })
        .onMessage(Polled.class, this::onPolled)
        .onMessage(AlbumDue.class, this::onAlbumDue)
        .onMessage(WorkDone.class, this::onWorkDone)
        .onMessage(OffsetSaved.class, this::onOffsetSaved)
        .onMessageEquals(SaveAgain.INSTANCE, () -> {
          advanceOffset();
          return this;
        })
        .onSignal(PostStop.class, s -> {
          handler.close();
          return this;
        })
        .onSignal(PreRestart.class, s -> {
          handler.close();
          return this;
        })
        .build();
  }

  private Behavior<Command> onOffsetLoaded(OffsetLoaded m) {
    if (m.error() != null) {
      getContext().getLog().warn("telegram {}: stored offset not readable yet ({}); asking again", cfg.id(), m.error().toString());
      getContext().pipeToSelf(AskPattern.<TelegramOffsetStore.Command, Long>ask(store, TelegramOffsetStore.GetOffset::new,
          settings.askTimeout(), getContext().getSystem().scheduler()), OffsetLoaded::new);
      return this;
    }
    offset = m.offset();
    getContext().getLog().info("telegram {}: starting from update offset {}", cfg.id(), offset);
    return begin();
  }

  /** getMe, then the command menu for private and group chats; polling starts once both worked. */
  private Behavior<Command> begin() {
    CompletionStage<BotIdentity> identity = api.call("getMe", Json.object())
        .thenApply(me -> new BotIdentity(me.path("id").asLong(), me.path("username").asText(null)))
        .thenCompose(me -> setCommands("all_private_chats")
            .thenCompose(x -> setCommands("all_group_chats"))
            .thenApply(x -> me));
    getContext().pipeToSelf(identity, Started::new);
    return this;
  }

  private CompletionStage<JsonNode> setCommands(String scope) {
    ObjectNode params = Json.object();
    params.set("commands", TelegramCommands.asJson(!cfg.open()));
    params.putObject("scope").put("type", scope);
    // A menu Telegram refuses for good must not keep the bot deaf; transient failures retry the start-up.
    return api.call("setMyCommands", params).exceptionallyCompose(e -> {
      Throwable cause = Retries.unwrap(e);
      if (cause instanceof TelegramApiException tae && tae.status() >= 400 && tae.status() < 500 && tae.status() != 429
          && tae.status() != 401 && tae.status() != 404) {
        LOG.error("telegram {}: command menu for {} refused: {}", cfg.id(), scope, tae.getMessage());
        return java.util.concurrent.CompletableFuture.completedFuture(null);
      }
      return java.util.concurrent.CompletableFuture.failedFuture(cause);
    });
  }

  private Behavior<Command> onStarted(Started m) {
    if (m.error() != null) {
      failed("start-up (getMe / setMyCommands)", m.error(), Begin.INSTANCE);
      return this;
    }
    recovered();
    started = true;
    onStarted.run();
    handler.setBot(m.bot());
    getContext().getLog().info("telegram {}: connected as @{} (id {}); polling", cfg.id(), m.bot().username(), m.bot().id());
    poll();
    return this;
  }

  private void poll() {
    if (!started || polling || saving || busy()) return;
    polling = true;
    int timeout = openAlbums.isEmpty() ? cfg.pollTimeoutSeconds() : 0;
    getContext().pipeToSelf(api.getUpdates(offset, timeout), Polled::new);
  }

  /** Something other than a collecting album is not yet accepted: its offset must not move, so no poll. */
  private boolean busy() {
    for (ArrayDeque<Work> q : chats.values()) {
      for (Work w : q) if (w.ready) return true;
    }
    return false;
  }

  /** Updates the last poll brought: several mean a busy bot, whose next poll may wait to gather more. */
  private int lastBatch;

  private Behavior<Command> onPolled(Polled m) {
    polling = false;
    if (m.error() != null) {
      failed("getUpdates", m.error(), Poll.INSTANCE);
      return this;
    }
    recovered();
    int fresh = 0;
    for (JsonNode update : m.updates()) {
      long id = update.path("update_id").asLong(-1);
      if (id < offset || known.containsKey(id)) continue;
      known.put(id, false);
      fresh++;
      route(id, update);
    }
    if (fresh > 0) getContext().getLog().debug("telegram {}: {} new update(s)", cfg.id(), fresh);
    lastBatch = fresh;
    runQueues();
    advanceOffset();
    schedulePoll(fresh == 0);
    return this;
  }

  private void route(long id, JsonNode update) {
    JsonNode callback = update.path("callback_query");
    JsonNode message = callback.isObject() ? callback.path("message") : update.path("message");
    JsonNode chat = message.path("chat");
    if (!chat.isObject() || !chat.has("id")) {
      known.put(id, true); // edited messages, channel posts…: not handled (spec §2.1.2)
      return;
    }
    long chatId = chat.path("id").asLong();
    ArrayDeque<Work> queue = chats.computeIfAbsent(chatId, k -> new ArrayDeque<>());
    String group = callback.isObject() ? null : message.path("media_group_id").asText(null);
    if (group != null) {
      String key = chatId + ":" + group;
      Work album = openAlbums.get(key);
      if (album == null) {
        album = new Work();
        openAlbums.put(key, album);
        queue.add(album);
        timers.startSingleTimer(key, new AlbumDue(key), settings.albumWindow());
      }
      album.updates.add(update);
      return;
    }
    Work single = new Work();
    single.updates.add(update);
    single.ready = true;
    queue.add(single);
  }

  private Behavior<Command> onAlbumDue(AlbumDue m) {
    Work album = openAlbums.remove(m.key());
    if (album != null) album.ready = true;
    runQueues();
    poll();
    return this;
  }

  private void runQueues() {
    chats.forEach((chatId, queue) -> {
      Work head = queue.peek();
      if (head == null || !head.ready || head.running) return;
      head.running = true;
      List<Long> ids = head.updates.stream().map(u -> u.path("update_id").asLong()).toList();
      // Never null: a null result reaching dead letters (poller stopped meanwhile) breaks Akka's dead-letter log.
      getContext().pipeToSelf(handler.handle(incoming(head)).thenApply(v -> Done.getInstance()),
          (ok, err) -> new WorkDone(incarnation, chatId, ids));
    });
  }

  private InboundHandler.Incoming incoming(Work w) {
    JsonNode first = w.updates.get(0);
    JsonNode callback = first.path("callback_query");
    if (callback.isObject()) {
      api.call("answerCallbackQuery", Json.object().put("callback_query_id", callback.path("id").asText()))
          .whenComplete((r, e) -> {
            if (e != null) LOG.debug("answerCallbackQuery failed: {}", e.getMessage());
          });
      JsonNode message = callback.path("message");
      return new InboundHandler.Incoming("tg:" + first.path("update_id").asLong(), message.path("chat"),
          callback.path("from"), List.of(message), callback.path("data").asText(""));
    }
    List<JsonNode> messages = w.updates.stream().map(u -> u.path("message")).toList();
    JsonNode m0 = messages.get(0);
    String group = m0.path("media_group_id").asText(null);
    // An album is one message whatever items a redelivery brings: its id is the group and its first update (the
    // offset never moves past that update before the whole album is accepted, so a redelivery starts with it too).
    // Items arriving after the merge window start their own message, with their own first update.
    long firstUpdate = w.updates.stream().mapToLong(u -> u.path("update_id").asLong()).min().orElseThrow();
    String id = group != null ? "tg:album:" + m0.path("chat").path("id").asLong() + ":" + group + ":" + firstUpdate
        : "tg:" + first.path("update_id").asLong();
    return new InboundHandler.Incoming(id, m0.path("chat"), m0.path("from"), messages, null);
  }

  private Behavior<Command> onWorkDone(WorkDone m) {
    if (m.incarnation() != incarnation) return this;
    ArrayDeque<Work> queue = chats.get(m.chatId());
    if (queue != null && queue.peek() != null && queue.peek().running) queue.poll();
    if (queue != null && queue.isEmpty()) chats.remove(m.chatId());
    for (Long id : m.updateIds()) if (known.containsKey(id)) known.put(id, true);
    runQueues();
    advanceOffset();
    schedulePoll(false);
    return this;
  }

  /** Persists the new offset: the lowest update not yet done, or one past the highest when all are done. */
  private void advanceOffset() {
    if (saving) return;
    long next = offset;
    for (Map.Entry<Long, Boolean> e : known.entrySet()) {
      if (!e.getValue()) break;
      next = e.getKey() + 1;
    }
    if (next <= offset) return;
    saving = true;
    long target = next;
    CompletionStage<Done> saved = AskPattern.askWithStatus(store,
        replyTo -> new TelegramOffsetStore.SaveOffset(target, replyTo), settings.askTimeout(),
        getContext().getSystem().scheduler());
    getContext().pipeToSelf(saved, (ok, err) -> new OffsetSaved(target, err));
  }

  private Behavior<Command> onOffsetSaved(OffsetSaved m) {
    saving = false;
    if (m.error() != null) {
      getContext().getLog().warn("telegram {}: offset {} not persisted ({}); trying again", cfg.id(), m.offset(), m.error().toString());
      timers.startSingleTimer(SaveAgain.INSTANCE, SaveAgain.INSTANCE, settings.backoffBase());
      return this;
    }
    offset = Math.max(offset, m.offset());
    known.headMap(offset).clear();
    advanceOffset();
    schedulePoll(false);
    return this;
  }

  /**
   * The next poll: at once after a poll that brought one update (a message sent right after a reply is fetched
   * without delay); {@code poll-coalesce} after one that brought several, so that a busy bot gathers several updates
   * per poll and persists its offset once for them; {@code poll_interval_ms} only when the last poll brought nothing.
   * The reference pauses poll_interval_ms after every batch; this departure is documented in the README.
   */
  private void schedulePoll(boolean afterEmptyPoll) {
    if (!started || polling || saving || busy() || timers.isTimerActive(Poll.INSTANCE)) return;
    Duration pause = afterEmptyPoll ? Duration.ofMillis(cfg.pollIntervalMs())
        : lastBatch > 1 ? settings.pollCoalesce() : Duration.ZERO;
    // Polls for album items return at once: every 100 ms while an album collects, so its items are not missed.
    if (!openAlbums.isEmpty()) pause = Duration.ofMillis(100);
    if (pause.isZero()) poll();
    else timers.startSingleTimer(Poll.INSTANCE, Poll.INSTANCE, pause);
  }

  private void failed(String what, Throwable error, Command retry) {
    failures++;
    Throwable cause = Retries.unwrap(error);
    Duration wait = settings.backoff(failures);
    String hint = "";
    if (cause instanceof TelegramApiException tae) {
      if (tae.status() == 429 && tae.retryAfter() != null) wait = tae.retryAfter();
      if (tae.status() == 409) hint = " (another process is polling with this bot token; stop it)";
      if (tae.status() == 401 || tae.status() == 404) hint = " (check the bot token of channel " + cfg.id() + ")";
    }
    getContext().getLog().warn("telegram {}: {} failed ({} in a row): {}{}; retrying in {} ms", cfg.id(), what, failures,
        api.redact(cause.getMessage() == null ? cause.toString() : cause.getMessage()), hint, wait.toMillis());
    timers.startSingleTimer(retry, retry, wait);
  }

  private void recovered() {
    if (failures > 0) {
      getContext().getLog().info("telegram {}: Bot API reachable again after {} failed attempt(s)", cfg.id(), failures);
    }
    failures = 0;
  }
}
