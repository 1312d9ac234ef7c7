package partyclaw.actors.conversation;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.JsonSerializable;
import partyclaw.actors.ModelCatalog;
import partyclaw.actors.conversation.ConversationState.Inbound;
import partyclaw.actors.conversation.ConversationState.Outbound;
import partyclaw.actors.conversation.ConversationState.RecordedResult;
import partyclaw.actors.conversation.ConversationState.Turn;
import partyclaw.actors.directory.ActiveConversations;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.actors.outbox.TurnActivity;
import partyclaw.actors.tool.ToolActor;
import partyclaw.core.llm.ChatRequest;
import partyclaw.core.llm.ChatResponse;
import partyclaw.core.llm.LlmCall;
import partyclaw.core.llm.LlmEndpoint;
import partyclaw.core.prompt.SystemPrompt;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.TurnProcesses;
import partyclaw.core.tool.TurnSignal;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;
import partyclaw.core.transcript.Usage;

/**
 * One conversation ({@code <channel id>:<chat id>}): its transcript, its turns, its outbox. Sharded and
 * event-sourced; the transcript the model sees is a pure function of the events.
 *
 * <p>A turn is a loop of rounds: one model call, then the tool calls it asked for, run in parallel by
 * {@link ToolActor}s, their results recorded in call order. Crash safety: inbound is acknowledged only once
 * persisted (and the conversation marked active in {@link ActiveConversations}); on recovery calls without a
 * result get a {@code lost} result and the turn continues; replies go through the outbox until confirmed.
 */
