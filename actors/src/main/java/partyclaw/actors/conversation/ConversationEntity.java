package partyclaw.actors.conversation;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
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
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import partyclaw.actors.BlockingPools;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.JsonSerializable;
import partyclaw.actors.ModelCatalog;
import partyclaw.actors.agents.AgentLoop;
import partyclaw.actors.context.Compactor;
import com.fasterxml.jackson.databind.JsonNode;
import partyclaw.actors.directory.ActiveConversations;
import partyclaw.actors.model.ModelCall;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.actors.outbox.ReplyOption;
import partyclaw.actors.tool.ToolActor;
import partyclaw.core.cron.CronTask;
import partyclaw.core.plan.Plan;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Usage;

/**
 * One conversation ({@code <channel id>:<chat id>}): its transcript, its turns, its outbox. Sharded and
 * event-sourced; the transcript the model sees is a pure function of the events ({@link ConversationState#apply}).
 *
 * <p>A turn is a loop of rounds: one model call ({@link ModelCall} child), then the tool calls it asked for, run in
 * parallel by {@link ToolActor} children, their results recorded in call order. Crash safety: inbound is
 * acknowledged only once persisted (and the conversation marked active in {@link ActiveConversations}); on recovery
 * calls without a result get a {@code lost} result and the turn continues; replies go through the outbox until
 * confirmed. Every side effect runs after its events are persisted.
 */
