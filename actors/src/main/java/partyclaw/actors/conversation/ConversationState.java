package partyclaw.actors.conversation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import partyclaw.actors.JsonSerializable;
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
    String lastDeliveryFailure) implements JsonSerializable {

  /** How many platform message ids are remembered to drop redeliveries. */
  static final int RECENT_IDS = 1000;

  /** A user message accepted (persisted) but not yet part of a turn. */
  public record Inbound(String messageId, String senderId, String senderName, String text, List<String> attachments,
      Instant acceptedAt) implements JsonSerializable {

    public Inbound {
      attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }
  }

  /** A message to the user that is queued until its channel confirms delivery. */
  public record Outbound(long id, OutboundKind kind, String text) implements JsonSerializable {}

  /** A tool result as recorded. */
  public record RecordedResult(String toolName, String content, ResultStatus status) implements JsonSerializable {}

  /** Per-conversation settings changed by commands; null means "the configured default". */
  public record Settings(String modelAlias, QueueMode queueMode, String reasoningEffort, Double apiTimeoutSeconds)
      implements JsonSerializable {
    public static final Settings DEFAULTS = new Settings(null, null, null, null);

    Settings with(String key, String value) {
      return switch (key) {
        case "model" -> new Settings(value, queueMode, reasoningEffort, apiTimeoutSeconds);
        case "queue_mode" -> new Settings(modelAlias, QueueMode.parse(value).orElse(null), reasoningEffort,
            apiTimeoutSeconds);
        case "reasoning_effort" -> new Settings(modelAlias, queueMode, value, apiTimeoutSeconds);
        case "api_timeout_seconds" ->
            new Settings(modelAlias, queueMode, reasoningEffort, value == null ? null : Double.valueOf(value));
        default -> this; // a setting of a newer version: ignored, never fatal on replay
      };
    }
  }

  /**
   * The running turn. {@code round} counts tool rounds started; {@code calls} are the current round's calls
   * (empty while the model is being asked), {@code results} those of them already finished.
   */
  public record Turn(String turnId, int round, List<ToolCall> calls, Map<String, RecordedResult> results, boolean nudged)
      implements JsonSerializable {

    public boolean awaitingModel() {
      return calls.isEmpty();
    }

    public List<ToolCall> unfinishedCalls() {
      return calls.stream().filter(c -> !results.containsKey(c.id())).toList();
    }

    Turn withCalls(int nextRound, List<ToolCall> nextCalls) {
      return new Turn(turnId, nextRound, nextCalls, Map.of(), nudged);
    }
  }

  public static ConversationState empty() {
    return new ConversationState(null, AppendOnlyList.empty(), List.of(), null, List.of(), List.of(),
        Settings.DEFAULTS, 1, 0, Usage.ZERO, null, 0, null);
  }

  public boolean quiet() {
    return turn == null && inbox.isEmpty() && outbox.isEmpty();
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
    if (event instanceof ConversationEntity.TurnStarted e) return turnStarted(e.turnId(), e.messageIds(), e.userMessages());
    if (event instanceof ConversationEntity.ModelReplied e) return modelReplied(e.message(), e.usage());
    if (event instanceof ConversationEntity.TurnNudged e) return nudged(e.nudge());
    if (event instanceof ConversationEntity.ToolResultRecorded e) {
      return toolResultRecorded(e.callId(), new RecordedResult(e.toolName(), e.content(), e.status()));
    }
    if (event instanceof ConversationEntity.TurnFinished e) return turnFinished(e.outcome());
    if (event instanceof ConversationEntity.FollowUpsInjected e) return followUpsInjected(e.messageIds(), e.messages());
    if (event instanceof ConversationEntity.CommandAccepted e) return commandAccepted(e.messageId());
    if (event instanceof ConversationEntity.SettingChanged e) return settingChanged(e.key(), e.value());
    if (event instanceof ConversationEntity.QueuedMessagesParked e) return inboxParked(e.messages());
    if (event instanceof ConversationEntity.SnapshotLoaded e) {
      return opened(e.workspaceId()).snapshotLoaded(e.transcript(), e.settings());
    }
    if (event instanceof ConversationEntity.OutboundQueued e) return outboundQueued(new Outbound(e.outboundId(), e.kind(), e.text()));
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

  /** A turn may start or go on only when nothing stops it: no running turn and nothing queued means quiet. */
  public boolean busy() {
    return turn != null || !inbox.isEmpty();
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
    }

    Builder append(List<ChatMessage> messages) {
      transcript = AppendOnlyList.from(transcript).appendAll(messages);
      return this;
    }

    ConversationState build() {
      return new ConversationState(workspaceId, transcript, inbox, turn, outbox, recentMessageIds, settings,
          nextOutboundId, turnCount, usage, lastOutcome, undeliverable, lastDeliveryFailure);
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

  private Builder remember(String messageId) {
    Builder b = edit();
    List<String> ids = new ArrayList<>(recentMessageIds);
    ids.add(messageId);
    if (ids.size() > RECENT_IDS) ids = ids.subList(ids.size() - RECENT_IDS, ids.size());
    b.recentMessageIds = List.copyOf(ids);
    return b;
  }

  private ConversationState turnStarted(String turnId, List<String> messageIds, List<ChatMessage> userMessages) {
    Builder b = withoutInbox(messageIds).append(userMessages);
    b.turn = new Turn(turnId, 0, List.of(), Map.of(), false);
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
    if (assistant.hasToolCalls()) b.turn = turn.withCalls(turn.round() + 1, assistant.toolCalls());
    b.usage = usage.plus(callUsage);
    return b.build();
  }

  private ConversationState nudged(ChatMessage nudge) {
    Builder b = edit().append(List.of(nudge));
    b.turn = new Turn(turn.turnId(), turn.round(), turn.calls(), turn.results(), true);
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
      b.turn = new Turn(turn.turnId(), turn.round(), turn.calls(), Map.copyOf(results), turn.nudged());
    }
    return b.build();
  }

  private ConversationState turnFinished(TurnOutcome outcome) {
    Builder b = edit();
    b.turn = null;
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
    Builder b = edit();
    b.settings = settings.with(key, value);
    return b.build();
  }

  /** /snapload: the saved transcript and settings replace the current ones; the outbox and inbox stay. */
  private ConversationState snapshotLoaded(List<ChatMessage> savedTranscript, Settings savedSettings) {
    Builder b = edit();
    b.transcript = AppendOnlyList.from(new ArrayList<>(savedTranscript));
    b.settings = savedSettings;
    b.turn = null;
    b.lastOutcome = null;
    return b.build();
  }
}