public final class ConversationEntity
    extends EventSourcedBehaviorWithEnforcedReplies<ConversationEntity.Command, ConversationEntity.Event, ConversationState> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "conversation");

  static final Duration RESEND_INTERVAL = Duration.ofSeconds(5);
  static final String RESTART_NOTICE = "[System Restarted: partyclaw restarted since your last step. Processes started"
      + " with exec_start before the restart have ended; their exec_ids no longer exist.]";
  static final String EMPTY_REPLY_NUDGE =
      "[System Notice] Your last reply was empty. Give your final answer to the user now.";

  // ---- commands ----

  public sealed interface Command extends JsonSerializable {}

  /**
   * A user message from a channel. Acknowledged with {@link Accepted} once persisted; redeliveries (same
   * {@code messageId}) are acknowledged again but dropped. {@code attachments} are workspace-relative paths of
   * files the channel already saved into the conversation's workspace (see {@link GetWorkspace}).
   */
  public record SubmitUserMessage(String messageId, String senderId, String senderName, String text,
      List<String> attachments, ActorRef<StatusReply<Accepted>> replyTo) implements Command {

    public SubmitUserMessage {
      attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    public SubmitUserMessage(String messageId, String senderId, String senderName, String text,
        ActorRef<StatusReply<Accepted>> replyTo) {
      this(messageId, senderId, senderName, text, List.of(), replyTo);
    }
  }

  /** The absolute path of the conversation's workspace root (assigned on first use), for inbound files. */
  public record GetWorkspace(ActorRef<StatusReply<String>> replyTo) implements Command {}

  public record Accepted(boolean duplicate) implements JsonSerializable {}

  public record GetStatus(ActorRef<StatusReply<Status>> replyTo) implements Command {}

  public record Status(boolean quiet, boolean turnRunning, int queuedMessages, int undelivered, String model,
      long turns, String workspaceId, long promptTokens, long completionTokens) implements JsonSerializable {}

  /** A channel's report on outbox entry {@code outboundId} (through a message adapter: channels never see Command). */
  record DeliveryReported(DeliveryReport report) implements Command {}

  /** {@code user_tell}: queue a separate message to the user now. */
  public record TellUser(String text, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Sent at start-up to conversations with unfinished work. */
  public record Wake() implements Command {}

  /** Steer mode: the debounce window after a follow-up ended; the running batch now yields. */
  record YieldForFollowUps() implements Command {}

  record SnapshotWritten(String name, Instant savedAt, String error) implements Command {}

  record SnapshotRead(String name, String workspaceId, NamedSnapshots.Snapshot snapshot, String error)
      implements Command {}

  record SnapshotsListed(String text) implements Command {}

  /** Cancels the running turn for real (queue mode interrupt). */
  record CancelTurn(String outcome, String reason) implements Command {}

  /** Re-evaluates what to do next: start a turn, call the model, record lost calls. */
  record Advance() implements Command {}

  record ModelCallSucceeded(String turnId, int round, ChatResponse response) implements Command {}

  record ModelCallFailed(String turnId, int round, String error) implements Command {}

  record ToolCallFinished(ToolActor.Report report) implements Command {}

  record ResendOutbox() implements Command {}

  record PassivateIfQuiet() implements Command {}

  record Stop() implements Command {}

  // ---- events ----

  public sealed interface Event extends JsonSerializable {}

  public record ConversationOpened(String workspaceId, Instant at) implements Event {}

  public record InboundAccepted(String messageId, String senderId, String senderName, String text,
      List<String> attachments, Instant at) implements Event {}

  public record TurnStarted(String turnId, List<String> messageIds, List<ChatMessage> userMessages) implements Event {}

  public record ModelReplied(String turnId, ChatMessage message, Usage usage) implements Event {}

  public record TurnNudged(String turnId, ChatMessage nudge) implements Event {}

  /** Messages that arrived during the turn, entered at a safe boundary marked as interrupting follow-ups. */
  public record FollowUpsInjected(String turnId, List<String> messageIds, List<ChatMessage> messages)
      implements Event {}

  /** A slash command was received (its id is remembered for deduplication; it never enters the transcript). */
  public record CommandAccepted(String messageId, String command, String args) implements Event {}

  public record SettingChanged(String key, String value) implements Event {}

  /** After /stop, messages still queued join the transcript without starting a turn. */
  public record QueuedMessagesParked(List<String> messageIds, List<ChatMessage> messages) implements Event {}

  public record SnapshotLoaded(String name, String workspaceId, List<ChatMessage> transcript,
      ConversationState.Settings settings) implements Event {}

  public record ToolResultRecorded(String turnId, String callId, String toolName, String content, String status)
      implements Event {}

  public record TurnFinished(String turnId, String outcome, String detail) implements Event {}

  public record OutboundQueued(long outboundId, String kind, String text) implements Event {}

  public record OutboundDelivered(long outboundId) implements Event {}

  /** The platform refuses the entry for good: it leaves the outbox and is counted in /status. */
  public record OutboundUndeliverable(long outboundId, String reason) implements Event {}

  // ---- wiring ----

  public static void init(ActorSystem<?> system, ConversationRuntime runtime,
      ActorRef<ActiveConversations.Command> directory) {
    ClusterSharding.get(system).init(
        Entity.of(TYPE_KEY, ec -> create(ec.getEntityId(), runtime, directory, ec.getShard()))
            .withStopMessage(new Stop()));
  }

  public static Behavior<Command> create(String conversationId, ConversationRuntime runtime,
      ActorRef<ActiveConversations.Command> directory, ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new ConversationEntity(conversationId, runtime, directory, shard, ctx, timers)));
  }

  private final String conversationId;
  private final ConversationRuntime rt;
  private final ActorRef<ActiveConversations.Command> directory;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Executor blocking;
  private final Executor toolPool;
  private final TurnActivities activities;
  private final ActorRef<DeliveryReport> deliveryReports;

  // Runtime-only: what is in flight in this incarnation. Never part of the persisted state.
  private LlmCall modelCall;
  private String modelCallKey;
  private final Map<String, ActorRef<ToolActor.Command>> runningTools = new HashMap<>();
  private final Set<Long> sentThisIncarnation = new HashSet<>();
  private boolean markedActive;
  /** Steer mode: a follow-up is waiting, so every interruptible tool of this round is told to yield. */
  private boolean yieldRequested;
  /** The process restarted since this conversation last ran: the model is told once that old processes are gone. */
  private boolean restartNoticePending;

  private ConversationEntity(String conversationId, ConversationRuntime rt,
      ActorRef<ActiveConversations.Command> directory, ActorRef<ClusterSharding.ShardCommand> shard,
      ActorContext<Command> ctx, TimerScheduler<Command> timers) {
    super(PersistenceId.of(TYPE_KEY.name(), conversationId));
    this.conversationId = conversationId;
    this.rt = rt;
    this.directory = directory;
    this.shard = shard;
    this.ctx = ctx;
    this.timers = timers;
    this.activities = new TurnActivities(conversationId, rt);
    this.deliveryReports = ctx.messageAdapter(DeliveryReport.class, DeliveryReported::new);
    this.blocking = partyclaw.actors.BlockingPools.runtime(ctx.getSystem());
    this.toolPool = partyclaw.actors.BlockingPools.tools(ctx.getSystem());
  }

  @Override
  public ConversationState emptyState() {
    return ConversationState.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public SignalHandler<ConversationState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::recovered)
        .build();
  }

  private void recovered(ConversationState state) {
    boolean firstRunInThisProcess = rt.resources().firstTimeInThisProcess(conversationId);
    restartNoticePending = firstRunInThisProcess && !state.transcript().isEmpty();
    if (!state.quiet()) {
      ctx.getLog().info("conversation {} resumes unfinished work (turn={}, queued={}, undelivered={})",
          conversationId, state.turn() != null, state.inbox().size(), state.outbox().size());
      markedActive = true;
      directory.tell(new ActiveConversations.MarkActive<>(conversationId, null, null));
    }
    ctx.getSelf().tell(new Advance());
    deliverOutbox(state);
  }

  // ---- command handlers ----

  @Override
  public CommandHandlerWithReply<Command, Event, ConversationState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(SubmitUserMessage.class, this::onSubmit)
        .onCommand(GetStatus.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.success(status(s))))
        .onCommand(GetWorkspace.class, this::onGetWorkspace)
        .onCommand(DeliveryReported.class, this::onDeliveryReported)
        .onCommand(TellUser.class, this::onTellUser)
        .onCommand(Wake.class, (s, c) -> {
          deliverOutbox(s);
          return advance(s);
        })
        .onCommand(Advance.class, (s, c) -> advance(s))
        .onCommand(YieldForFollowUps.class, (s, c) -> onYieldForFollowUps(s))
        .onCommand(CancelTurn.class, (s, c) -> cancelTurn(s, c.outcome(), c.reason(), null))
        .onCommand(SnapshotWritten.class, this::onSnapshotWritten)
        .onCommand(SnapshotRead.class, this::onSnapshotRead)
        .onCommand(SnapshotsListed.class, (s, c) -> Effect().persist(queued(s, "command", c.text()))
            .thenRun(this::afterChange).thenNoReply())
        .onCommand(ModelCallSucceeded.class, this::onModelReplied)
        .onCommand(ModelCallFailed.class, this::onModelFailed)
        .onCommand(ToolCallFinished.class, this::onToolFinished)
        .onCommand(ResendOutbox.class, (s, c) -> {
          sentThisIncarnation.clear();
          deliverOutbox(s);
          return Effect().noReply();
        })
        .onCommand(PassivateIfQuiet.class, (s, c) -> {
          if (!s.quiet()) return Effect().noReply();
          // Idle is recorded only now, not after every turn: a busy conversation costs no directory writes.
          if (markedActive) {
            markedActive = false;
            directory.tell(new ActiveConversations.MarkIdle(conversationId));
          }
          if (shard != null) shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
          return Effect().noReply();
        })
        .onCommand(Stop.class, (s, c) -> Effect().stop().thenNoReply())
        .build();
  }

  private ReplyEffect<Event, ConversationState> onSubmit(ConversationState s, SubmitUserMessage cmd) {
    if (s.hasSeen(cmd.messageId())) return Effect().reply(cmd.replyTo(), StatusReply.success(new Accepted(true)));
    if ((cmd.text() == null || cmd.text().isBlank()) && cmd.attachments().isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("empty message"));
    }
    if (cmd.attachments().isEmpty()) {
      Optional<SlashCommand> command = SlashCommand.parse(cmd.text());
      if (command.isPresent()) return onSlashCommand(s, cmd, command.get());
    }
    List<Event> events = new ArrayList<>(2);
    if (s.workspaceId() == null) events.add(new ConversationOpened(UUID.randomUUID().toString(), Instant.now()));
    InboundAccepted accepted = new InboundAccepted(cmd.messageId(), cmd.senderId(), cmd.senderName(),
        cmd.text() == null ? "" : cmd.text(), cmd.attachments(), Instant.now());
    events.add(accepted);
    boolean startsTurn = s.turn() == null && s.inbox().isEmpty();
    if (startsTurn) {
      // Idle conversation: the turn starts in the same journal write as the message.
      Inbound in = new Inbound(accepted.messageId(), accepted.senderId(), accepted.senderName(), accepted.text(),
          accepted.attachments(), accepted.at());
      events.add(new TurnStarted(UUID.randomUUID().toString(), List.of(in.messageId()),
          UserMessages.plain(List.of(in), 1)));
    }
    return acknowledged(Effect().persist(events).thenRun(startsTurn ? this::turnStarted : this::followUpArrived),
        cmd.replyTo());
  }

  private void turnStarted(ConversationState s) {
    activities.phase(s, TurnActivity.Phase.STARTED);
  }

  /**
   * Persist-before-acknowledge: when the conversation was idle, the directory persists "active" and only then
   * acknowledges the channel, so a crash in between leaves the channel to redeliver (deduplicated above).
   */
  private ReplyEffect<Event, ConversationState> acknowledged(
      akka.persistence.typed.javadsl.EffectBuilder<Event, ConversationState> effect,
      ActorRef<StatusReply<Accepted>> replyTo) {
    Accepted ack = new Accepted(false);
    if (markedActive) {
      return effect.thenRun(this::afterChange).thenReply(replyTo, st -> StatusReply.success(ack));
    }
    markedActive = true;
    return effect
        .thenRun(st -> directory.tell(new ActiveConversations.MarkActive<>(conversationId, replyTo, ack)))
        .thenRun(this::afterChange)
        .thenNoReply();
  }

  /** A message arrived while a turn runs: the queue mode decides what the turn does about it. */
  private void followUpArrived(ConversationState s) {
    if (s.turn() == null) return;
    switch (CommandTexts.queueMode(s.settings(), rt)) {
      case "steer" -> {
        if (!timers.isTimerActive(YieldForFollowUps.class)) {
          timers.startSingleTimer(YieldForFollowUps.class, new YieldForFollowUps(), rt.debounce());
        }
      }
      case "interrupt" -> ctx.getSelf().tell(new CancelTurn("interrupted", "a new message arrived (queue mode interrupt)"));
      default -> { } // followup and collect wait for the end of the turn
    }
  }

  private ReplyEffect<Event, ConversationState> onYieldForFollowUps(ConversationState s) {
    if (s.turn() == null || s.inbox().isEmpty()) return Effect().noReply();
    yieldRequested = true;
    runningTools.values().forEach(t -> t.tell(new ToolActor.Interrupt()));
    return Effect().noReply();
  }

  private ReplyEffect<Event, ConversationState> onGetWorkspace(ConversationState s, GetWorkspace cmd) {
    if (s.workspaceId() != null) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(workspacePath(s).toString()));
    }
    return Effect().persist(new ConversationOpened(UUID.randomUUID().toString(), Instant.now()))
        .thenReply(cmd.replyTo(), st -> StatusReply.success(workspacePath(st).toString()));
  }

  private ReplyEffect<Event, ConversationState> onTellUser(ConversationState s, TellUser cmd) {
    if (cmd.text() == null || cmd.text().isBlank()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("text must be a non-empty string"));
    }
    return Effect().persist(new OutboundQueued(s.nextOutboundId(), "tell", cmd.text()))
        .thenRun(this::deliverOutbox)
        .thenReply(cmd.replyTo(), st -> StatusReply.ack());
  }

  private ReplyEffect<Event, ConversationState> onDeliveryReported(ConversationState s, DeliveryReported cmd) {
    DeliveryReport report = cmd.report();
    boolean pending = s.outbox().stream().anyMatch(o -> o.id() == report.outboundId());
    if (!pending) return Effect().noReply();
    Event event = report instanceof DeliveryReport.Undeliverable u
        ? new OutboundUndeliverable(u.outboundId(), u.reason())
        : new OutboundDelivered(report.outboundId());
    return Effect().persist(event).thenRun(this::afterChange).thenNoReply();
  }

  /** Decides the next step of the conversation from its state alone; safe to call at any time. */
  private ReplyEffect<Event, ConversationState> advance(ConversationState s) {
    Turn turn = s.turn();
    if (turn == null) {
      if (!s.inbox().isEmpty()) {
        List<Inbound> batch = s.inbox().stream().limit(rt.followUpCap()).toList();
        List<String> ids = batch.stream().map(Inbound::messageId).toList();
        List<ChatMessage> messages = "collect".equals(CommandTexts.queueMode(s.settings(), rt))
            ? UserMessages.collected(batch, s.inbox().size())
            : UserMessages.plain(batch, s.inbox().size());
        return Effect().persist(new TurnStarted(UUID.randomUUID().toString(), ids, messages))
            .thenRun(this::turnStarted)
            .thenRun(this::afterChange).thenNoReply();
      }
      return Effect().none().thenRun(this::afterChange).thenNoReply();
    }
    if (!turn.awaitingModel()) {
      List<ToolCall> lost = turn.unfinishedCalls().stream().filter(c -> !runningTools.containsKey(c.id())).toList();
      if (lost.isEmpty()) return Effect().noReply();
      // Calls cut off by a crash: pair each with a result so the transcript stays valid, then go on.
      List<Event> events = lost.stream()
          .<Event>map(c -> new ToolResultRecorded(turn.turnId(), c.id(), c.name(), TranscriptRepairs.lostResult(c), "lost"))
          .toList();
      return Effect().persist(events).thenRun(this::afterChange).thenNoReply();
    }
    if (modelCall != null) return Effect().noReply();
    if (!s.inbox().isEmpty() && "steer".equals(CommandTexts.queueMode(s.settings(), rt))) {
      // A safe boundary: the partial results are in, the new messages follow them, then the model decides.
      List<Inbound> batch = s.inbox().stream().limit(rt.followUpCap()).toList();
      return Effect().persist(new FollowUpsInjected(turn.turnId(), batch.stream().map(Inbound::messageId).toList(),
              UserMessages.interrupting(batch, s.inbox().size())))
          .thenRun(this::afterChange).thenNoReply();
    }
    if (turn.round() >= rt.maxToolRounds()) {
      String text = "Stopped after " + turn.round() + " tool rounds (main_agent.max_tool_roundtrips = "
          + rt.maxToolRounds() + "). Send a new message to let the agent go on.";
      return finishTurn(s, "max_rounds", text, "notice", text);
    }
    return Effect().none().thenRun(this::callModel).thenNoReply();
  }

  private ReplyEffect<Event, ConversationState> onModelReplied(ConversationState s, ModelCallSucceeded cmd) {
    if (!isCurrentModelCall(s, cmd.turnId(), cmd.round())) return Effect().noReply();
    modelCall = null;
    modelCallKey = null;
    Turn turn = s.turn();
    ChatMessage reply = TranscriptRepairs.withCallIds(cmd.response().message(), turn);
    Usage usage = cmd.response().usage();
    boolean hasText = reply.content() != null && !reply.content().isBlank();
    if (!hasText && !reply.hasToolCalls()) {
      if (!turn.nudged()) {
        return Effect().persist(new TurnNudged(turn.turnId(), ChatMessage.user(EMPTY_REPLY_NUDGE)))
            .thenRun(this::afterChange).thenNoReply();
      }
      String text = "The model returned an empty reply twice; the turn was stopped. Send a new message to try again.";
      return finishTurn(s, "failed", "empty model reply", "error", text);
    }
    if (reply.hasToolCalls()) {
      return Effect().persist(new ModelReplied(turn.turnId(), reply, usage))
          .thenRun(this::startTools).thenNoReply();
    }
    return Effect().persist(List.of(
            new ModelReplied(turn.turnId(), reply, usage),
            new OutboundQueued(s.nextOutboundId(), "reply", reply.content().strip()),
            new TurnFinished(turn.turnId(), "completed", null)))
        .thenRun(st -> activities.finished(turn.turnId(), "completed"))
        .thenRun(this::afterChange).thenNoReply();
  }

  private ReplyEffect<Event, ConversationState> onModelFailed(ConversationState s, ModelCallFailed cmd) {
    if (!isCurrentModelCall(s, cmd.turnId(), cmd.round())) return Effect().noReply();
    modelCall = null;
    modelCallKey = null;
    String text = "⚠️ The model call failed: " + cmd.error()
        + "\nYour message is saved in the conversation; send a new message to try again.";
    return finishTurn(s, "failed", cmd.error(), "error", text);
  }

  /** Ends the running turn and tells the user why, in one atomic write. */
  private ReplyEffect<Event, ConversationState> finishTurn(ConversationState s, String outcome, String detail,
      String kind, String userText) {
    String turnId = s.turn().turnId();
    return Effect().persist(List.of(
            new TurnFinished(turnId, outcome, detail),
            new OutboundQueued(s.nextOutboundId(), kind, userText)))
        .thenRun(st -> activities.finished(turnId, outcome))
        .thenRun(this::afterChange).thenNoReply();
  }

  private ReplyEffect<Event, ConversationState> onToolFinished(ConversationState s, ToolCallFinished cmd) {
    ToolActor.Report r = cmd.report();
    runningTools.remove(r.call().id());
    Turn turn = s.turn();
    boolean current = turn != null && turn.turnId().equals(r.turnId())
        && turn.unfinishedCalls().stream().anyMatch(c -> c.id().equals(r.call().id()));
    if (!current) return Effect().noReply();
    String status = r.result().errored() ? "error" : "ok";
    return Effect().persist(new ToolResultRecorded(turn.turnId(), r.call().id(), r.call().name(),
            r.result().content(), status))
        .thenRun(st -> activities.tools(turn, r.call().id(), status))
        .thenRun(this::afterChange).thenNoReply();
  }

  // ---- slash commands ----

  private ReplyEffect<Event, ConversationState> onSlashCommand(ConversationState s, SubmitUserMessage cmd,
      SlashCommand c) {
    List<Event> events = new ArrayList<>();
    if (s.workspaceId() == null) events.add(new ConversationOpened(UUID.randomUUID().toString(), Instant.now()));
    events.add(new CommandAccepted(cmd.messageId(), c.name(), c.args()));
    ConversationState after = s;
    for (Event e : events) after = eventHandler().apply(after, e);
    switch (c.name()) {
      case "stop" -> {
        if (s.turn() == null) {
          events.add(queued(after, "command", "Nothing is running."));
          return acknowledged(Effect().persist(events), cmd.replyTo());
        }
        return cancelTurn(s, "stopped", "stopped by /stop", new PendingAck(events, cmd.replyTo()));
      }
      case "continue" -> {
        if (!s.resumable() || s.turn() != null) {
          events.add(queued(after, "command", "There is no interrupted turn to continue right now."));
        } else {
          events.add(new TurnStarted(UUID.randomUUID().toString(), List.of(), List.of()));
          return acknowledged(Effect().persist(events).thenRun(this::turnStarted), cmd.replyTo());
        }
        return acknowledged(Effect().persist(events), cmd.replyTo());
      }
      case "snapsave", "snapload", "snaplist" -> {
        return snapshotCommand(s, after, c, events, cmd.replyTo());
      }
      default -> {
        events.addAll(SettingsCommands.handle(conversationId, after, c, rt, runningTools.size()));
        return acknowledged(Effect().persist(events), cmd.replyTo());
      }
    }
  }

  /** An acknowledgement to give once the events of a command are persisted. */
  private record PendingAck(List<Event> events, ActorRef<StatusReply<Accepted>> replyTo) {}

  /**
   * Stops the running turn for real: the model call is aborted, every running tool gets Cancel (its processes are
   * killed), unfinished calls are recorded as cancelled so the transcript stays paired, and the user is told what
   * was stopped.
   */
  private ReplyEffect<Event, ConversationState> cancelTurn(ConversationState s, String outcome, String reason,
      PendingAck ack) {
    Turn turn = s.turn();
    if (turn == null) return Effect().noReply();
    List<Event> events = new ArrayList<>(ack == null ? List.of() : ack.events());
    List<String> stopped = new ArrayList<>();
    if (modelCall != null) {
      modelCall.cancel();
      modelCall = null;
      modelCallKey = null;
      stopped.add("the model call");
    }
    for (ToolCall call : turn.unfinishedCalls()) {
      ActorRef<ToolActor.Command> actor = runningTools.remove(call.id());
      if (actor != null) actor.tell(new ToolActor.Cancel());
      stopped.add(call.name() + (UserMessages.firstArgument(call.arguments()).isEmpty() ? ""
          : " (" + UserMessages.firstArgument(call.arguments()) + ")"));
      events.add(new ToolResultRecorded(turn.turnId(), call.id(), call.name(), TranscriptRepairs.cancelledResult(call, reason),
          "cancelled"));
    }
    // Processes the turn started (exec_start) go with it; their kill blocks, so it runs on the blocking dispatcher.
    Optional<TurnProcesses> execs = rt.resources().of(conversationId).find(TurnProcesses.class);
    execs.ifPresent(r -> r.runningStartedBy(turn.turnId()).forEach(p -> stopped.add("process " + p)));
    execs.ifPresent(r -> blocking.execute(() -> r.killStartedBy(turn.turnId())));
    timers.cancel(YieldForFollowUps.class);
    yieldRequested = false;
    events.add(new TurnFinished(turn.turnId(), outcome, reason));
    ConversationState after = s;
    for (Event e : events) after = eventHandler().apply(after, e);
    if ("stopped".equals(outcome)) {
      if (!after.inbox().isEmpty()) {
        events.add(new QueuedMessagesParked(after.inbox().stream().map(Inbound::messageId).toList(),
            UserMessages.plain(after.inbox(), after.inbox().size())));
      }
      String text = stopped.isEmpty() ? "Stopped the turn." : "Stopped: " + String.join(", ", stopped) + ".";
      events.add(queued(after, "notice", text + " Send /continue to resume it."));
    }
    String turnId = turn.turnId();
    var effect = Effect().persist(events).thenRun(st -> activities.finished(turnId, outcome));
    if (ack != null) return acknowledged(effect, ack.replyTo());
    return effect.thenRun(this::afterChange).thenNoReply();
  }

  private ReplyEffect<Event, ConversationState> snapshotCommand(ConversationState s, ConversationState after,
      SlashCommand c, List<Event> events, ActorRef<StatusReply<Accepted>> replyTo) {
    String name = c.args();
    boolean list = c.name().equals("snaplist") || (c.name().equals("snapload") && name.isEmpty());
    String problem = null;
    if (!list && name.isEmpty()) problem = "Usage: `/" + c.name() + " <name>`\nExample: `/" + c.name() + " demo`";
    else if (!list && NamedSnapshots.invalidName(name) != null) problem = "Invalid snapshot name: " + NamedSnapshots.invalidName(name) + ".";
    else if (!list && s.turn() != null) problem = "A turn is running; wait for it to finish or /stop it first.";
    if (problem != null) {
      events.add(queued(after, "command", problem));
      return acknowledged(Effect().persist(events), replyTo);
    }
    ActorRef<Command> self = ctx.getSelf();
    Runnable io;
    if (list) {
      io = () -> self.tell(new SnapshotsListed(NamedSnapshots.describe(rt.workdir())));
    } else if (c.name().equals("snapsave")) {
      io = NamedSnapshots.saveTask(rt.workdir(), new NamedSnapshots.Snapshot(name, Instant.now(), conversationId,
          List.copyOf(s.transcript()), s.settings()), workspacePath(after), self);
    } else {
      String workspaceId = "snapshot-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
      io = NamedSnapshots.loadTask(rt.workdir(), name, workspaceId, rt.workspaceDir(workspaceId), self);
    }
    return acknowledged(Effect().persist(events).thenRun(st -> blocking.execute(io)), replyTo);
  }

  private ReplyEffect<Event, ConversationState> onSnapshotWritten(ConversationState s, SnapshotWritten c) {
    String text = c.error() == null
        ? "Saved global snapshot `" + c.name() + "` at " + c.savedAt() + "."
        : "Could not save snapshot `" + c.name() + "`: " + c.error();
    return Effect().persist(queued(s, "command", text)).thenRun(this::afterChange).thenNoReply();
  }

  private ReplyEffect<Event, ConversationState> onSnapshotRead(ConversationState s, SnapshotRead c) {
    if (c.error() != null) {
      return Effect().persist(queued(s, "command", "Could not load snapshot `" + c.name() + "`: " + c.error()))
          .thenRun(this::afterChange).thenNoReply();
    }
    if (s.turn() != null) {
      return Effect().persist(queued(s, "command", "A turn started meanwhile; /stop it and load the snapshot again."))
          .thenRun(this::afterChange).thenNoReply();
    }
    NamedSnapshots.Snapshot snap = c.snapshot();
    SnapshotLoaded loaded = new SnapshotLoaded(c.name(), c.workspaceId(), snap.transcript(), snap.settings());
    ConversationState after = eventHandler().apply(s, loaded);
    return Effect().persist(List.of(loaded, queued(after, "command",
            "Loaded snapshot `" + c.name() + "` into this conversation with workspace `" + c.workspaceId() + "`.")))
        .thenRun(this::afterChange).thenNoReply();
  }

  private static OutboundQueued queued(ConversationState s, String kind, String text) {
    return new OutboundQueued(s.nextOutboundId(), kind, text);
  }

  // ---- side effects (only ever run from thenRun) ----

  private void afterChange(ConversationState s) {
    if (s.quiet()) {
      timers.cancel(ResendOutbox.class);
      timers.startSingleTimer(PassivateIfQuiet.class, new PassivateIfQuiet(), rt.passivateAfter());
      return;
    }
    timers.cancel(PassivateIfQuiet.class);
    deliverOutbox(s);
    boolean turnWaiting = s.turn() != null && s.turn().awaitingModel() && modelCall == null;
    boolean inboxWaiting = s.turn() == null && !s.inbox().isEmpty();
    boolean lostCalls = s.turn() != null && !s.turn().awaitingModel()
        && s.turn().unfinishedCalls().stream().anyMatch(c -> !runningTools.containsKey(c.id()));
    if (turnWaiting || inboxWaiting || lostCalls) ctx.getSelf().tell(new Advance());
  }

  private void deliverOutbox(ConversationState s) {
    if (s.outbox().isEmpty()) return;
    if (!timers.isTimerActive(ResendOutbox.class)) {
      timers.startTimerWithFixedDelay(ResendOutbox.class, new ResendOutbox(), RESEND_INTERVAL);
    }
    Optional<ActorRef<ChannelMessage>> channel = rt.delivery().channelOf(conversationId);
    if (channel.isEmpty()) return; // the channel is not up yet; the resend timer tries again
    for (Outbound o : s.outbox()) {
      if (sentThisIncarnation.add(o.id())) {
        channel.get().tell(new Deliver(conversationId, o.id(), o.kind(), o.text(), workspacePath(s).toString(),
            deliveryReports));
      }
    }
  }

  private void callModel(ConversationState s) {
    Turn turn = s.turn();
    if (turn == null || !turn.awaitingModel() || modelCall != null) return;
    String turnId = turn.turnId();
    int round = turn.round();
    Optional<ModelCatalog.Entry> model = rt.models().resolve(s.settings().modelAlias());
    if (model.isEmpty()) {
      ctx.getSelf().tell(new ModelCallFailed(turnId, round, "no model is configured; add one to the config's models"));
      return;
    }
    String effort = s.settings().reasoningEffort();
    ChatRequest request = new ChatRequest(requestMessages(s, model.get()), rt.toolSpecs(), effort);
    activities.phase(s, TurnActivity.Phase.THINKING);
    yieldRequested = false;
    modelCallKey = turnId + "#" + round;
    LlmEndpoint endpoint = model.get().endpoint();
    if (s.settings().apiTimeoutSeconds() != null) {
      endpoint = new LlmEndpoint(endpoint.alias(), endpoint.url(), endpoint.model(), endpoint.apiKey(),
          endpoint.headers(), Duration.ofMillis(Math.round(s.settings().apiTimeoutSeconds() * 1000)),
          endpoint.retry(), endpoint.reasoning());
    }
    modelCall = rt.chat().start(endpoint, request, delta -> {});
    ctx.pipeToSelf(modelCall.result(), (response, error) -> response != null
        ? new ModelCallSucceeded(turnId, round, response)
        : new ModelCallFailed(turnId, round, TranscriptRepairs.describe(error)));
  }

  private List<ChatMessage> requestMessages(ConversationState s, ModelCatalog.Entry model) {
    String prompt = SystemPrompt.build(new SystemPrompt.Inputs(
        workspacePath(s).toString(), rt.language(), model.alias(), model.description(), rt.models().available()));
    List<ChatMessage> messages = new ArrayList<>(s.transcript().size() + 1);
    messages.add(ChatMessage.system(prompt));
    messages.addAll(s.transcript());
    if (restartNoticePending) {
      // Transient: the notice reaches exactly one model call and is never part of the transcript.
      messages.add(ChatMessage.system(RESTART_NOTICE));
      restartNoticePending = false;
    }
    return messages;
  }

  private void startTools(ConversationState s) {
    Turn turn = s.turn();
    for (ToolCall call : turn.unfinishedCalls()) {
      Path workspace = workspacePath(s);
      ActorRef<ToolActor.Command> actor = ctx.spawnAnonymous(ToolActor.create(turn.turnId(), call,
          rt.tools().get(call.name()), signal -> toolContext(turn.turnId(), workspace, signal), toolPool, ctx.getSelf(),
          ToolCallFinished::new));
      runningTools.put(call.id(), actor);
      actor.tell(new ToolActor.Start());
      // The yield signal is sticky for the round: a tool started after it returns at once.
      if (yieldRequested) actor.tell(new ToolActor.Interrupt());
    }
    activities.tools(turn, null, null);
  }

  /** Called on the blocking dispatcher: creating the workspace directory is file I/O. */
  private ToolContext toolContext(String turnId, Path workspace, TurnSignal signal) {
    Path root;
    try {
      root = Files.createDirectories(workspace).toRealPath();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create the conversation workspace " + workspace + ": " + e.getMessage());
    }
    ActorRef<Command> self = ctx.getSelf();
    akka.actor.typed.Scheduler scheduler = ctx.getSystem().scheduler();
    return new EntityToolContext(conversationId, turnId, root, signal, rt.resources().of(conversationId),
        rt.processEnvironment(),
        text -> AskPattern.<Command, Done>askWithStatus(self, replyTo -> new TellUser(text, replyTo),
            Duration.ofSeconds(30), scheduler).thenApply(done -> null));
  }

  private Path workspacePath(ConversationState s) {
    return rt.workspaceDir(s.workspaceId() == null ? "unassigned" : s.workspaceId()).toAbsolutePath();
  }


  // ---- helpers ----

  private boolean isCurrentModelCall(ConversationState s, String turnId, int round) {
    return s.turn() != null && (turnId + "#" + round).equals(modelCallKey) && s.turn().turnId().equals(turnId);
  }

  private Status status(ConversationState s) {
    String model = rt.models().resolve(s.settings().modelAlias()).map(ModelCatalog.Entry::alias).orElse(null);
    return new Status(s.quiet(), s.turn() != null, s.inbox().size(), s.outbox().size(), model, s.turnCount(),
        s.workspaceId(), s.usage().promptTokens(), s.usage().completionTokens());
  }

  // ---- events ----

  @Override
  public EventHandler<ConversationState, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(ConversationOpened.class, (s, e) -> s.opened(e.workspaceId()))
        .onEvent(InboundAccepted.class, (s, e) ->
            s.accepted(new Inbound(e.messageId(), e.senderId(), e.senderName(), e.text(), e.attachments(), e.at())))
        .onEvent(TurnStarted.class, (s, e) -> s.turnStarted(e.turnId(), e.messageIds(), e.userMessages()))
        .onEvent(ModelReplied.class, (s, e) -> s.modelReplied(e.message(), e.usage()))
        .onEvent(TurnNudged.class, (s, e) -> s.nudged(e.nudge()))
        .onEvent(ToolResultRecorded.class, (s, e) ->
            s.toolResultRecorded(e.callId(), new RecordedResult(e.toolName(), e.content(), e.status())))
        .onEvent(TurnFinished.class, (s, e) -> s.turnFinished(e.outcome()))
        .onEvent(FollowUpsInjected.class, (s, e) -> s.followUpsInjected(e.messageIds(), e.messages()))
        .onEvent(CommandAccepted.class, (s, e) -> s.commandAccepted(e.messageId()))
        .onEvent(SettingChanged.class, (s, e) -> s.settingChanged(e.key(), e.value()))
        .onEvent(QueuedMessagesParked.class, (s, e) -> s.inboxParked(e.messages()))
        .onEvent(SnapshotLoaded.class, (s, e) -> s.opened(e.workspaceId()).snapshotLoaded(e.transcript(), e.settings()))
        .onEvent(OutboundQueued.class, (s, e) -> s.outboundQueued(new Outbound(e.outboundId(), e.kind(), e.text())))
        .onEvent(OutboundDelivered.class, (s, e) -> s.outboundDelivered(e.outboundId()))
        .onEvent(OutboundUndeliverable.class, (s, e) -> s.outboundUndeliverable(e.outboundId(), e.reason()))
        .build();
  }
}
