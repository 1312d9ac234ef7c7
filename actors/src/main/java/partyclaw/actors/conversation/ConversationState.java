package partyclaw.actors.conversation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import partyclaw.actors.JsonSerializable;
import partyclaw.actors.outbox.ReplyOption;
import partyclaw.core.cron.CronTask;
import partyclaw.core.plan.Plan;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;
import partyclaw.core.transcript.Usage;

/**
 * The state of one conversation, rebuilt purely from its events. {@code transcript} is exactly what the model
 * sees after the system prompt; every tool call in it is followed by its result.
 *
 * @param lastOutcome how the last turn ended (completed, failed, max_rounds, stopped, interrupted); /continue
 *     resumes any but completed
 * @param undeliverable outbox entries the platform refused for good; {@code lastDeliveryFailure} says why
 */
public record ConversationState(
    String workspaceId,
    List<ChatMessage> transcript,
    List<Inbound> inbox,
    Turn turn,
    List<Outbound> outbox,
    List<String> recentMessageIds,
    Settings settings,
    long nextOutboundId,
    long turnCount,
    Usage usage,
    TurnOutcome lastOutcome,
    long undeliverable,
    String lastDeliveryFailure,
    ContextState context,
    Plan plan,
    List<CronTask> cronTasks,
    List<SubAgentRecord> subAgents,
    BackgroundState background) implements JsonSerializable {

  public ConversationState {
    // Journals and snapshots written before context management have no context: it starts empty.
    context = context == null ? ContextState.EMPTY : context;
    plan = plan == null ? EMPTY_PLAN : plan;
    cronTasks = cronTasks == null ? List.of() : List.copyOf(cronTasks);
    subAgents = subAgents == null ? List.of() : List.copyOf(subAgents);
    background = background == null ? BackgroundState.EMPTY : background;
  }

  static final Plan EMPTY_PLAN = new Plan(List.of(), "");

  /** How many platform message ids are remembered at least to drop redeliveries. */
  static final int RECENT_IDS = 1000;

  /** A user message accepted (persisted) but not yet part of a turn. */
  public record Inbound(String messageId, String senderId, String senderName, String text, List<String> attachments,
      Instant acceptedAt) implements JsonSerializable {

    public Inbound {
      attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }
  }

  /** A message to the user that is queued until its channel confirms delivery. */
  public record Outbound(long id, OutboundKind kind, String text, List<ReplyOption> options)
      implements JsonSerializable {
    /** Snapshots taken before options existed have none. */
    public Outbound {
      options = options == null ? List.of() : List.copyOf(options);
    }
  }

  /** A tool result as recorded. */
  public record RecordedResult(String toolName, String content, ResultStatus status) implements JsonSerializable {}

  /** Per-conversation settings changed by commands; null means "the configured default". */
  /**
   * Per-conversation settings changed by commands; null means "the configured default". {@code compaction}: the
   * /compact_mode override; {@code sandboxMode}: the /sandbox override; {@code mounts}: the /mount folders.
   */
  public record Settings(String modelAlias, QueueMode queueMode, String reasoningEffort, Double apiTimeoutSeconds,
      Boolean compaction, String sandboxMode, List<Mount> mounts) implements JsonSerializable {
    public static final Settings DEFAULTS = new Settings(null, null, null, null, null, null, List.of());

    public Settings {
      mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    Settings with(String key, String value) {
      return switch (key) {
        case "model" -> new Settings(value, queueMode, reasoningEffort, apiTimeoutSeconds, compaction, sandboxMode,
            mounts);
        case "queue_mode" -> new Settings(modelAlias, QueueMode.parse(value).orElse(null), reasoningEffort,
            apiTimeoutSeconds, compaction, sandboxMode, mounts);
        case "reasoning_effort" -> new Settings(modelAlias, queueMode, value, apiTimeoutSeconds, compaction,
            sandboxMode, mounts);
        case "api_timeout_seconds" -> new Settings(modelAlias, queueMode, reasoningEffort,
            value == null ? null : Double.valueOf(value), compaction, sandboxMode, mounts);
        case "compaction" -> new Settings(modelAlias, queueMode, reasoningEffort, apiTimeoutSeconds,
            value == null ? null : Boolean.valueOf(value), sandboxMode, mounts);
        case "sandbox" -> new Settings(modelAlias, queueMode, reasoningEffort, apiTimeoutSeconds, compaction, value,
            mounts);
        default -> this; // a setting of a newer version: ignored, never fatal on replay
      };
    }

    /** The mounts with {@code mount} added (an existing mount of the same path is replaced) or, if null, removed. */
    Settings withMount(String path, Mount mount) {
      List<Mount> next = new ArrayList<>(mounts.stream().filter(m -> !m.path().equals(path)).toList());
      if (mount != null) next.add(mount);
      return new Settings(modelAlias, queueMode, reasoningEffort, apiTimeoutSeconds, compaction, sandboxMode, next);
    }
  }

  /** A host folder mounted into this conversation's sandbox at the same path. */
  public record Mount(String path, boolean readOnly) implements JsonSerializable {}

  /**
   * The running turn. {@code round} counts tool rounds started; {@code calls} are the current round's calls
   * (empty while the model is being asked), {@code results} those of them already finished. {@code notices} are
   * runtime notices (time tip, prompt and skill updates) for the turn's next model call only: they are sent once
   * and never enter the transcript. {@code fromUser}: started by user messages (not /continue), so prompt changes
   * are announced.
   */
  public record Turn(String turnId, int round, List<ToolCall> calls, Map<String, RecordedResult> results, boolean nudged,
      List<String> notices, boolean fromUser) implements JsonSerializable {

    public Turn {
      notices = notices == null ? List.of() : List.copyOf(notices);
    }

    public boolean awaitingModel() {
      return calls.isEmpty();
    }

    public List<ToolCall> unfinishedCalls() {
      return calls.stream().filter(c -> !results.containsKey(c.id())).toList();
    }

    Turn withCalls(int nextRound, List<ToolCall> nextCalls) {
      return new Turn(turnId, nextRound, nextCalls, Map.of(), nudged, notices, fromUser);
    }

    Turn withNotices(List<String> next) {
      return new Turn(turnId, round, calls, results, nudged, next, fromUser);
    }
  }

  public static ConversationState empty() {
    return new ConversationState(null, AppendOnlyList.empty(), List.of(), null, List.of(), List.of(),
        Settings.DEFAULTS, 1, 0, Usage.ZERO, null, 0, null, ContextState.EMPTY, EMPTY_PLAN, List.of(),
        List.of(), BackgroundState.EMPTY);
  }

  public boolean quiet() {
    return turn == null && inbox.isEmpty() && outbox.isEmpty() && context.pending() == null
        && subAgents.stream().noneMatch(SubAgentRecord::running) && !background.active();
  }

  public boolean hasSeen(String messageId) {
    return recentMessageIds.contains(messageId);
  }

  public boolean resumable() {
    return turn == null && lastOutcome != null && lastOutcome != TurnOutcome.COMPLETED;
  }

  /** The one pure fold of the conversation's events: the event handler and every prediction use it. */
  public ConversationState apply(ConversationEntity.Event event) {
    if (event instanceof ConversationEntity.ConversationOpened e) return opened(e.workspaceId());
    if (event instanceof ConversationEntity.InboundAccepted e) {
      return accepted(new Inbound(e.messageId(), e.senderId(), e.senderName(), e.text(), e.attachments(), e.at()));
    }
    if (event instanceof ConversationEntity.TurnStarted e) return turnStarted(e);
    if (event instanceof ConversationEntity.ModelReplied e) return modelReplied(e.message(), e.usage());
    if (event instanceof ConversationEntity.SystemPromptSet e) return withContext(context.promptSet(e));
    if (event instanceof ConversationEntity.PromptNoticesQueued e) return promptNoticesQueued(e);
    if (event instanceof ConversationEntity.CompactionRequested e) return withContext(context.requested(e));
    if (event instanceof ConversationEntity.ContextCompacted e) return compacted(e);
    if (event instanceof ConversationEntity.CompactionAbandoned e) return withContext(context.abandoned(e));
    if (event instanceof ConversationEntity.TurnNudged e) return nudged(e.nudge());
    if (event instanceof ConversationEntity.ToolResultRecorded e) {
      return toolResultRecorded(e.callId(), new RecordedResult(e.toolName(), e.content(), e.status()));
    }
    if (event instanceof ConversationEntity.TurnFinished e) return turnFinished(e.outcome(), e.at());
    if (event instanceof ConversationEntity.FollowUpsInjected e) return followUpsInjected(e.messageIds(), e.messages());
    if (event instanceof ConversationEntity.CommandAccepted e) return commandAccepted(e.messageId());
    if (event instanceof ConversationEntity.SettingChanged e) return settingChanged(e.key(), e.value());
    if (event instanceof ConversationEntity.PlanUpdated e) return planUpdated(e.plan());
    if (event instanceof ConversationEntity.CronTaskSaved e) return cronTaskSaved(e.task());
    if (event instanceof ConversationEntity.CronTaskRemoved e) return cronTaskRemoved(e.taskId());
    if (event instanceof ConversationEntity.SubAgentStarted e) {
      return withSubAgent(e.agentId(), new SubAgentRecord(e.agentId(), e.description(), e.model(),
          SubAgentRecord.RUNNING, null, 0, Usage.ZERO, e.at(), null));
    }
    if (event instanceof ConversationEntity.SubAgentFinished e) {
      SubAgentRecord r = subAgents.stream().filter(a -> a.id().equals(e.agentId())).findFirst().orElse(null);
      if (r == null) return this;
      return withSubAgent(e.agentId(), new SubAgentRecord(r.id(), r.description(), r.model(), e.state(), e.text(),
          e.rounds(), e.usage(), r.createdAt(), e.at()));
    }
    if (event instanceof ConversationEntity.SubAgentForgotten e) return withSubAgent(e.agentId(), null);
    if (event instanceof ConversationEntity.BackgroundAgentStarted e) {
      return withBackground(background.withAgent(BackgroundAgentRecord.started(e.agentId(), e.task(), e.model(),
          e.origin(), e.sink(), e.transcript(), e.at())));
    }
    if (event instanceof ConversationEntity.BackgroundAgentAdvanced e) {
      return withBackground(background.updated(e.agentId(), a -> a.advanced(e.appended(), e.round(), e.usage())));
    }
    if (event instanceof ConversationEntity.BackgroundAgentFinished e) {
      return withBackground(background.updated(e.agentId(),
          a -> a.finished(e.state(), e.text(), e.rounds(), e.usage(), e.at())));
    }
    if (event instanceof ConversationEntity.BackgroundReportAddressed e) {
      return withBackground(background.updated(e.agentId(), a -> a.addressed(e.conversations())));
    }
    if (event instanceof ConversationEntity.BackgroundReportDelivered e) {
      return withBackground(background.updated(e.agentId(), a -> a.delivered(e.conversationId())));
    }
    if (event instanceof ConversationEntity.AgentReportReceived e) return reportReceived(e.reportId(), e.text());
    if (event instanceof ConversationEntity.TopicSubscriptionChanged e) {
      return withBackground(background.subscribed(e.topic(), e.subscribed()));
    }
    if (event instanceof ConversationEntity.ConversationClosed) return this;
    if (event instanceof ConversationEntity.MountAdded e) return withSettings(settings.withMount(e.path(),
        new Mount(e.path(), e.readOnly())));
    if (event instanceof ConversationEntity.MountRemoved e) return withSettings(settings.withMount(e.path(), null));
    if (event instanceof ConversationEntity.QueuedMessagesParked e) return inboxParked(e.messages());
    if (event instanceof ConversationEntity.SnapshotLoaded e) {
      return opened(e.workspaceId()).snapshotLoaded(e.transcript(), e.settings());
    }
    if (event instanceof ConversationEntity.OutboundQueued e) return outboundQueued(new Outbound(e.outboundId(), e.kind(), e.text(), e.options()));
    if (event instanceof ConversationEntity.OutboundDelivered e) return outboundDelivered(e.outboundId());
    if (event instanceof ConversationEntity.OutboundUndeliverable e) return outboundUndeliverable(e.outboundId(), e.reason());
    throw new IllegalArgumentException("unknown conversation event " + event.getClass().getName());
  }

  /** The state after {@code events}, in order. */
  public ConversationState applyAll(java.util.List<? extends ConversationEntity.Event> events) {
    ConversationState s = this;
    for (ConversationEntity.Event e : events) s = s.apply(e);
    return s;
  }

  /** A turn may start or go on only when nothing stops it: no running turn, no compaction and nothing queued. */
  public boolean busy() {
    return turn != null || !inbox.isEmpty() || context.pending() != null
        || subAgents.stream().anyMatch(SubAgentRecord::running);
  }

  private Builder edit() {
    return new Builder(this);
  }

  /** Local, short-lived builder so each handler states only what it changes. */
  private static final class Builder {
    String workspaceId;
    List<ChatMessage> transcript;
    List<Inbound> inbox;
    Turn turn;
    List<Outbound> outbox;
    List<String> recentMessageIds;
    Settings settings;
    long nextOutboundId;
    long turnCount;
    Usage usage;
    TurnOutcome lastOutcome;
    long undeliverable;
    String lastDeliveryFailure;
    ContextState context;
    Plan plan;
    List<CronTask> cronTasks;
    List<SubAgentRecord> subAgents;
    BackgroundState background;

    Builder(ConversationState s) {
      workspaceId = s.workspaceId;
      transcript = s.transcript;
      inbox = s.inbox;
      turn = s.turn;
      outbox = s.outbox;
      recentMessageIds = s.recentMessageIds;
      settings = s.settings;
      nextOutboundId = s.nextOutboundId;
      turnCount = s.turnCount;
      usage = s.usage;
      lastOutcome = s.lastOutcome;
      undeliverable = s.undeliverable;
      lastDeliveryFailure = s.lastDeliveryFailure;
      context = s.context;
      plan = s.plan;
      cronTasks = s.cronTasks;
      subAgents = s.subAgents;
      background = s.background;
    }

    Builder append(List<ChatMessage> messages) {
      transcript = AppendOnlyList.from(transcript).appendAll(messages);
      return this;
    }

    ConversationState build() {
      return new ConversationState(workspaceId, transcript, inbox, turn, outbox, recentMessageIds, settings,
          nextOutboundId, turnCount, usage, lastOutcome, undeliverable, lastDeliveryFailure, context, plan,
          cronTasks, subAgents, background);
    }
  }

  private ConversationState opened(String newWorkspaceId) {
    Builder b = edit();
    b.workspaceId = newWorkspaceId;
    return b.build();
  }

  private ConversationState accepted(Inbound in) {
    Builder b = remember(in.messageId());
    List<Inbound> nextInbox = new ArrayList<>(inbox);
    nextInbox.add(in);
    b.inbox = List.copyOf(nextInbox);
    return b.build();
  }

  /** A command's message id is remembered (redeliveries are dropped) but the command never enters the transcript. */
  private ConversationState commandAccepted(String messageId) {
    return remember(messageId).build();
  }

  /**
   * Appends without copying the list each time: it holds between {@link #RECENT_IDS} and twice as many ids, and is
   * cut back to the newest {@code RECENT_IDS} (one copy) when it reaches twice as many.
   */
  private Builder remember(String messageId) {
    Builder b = edit();
    AppendOnlyList<String> ids = AppendOnlyList.from(recentMessageIds).append(messageId);
    if (ids.size() > 2 * RECENT_IDS) ids = AppendOnlyList.from(ids.subList(ids.size() - RECENT_IDS, ids.size()));
    b.recentMessageIds = ids;
    return b;
  }

  private ConversationState turnStarted(ConversationEntity.TurnStarted e) {
    Builder b = withoutInbox(e.messageIds()).append(e.userMessages());
    b.turn = new Turn(e.turnId(), 0, List.of(), Map.of(), false, e.notices(), !e.messageIds().isEmpty());
    return b.build();
  }

  private ConversationState withContext(ContextState next) {
    Builder b = edit();
    b.context = next;
    return b.build();
  }

  private ConversationState promptNoticesQueued(ConversationEntity.PromptNoticesQueued e) {
    Builder b = edit();
    b.context = context.noticed(e.notified());
    if (turn != null && turn.turnId().equals(e.turnId())) {
      List<String> notices = new ArrayList<>(turn.notices());
      notices.add(e.notice());
      b.turn = turn.withNotices(notices);
    }
    return b.build();
  }

  /**
   * The first {@code replacedCount} messages of the live context give way to the summary: only the live context
   * stays in memory (and in snapshots); the replaced messages remain in the journal and the rollout files.
   */
  private ConversationState compacted(ConversationEntity.ContextCompacted e) {
    Builder b = edit();
    int replaced = Math.min(e.replacedCount(), transcript.size());
    List<ChatMessage> live = new ArrayList<>(e.replacement().size() + transcript.size() - replaced);
    live.addAll(e.replacement());
    live.addAll(transcript.subList(replaced, transcript.size()));
    b.transcript = AppendOnlyList.from(live);
    b.context = context.compacted(e, turnCount);
    return b.build();
  }

  /** Messages that arrived during the turn enter it at a safe boundary (steer mode). */
  private ConversationState followUpsInjected(List<String> messageIds, List<ChatMessage> userMessages) {
    return withoutInbox(messageIds).append(userMessages).build();
  }

  private Builder withoutInbox(List<String> messageIds) {
    Builder b = edit();
    b.inbox = inbox.stream().filter(i -> !messageIds.contains(i.messageId())).toList();
    return b;
  }

  private ConversationState modelReplied(ChatMessage assistant, Usage callUsage) {
    Builder b = edit().append(List.of(assistant));
    // The notices reached the model with this call: they are not sent again.
    b.turn = turn.withNotices(List.of());
    if (assistant.hasToolCalls()) b.turn = b.turn.withCalls(turn.round() + 1, assistant.toolCalls());
    b.usage = usage.plus(callUsage);
    return b.build();
  }

  private ConversationState nudged(ChatMessage nudge) {
    Builder b = edit().append(List.of(nudge));
    b.turn = new Turn(turn.turnId(), turn.round(), turn.calls(), turn.results(), true, turn.notices(), turn.fromUser());
    return b.build();
  }

  /** Records one result; once the whole round has results they enter the transcript in call order. */
  private ConversationState toolResultRecorded(String callId, RecordedResult result) {
    Map<String, RecordedResult> results = new LinkedHashMap<>(turn.results());
    results.put(callId, result);
    Builder b = edit();
    if (turn.calls().stream().allMatch(c -> results.containsKey(c.id()))) {
      b.append(turn.calls().stream().map(c -> ChatMessage.toolResult(c, results.get(c.id()).content())).toList());
      b.turn = turn.withCalls(turn.round(), List.of());
    } else {
      b.turn = new Turn(turn.turnId(), turn.round(), turn.calls(), Map.copyOf(results), turn.nudged(), turn.notices(),
          turn.fromUser());
    }
    return b.build();
  }

  private ConversationState turnFinished(TurnOutcome outcome, Instant at) {
    Builder b = edit().append(background.heldReports());
    b.background = background.released();
    b.turn = null;
    if (at != null) b.context = context.agentActive(at);
    b.turnCount = turnCount + 1;
    b.lastOutcome = outcome;
    return b.build();
  }

  /** After /stop, queued messages join the transcript without starting a turn: kept, but not acted on. */
  private ConversationState inboxParked(List<ChatMessage> messages) {
    Builder b = edit().append(messages);
    b.inbox = List.of();
    return b.build();
  }

  private ConversationState outboundQueued(Outbound out) {
    List<Outbound> next = new ArrayList<>(outbox);
    next.add(out);
    Builder b = edit();
    b.outbox = List.copyOf(next);
    b.nextOutboundId = out.id() + 1;
    return b.build();
  }

  private ConversationState outboundDelivered(long id) {
    Builder b = edit();
    b.outbox = outbox.stream().filter(o -> o.id() != id).toList();
    return b.build();
  }

  private ConversationState outboundUndeliverable(long id, String reason) {
    Builder b = edit();
    b.outbox = outbox.stream().filter(o -> o.id() != id).toList();
    b.undeliverable = undeliverable + 1;
    b.lastDeliveryFailure = reason;
    return b.build();
  }

  private ConversationState settingChanged(String key, String value) {
    return withSettings(settings.with(key, value));
  }

  /** Replaces the sub-agent {@code id} with {@code record} (appended when new, removed when null). */
  private ConversationState withSubAgent(String id, SubAgentRecord record) {
    List<SubAgentRecord> next = new ArrayList<>();
    boolean replaced = false;
    for (SubAgentRecord r : subAgents) {
      if (!r.id().equals(id)) {
        next.add(r);
      } else if (record != null) {
        next.add(record);
        replaced = true;
      }
    }
    if (!replaced && record != null) next.add(record);
    Builder b = edit();
    b.subAgents = List.copyOf(next);
    return b.build();
  }

  private ConversationState withBackground(BackgroundState next) {
    Builder b = edit();
    b.background = next;
    return b.build();
  }

  /**
   * A background agent's report joins the transcript as the assistant's message (runtime.md §2.3); during a turn it
   * waits for the turn's end, so the turn's tool calls stay directly followed by their results.
   */
  private ConversationState reportReceived(String reportId, String text) {
    Builder b = remember(reportId);
    ChatMessage message = ChatMessage.assistant(text, List.of());
    if (turn == null) {
      b.append(List.of(message));
    } else {
      b.background = background.held(message);
    }
    return b.build();
  }

  /** Inserts or replaces the task with the same id, keeping the order of creation. */
  private ConversationState cronTaskSaved(CronTask task) {
    List<CronTask> next = new ArrayList<>(cronTasks);
    int at = -1;
    for (int i = 0; i < next.size(); i++) if (next.get(i).id().equals(task.id())) at = i;
    if (at >= 0) next.set(at, task); else next.add(task);
    Builder b = edit();
    b.cronTasks = List.copyOf(next);
    return b.build();
  }

  private ConversationState cronTaskRemoved(String taskId) {
    Builder b = edit();
    b.cronTasks = cronTasks.stream().filter(t -> !t.id().equals(taskId)).toList();
    return b.build();
  }

  /** Quiet, and no enabled cron task that must fire: the conversation may leave memory and the active set. */
  public boolean dormant() {
    return quiet() && cronTasks.stream().noneMatch(CronTask::enabled);
  }

  private ConversationState planUpdated(Plan next) {
    Builder b = edit();
    b.plan = next;
    return b.build();
  }

  private ConversationState withSettings(Settings next) {
    Builder b = edit();
    b.settings = next;
    return b.build();
  }

  /** /snapload: the saved transcript and settings replace the current ones; the outbox and inbox stay. */
  private ConversationState snapshotLoaded(List<ChatMessage> savedTranscript, Settings savedSettings) {
    Builder b = edit();
    List<ChatMessage> loaded = new ArrayList<>(savedTranscript);
    loaded.addAll(background.heldReports());
    b.transcript = AppendOnlyList.from(loaded);
    b.background = background.released();
    b.settings = savedSettings;
    b.context = context.promptStale();
    b.turn = null;
    b.lastOutcome = null;
    return b.build();
  }
}