public final class ConversationEntity
    extends EventSourcedBehaviorWithEnforcedReplies<ConversationEntity.Command, ConversationEntity.Event, ConversationState> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "conversation");

  static final Duration RESEND_INTERVAL = Duration.ofSeconds(5);
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

  public record Status(boolean quiet, boolean turnRunning, int queuedMessages, int undelivered, long undeliverable,
      String model, long turns, String workspaceId, long promptTokens, long completionTokens)
      implements JsonSerializable {}

  /** {@code update_plan}: the plan shown in progress messages and /status. */
  public record UpdatePlan(Plan plan, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** The cron tools' requests ({@link EntityCronTasks}); the reply is the task(s) concerned. */
  public record ManageCron(Op op, ActorRef<StatusReply<List<CronTask>>> replyTo) implements Command {
    public sealed interface Op {}

    public record ListTasks() implements Op {}

    public record Create(CronTask.Draft draft) implements Op {}

    public record Update(String id, CronTask.Patch patch) implements Op {}

    public record Remove(String id) implements Op {}
  }

  /** {@code subagent_start}: replies {@code {agent_id, model, description, timeout_seconds}}. */
  public record StartSubAgent(String description, String model, ActorRef<StatusReply<JsonNode>> replyTo)
      implements Command {}

  /** Replies once the sub-agent has finished (at once if it has). */
  public record AwaitSubAgent(String agentId, ActorRef<StatusReply<SubAgentRecord>> replyTo) implements Command {}

  /** A joined sub-agent is forgotten; replies whether it was. */
  public record ForgetSubAgent(String agentId, ActorRef<StatusReply<Boolean>> replyTo) implements Command {}

  public record KillSubAgent(String agentId, ActorRef<StatusReply<JsonNode>> replyTo) implements Command {}

  public record GetSubAgent(String agentId, ActorRef<StatusReply<SubAgentRecord>> replyTo) implements Command {}

  /** The background-agent tools' and commands' requests ({@link EntityBackgroundAgents}). */
  public record ManageBackgroundAgents(Op op, ActorRef<StatusReply<JsonNode>> replyTo) implements Command {
    public sealed interface Op {}

    /** {@code origin}: {@code tool} or {@code cron:<task id>}; {@code sink} as the tool's argument (null: direct). */
    public record Start(String task, String model, JsonNode sink, String origin) implements Op {}

    /** From the agent itself: it ends silently. */
    public record Terminate(String agentId) implements Op {}

    public record ListAll() implements Op {}

    public record Describe(String agentId) implements Op {}
  }

  /** Another conversation's (or this one's) background agent reports; acknowledged once journaled. */
  public record ReceiveAgentReport(partyclaw.actors.agents.AgentReport report, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  record BackgroundAgentReported(AgentLoop.Report report) implements Command {}

  /** After recovery: background agents resume, their reports go on. */
  record ResumeBackgroundAgents() implements Command {}

  /** The steps of delivering background agents' reports. */
  record BackgroundDelivery(Step step) implements Command {
    sealed interface Step {}

    /** {@code error} null: the sink's conversations, topics resolved. */
    record TargetsResolved(String agentId, List<String> conversations, String error) implements Step {}

    /** {@code error} null: the target journaled the report. */
    record Answered(String agentId, String conversationId, String error) implements Step {}

    record Retry() implements Step {}
  }

  /** A sub-agent child's report (through a message adapter). */
  record SubAgentReported(AgentLoop.Report report) implements Command {}

  /** After recovery: sub-agents that ran when the daemon died are recorded as failed. */
  record SettleLostSubAgents() implements Command {}

  /** A cron task may be due. */
  record CronTick() implements Command {}

  /** {@code outcome} null: the task has no checker. */
  record CronCheckFinished(String taskId, Instant scheduledFor, partyclaw.core.cron.CheckOutcome outcome)
      implements Command {}

  /** {@code user_tell}: queue a separate message to the user now. */
  public record TellUser(String text, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /**
   * The chat is gone (the bot was removed, the chat deleted): the conversation's cron tasks are disabled, its
   * background agents, sub-agents and running turn stopped. A later message simply opens it again.
   */
  public record CloseConversation(String reason, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Sent at start-up to conversations with unfinished work. */
  public record Wake() implements Command {}

  /** A channel's report on an outbox entry (through a message adapter: channels never see Command). */
  record DeliveryReported(DeliveryReport report) implements Command {}

  /** Steer mode: the debounce window after a follow-up ended; the running batch now yields. */
  record YieldForFollowUps() implements Command {}

  record SnapshotSaveFinished(String name, Instant savedAt, String error) implements Command {}

  record SnapshotLoadFinished(String name, NamedSnapshots.Loaded loaded, String error) implements Command {}

  record SnapshotsListed(String text, List<ReplyOption> options) implements Command {}

  /** {@code /mount}: the folder as resolved on the blocking pool ({@code path}), or why it cannot be mounted. */
  record MountResolved(String folder, boolean readOnly, String path, String error) implements Command {}

  /** Cancels the running turn for real (queue mode interrupt). */
  record CancelTurn(TurnOutcome outcome, String reason) implements Command {}

  /** Re-evaluates what to do next: start a turn, call the model, record lost calls. */
  record Advance() implements Command {}

  record ModelCallFinished(String turnId, int round, ModelCall.Outcome outcome) implements Command {}

  record PromptPrepared(ContextRunner.Prepared prepared) implements Command {}

  record PromptPreparationFailed(String turnId, String error) implements Command {}

  record CompactionFinished(String compactionId, Compactor.Result result) implements Command {}

  /** A quiet conversation nears the end of its provider's prompt cache: compact now if it is worth it. */
  record IdleCompactionDue() implements Command {}

  record ToolCallFinished(ToolActor.Report report) implements Command {}

  record ResendOutbox() implements Command {}

  record PassivateIfQuiet() implements Command {}

  /** Sharding's stop message after a passivation (or a shutdown / rebalance). */
  record Stop() implements Command {}

  // ---- events ----

  public sealed interface Event extends JsonSerializable {}

  public record ConversationOpened(String workspaceId, Instant at) implements Event {}

  public record InboundAccepted(String messageId, String senderId, String senderName, String text,
      List<String> attachments, Instant at) implements Event {}

  /** {@code notices}: runtime notices for the turn's first model call (the idle-gap tip), never in the transcript. */
  public record TurnStarted(String turnId, List<String> messageIds, List<ChatMessage> userMessages,
      List<String> notices) implements Event {
    public TurnStarted {
      notices = notices == null ? List.of() : List.copyOf(notices);
    }
  }

  public record ModelReplied(String turnId, ChatMessage message, Usage usage) implements Event {}

  public record TurnNudged(String turnId, ChatMessage nudge) implements Event {}

  /** Messages that arrived during the turn, entered at a safe boundary marked as interrupting follow-ups. */
  public record FollowUpsInjected(String turnId, List<String> messageIds, List<ChatMessage> messages)
      implements Event {}

  /** A slash command was received (its id is remembered for deduplication; it never enters the transcript). */
  public record CommandAccepted(String messageId, String command, String args) implements Event {}

  public record SettingChanged(String key, String value) implements Event {}

  public record PlanUpdated(Plan plan) implements Event {}

  /** A cron task created, changed, or its occurrence, check or trigger recorded. */
  public record CronTaskSaved(CronTask task) implements Event {}

  public record CronTaskRemoved(String taskId) implements Event {}

  public record SubAgentStarted(String agentId, String description, String model, Instant at) implements Event {}

  /** {@code state}: completed, failed, cancelled or bounded; {@code text}: its answer, or why it ended. */
  public record SubAgentFinished(String agentId, String state, String text, int rounds, Usage usage, Instant at)
      implements Event {}

  public record SubAgentForgotten(String agentId) implements Event {}

  /** {@code transcript}: the agent's task as its first message; its rounds follow as they complete. */
  public record BackgroundAgentStarted(String agentId, String task, String model,
      partyclaw.core.agents.ReportSink sink, String origin, List<ChatMessage> transcript, Instant at)
      implements Event {}

  /** One completed round of a background agent: its messages and that round's usage. */
  public record BackgroundAgentAdvanced(String agentId, int round, List<ChatMessage> appended, Usage usage)
      implements Event {}

  /** {@code state}: completed, failed, bounded, cancelled or terminated (no report). */
  public record BackgroundAgentFinished(String agentId, String state, String text, int rounds, Usage usage,
      Instant at) implements Event {}

  /** The report's target conversations, its topics resolved. */
  public record BackgroundReportAddressed(String agentId, List<String> conversations) implements Event {}

  public record BackgroundReportDelivered(String agentId, String conversationId) implements Event {}

  /** A background agent's report reached this conversation: its user is told, its model sees it. */
  public record AgentReportReceived(String reportId, String sourceConversation, String agentId, String text)
      implements Event {}

  public record TopicSubscriptionChanged(String topic, boolean subscribed) implements Event {}

  /** Recorded for the history; what closing changes is in the events journaled with it. */
  public record ConversationClosed(String reason, Instant at) implements Event {}

  /** {@code /mount}: a host folder is bound into this conversation's sandbox (an earlier mount of it is replaced). */
  public record MountAdded(String path, boolean readOnly) implements Event {}

  public record MountRemoved(String path) implements Event {}

  /** After /stop, messages still queued join the transcript without starting a turn. */
  public record QueuedMessagesParked(List<String> messageIds, List<ChatMessage> messages) implements Event {}

  public record SnapshotLoaded(String name, String workspaceId, List<ChatMessage> transcript,
      ConversationState.Settings settings) implements Event {}

  public record ToolResultRecorded(String turnId, String callId, String toolName, String content,
      ResultStatus status) implements Event {}

  public record TurnFinished(String turnId, TurnOutcome outcome, String detail, Instant at) implements Event {}

  /** The system prompt sent from now on (built at a turn's start, rebuilt after a compaction or a static change). */
  public record SystemPromptSet(String text, String staticHash, java.util.Map<String, Integer> partSizes,
      partyclaw.core.prompt.PromptNotices.Components components) implements Event {}

  /** Profile or skills changed since the model last heard: {@code notice} goes with the turn's next model call. */
  public record PromptNoticesQueued(String turnId, String notice,
      partyclaw.core.prompt.PromptNotices.Components notified) implements Event {}

  /** A compaction is due; it runs when no model call or tool is in flight, and nothing else starts meanwhile. */
  public record CompactionRequested(String compactionId, CompactionReason reason, String modelAlias, Instant at)
      implements Event {}

  /**
   * The first {@code replacedCount} messages of the live context were replaced by {@code replacement} (the summary
   * and the list of still-running tasks). One event, so a crash leaves the conversation fully before or after it.
   * {@code rolloutId}: where the replaced messages were archived (layered memory), or null.
   */
  public record ContextCompacted(String compactionId, CompactionReason reason, int replacedCount,
      List<ChatMessage> replacement, long tokensBefore, long tokensAfter, String rolloutId, Instant at)
      implements Event {}

  /** The compaction ended without changing the context: nothing to compact, or it failed ({@code detail} says why). */
  public record CompactionAbandoned(String compactionId, boolean failed, String detail) implements Event {}

  public record OutboundQueued(long outboundId, OutboundKind kind, String text, List<ReplyOption> options)
      implements Event {
    /** Events journaled before options existed have none. */
    public OutboundQueued {
      options = options == null ? List.of() : List.copyOf(options);
    }

    public OutboundQueued(long outboundId, OutboundKind kind, String text) {
      this(outboundId, kind, text, List.of());
    }
  }

  public record OutboundDelivered(long outboundId) implements Event, partyclaw.actors.SyncOptional {}

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

  private final ConversationRuntime rt;
  private final Texts texts;
  private final ContextHandlers contextHandlers;
  private final CronHandlers cron;
  private final SubAgentHandlers subAgents;
  private final BackgroundAgentHandlers background;
  private final TurnHandlers turns;
  private final ConversationLifecycle lifecycle;
  private final TurnControl control;
  private final InboundHandlers inbound;

  private ConversationEntity(String conversationId, ConversationRuntime rt,
      ActorRef<ActiveConversations.Command> directory, ActorRef<ClusterSharding.ShardCommand> shard,
      ActorContext<Command> ctx, TimerScheduler<Command> timers) {
    super(PersistenceId.of(TYPE_KEY.name(), conversationId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(30), 0.2));
    this.rt = rt;
    this.texts = Texts.of(rt.language());
    TurnActivities activities = new TurnActivities(conversationId, rt);
    Executor blocking = BlockingPools.runtime(ctx.getSystem());
    ToolActor.Pools pools = new ToolActor.Pools(BlockingPools.tools(ctx.getSystem()), blocking,
        rt.turns().immediateToolTimeout());
    TurnRunner runner = new TurnRunner(conversationId, rt, ctx, pools, activities);
    ContextRunner context = new ContextRunner(conversationId, rt, ctx, blocking);
    // The handlers run afterChange only from thenRun, by which time the lifecycle below exists.
    Consumer<ConversationState> afterChange = this::afterChange;
    this.contextHandlers = new ContextHandlers(conversationId, rt, ctx, context, activities, this::Effect,
        afterChange);
    this.turns = new TurnHandlers(conversationId, ctx, runner, context, activities, texts,
        this::Effect, afterChange);
    this.subAgents = new SubAgentHandlers(conversationId, rt, ctx, runner, pools, blocking, this::Effect,
        afterChange);
    this.background = new BackgroundAgentHandlers(conversationId, rt, ctx, timers, runner, pools, blocking,
        this::Effect, afterChange);
    this.cron = new CronHandlers(conversationId, rt, ctx, timers, blocking, this::Effect, afterChange,
        runner::workspacePath, background);
    OutboxDelivery outbox = new OutboxDelivery(conversationId, rt.delivery(), timers,
        ctx.messageAdapter(DeliveryReport.class, DeliveryReported::new), RESEND_INTERVAL);
    this.lifecycle = new ConversationLifecycle(conversationId, rt, ctx, timers, directory, shard, runner, context,
        contextHandlers, cron, outbox);
    this.control = new TurnControl(conversationId, rt, ctx, timers, blocking, runner, context, contextHandlers, turns,
        activities, subAgents, lifecycle, this::Effect);
    SlashCommandEffects commandEffects = new SlashCommandEffects(conversationId, rt, ctx, blocking, background,
        runner::workspacePath, control::turnStarted);
    this.inbound = new InboundHandlers(conversationId, rt, ctx, runner, context, control, commandEffects, subAgents,
        background, lifecycle, this::Effect);

    var resources = rt.resources().of(conversationId);
    resources.get(EntityCronTasks.class, () -> new EntityCronTasks(conversationId, ctx.getSystem().scheduler()))
        .attach(ctx.getSelf());
    resources.get(EntitySubAgents.class, () -> new EntitySubAgents(ctx.getSystem().scheduler()))
        .attach(ctx.getSelf());
    resources.get(EntityBackgroundAgents.class, () -> new EntityBackgroundAgents(ctx.getSystem().scheduler()))
        .attach(ctx.getSelf());
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
        .onSignal(RecoveryCompleted.instance(), lifecycle::recovered)
        .build();
  }

  @Override
  public EventHandler<ConversationState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(ConversationState::apply);
  }

  // ---- command handlers ----

  @Override
  public CommandHandlerWithReply<Command, Event, ConversationState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(SubmitUserMessage.class, inbound::onSubmit)
        .onCommand(ReceiveAgentReport.class, inbound::onReceiveReport)
        .onCommand(CloseConversation.class, inbound::onClose)
        .onCommand(GetWorkspace.class, inbound::onGetWorkspace)
        .onCommand(GetStatus.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.success(status(s))))
        .onCommand(DeliveryReported.class, (s, c) -> c.report() instanceof DeliveryReport.Deferred d
            ? Effect().none().thenRun(st -> lifecycle.deferred(d)).thenNoReply()
            : turns.onDeliveryReported(s, c))
        .onCommand(TellUser.class, turns::onTellUser)
        .onCommand(ManageCron.class, cron::onManage)
        .onCommand(StartSubAgent.class, subAgents::onStart)
        .onCommand(AwaitSubAgent.class, subAgents::onAwait)
        .onCommand(ForgetSubAgent.class, subAgents::onForget)
        .onCommand(KillSubAgent.class, subAgents::onKill)
        .onCommand(GetSubAgent.class, subAgents::onGet)
        .onCommand(SubAgentReported.class, subAgents::onReported)
        .onCommand(SettleLostSubAgents.class, (s, c) -> subAgents.onSettleLost(s))
        .onCommand(ManageBackgroundAgents.class, background::onManage)
        .onCommand(BackgroundAgentReported.class, background::onReported)
        .onCommand(ResumeBackgroundAgents.class, (s, c) -> background.onResume(s))
        .onCommand(BackgroundDelivery.class, background::onDelivery)
        .onCommand(CronTick.class, (s, c) -> cron.onTick(s))
        .onCommand(CronCheckFinished.class, cron::onCheckFinished)
        .onCommand(UpdatePlan.class, (s, c) -> Effect().persist(new PlanUpdated(c.plan()))
            .thenReply(c.replyTo(), st -> StatusReply.ack()))
        .onCommand(Wake.class, (s, c) -> Effect().none().thenRun(lifecycle::afterChange).thenNoReply())
        .onCommand(Advance.class, (s, c) -> control.advance(s))
        .onCommand(YieldForFollowUps.class, (s, c) -> control.onYieldForFollowUps(s))
        .onCommand(CancelTurn.class, control::onCancelTurn)
        .onCommand(SnapshotSaveFinished.class, (s, c) -> control.persistAndGoOn(SnapshotCommands.saved(s, c, texts)))
        .onCommand(SnapshotLoadFinished.class, (s, c) -> control.persistAndGoOn(SnapshotCommands.loaded(s, c, texts)))
        .onCommand(MountResolved.class, (s, c) -> control.persistAndGoOn(MountCommands.resolved(s, c, rt)))
        .onCommand(SnapshotsListed.class,
            (s, c) -> control.persistAndGoOn(new PendingEvents(s).tell(OutboundKind.COMMAND, c.text(), c.options())))
        .onCommand(ModelCallFinished.class, turns::onModelCallFinished)
        .onCommand(PromptPrepared.class, contextHandlers::onPromptPrepared)
        .onCommand(PromptPreparationFailed.class, contextHandlers::onPromptPreparationFailed)
        .onCommand(CompactionFinished.class, contextHandlers::onCompactionFinished)
        .onCommand(IdleCompactionDue.class, (s, c) -> contextHandlers.onIdleCompactionDue(s))
        .onCommand(ToolCallFinished.class, turns::onToolFinished)
        .onCommand(ResendOutbox.class, (s, c) -> Effect().none().thenRun(lifecycle::resendOutbox).thenNoReply())
        .onCommand(PassivateIfQuiet.class, (s, c) -> s.dormant()
            ? Effect().none().thenRun(lifecycle::passivate).thenNoReply()
            : Effect().noReply())
        .onCommand(Stop.class, (s, c) -> s.busy()
            ? Effect().none().thenRun(st -> lifecycle.stopWhenIdle()).thenNoReply()
            : Effect().stop().thenNoReply())
        .build();
  }

  private void afterChange(ConversationState s) {
    lifecycle.afterChange(s);
  }

  private Status status(ConversationState s) {
    String model = rt.models().resolve(s.settings().modelAlias()).map(ModelCatalog.Entry::alias).orElse(null);
    return new Status(s.quiet(), s.turn() != null, s.inbox().size(), s.outbox().size(), s.undeliverable(), model,
        s.turnCount(), s.workspaceId(), s.usage().promptTokens(), s.usage().completionTokens());
  }
}
