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
 */
public record ConversationState(
    String workspaceId,
    List<ChatMessage> transcript,
    List<Inbound> inbox,
    Turn turn,
    List<Outbound> outbox,
    List<String> recentMessageIds,
    String modelAlias,
    long nextOutboundId,
    long turnCount,
    Usage usage) implements JsonSerializable {

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
  public record Outbound(long id, String kind, String text) implements JsonSerializable {}

  /** A tool result as recorded; {@code status} is ok, error, interrupted or lost. */
  public record RecordedResult(String toolName, String content, String status) implements JsonSerializable {}

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
  }

  public static ConversationState empty() {
    return new ConversationState(null, AppendOnlyList.empty(), List.of(), null, List.of(), List.of(), null, 1, 0, Usage.ZERO);
  }

  public boolean quiet() {
    return turn == null && inbox.isEmpty() && outbox.isEmpty();
  }

  public boolean hasSeen(String messageId) {
    return recentMessageIds.contains(messageId);
  }

  ConversationState opened(String newWorkspaceId) {
    return new ConversationState(newWorkspaceId, transcript, inbox, turn, outbox, recentMessageIds, modelAlias,
        nextOutboundId, turnCount, usage);
  }

  ConversationState accepted(Inbound in) {
    List<Inbound> nextInbox = new ArrayList<>(inbox);
    nextInbox.add(in);
    List<String> ids = new ArrayList<>(recentMessageIds);
    ids.add(in.messageId());
    if (ids.size() > RECENT_IDS) ids = ids.subList(ids.size() - RECENT_IDS, ids.size());
    return new ConversationState(workspaceId, transcript, List.copyOf(nextInbox), turn, outbox, List.copyOf(ids),
        modelAlias, nextOutboundId, turnCount, usage);
  }

  ConversationState turnStarted(String turnId, List<String> messageIds, List<ChatMessage> userMessages) {
    List<Inbound> rest = inbox.stream().filter(i -> !messageIds.contains(i.messageId())).toList();
    return new ConversationState(workspaceId, AppendOnlyList.from(transcript).appendAll(userMessages), rest,
        new Turn(turnId, 0, List.of(), Map.of(), false), outbox, recentMessageIds, modelAlias, nextOutboundId,
        turnCount, usage);
  }

  ConversationState modelReplied(ChatMessage assistant, Usage callUsage) {
    Turn next = assistant.hasToolCalls()
        ? new Turn(turn.turnId(), turn.round() + 1, assistant.toolCalls(), Map.of(), turn.nudged())
        : turn;
    return new ConversationState(workspaceId, AppendOnlyList.from(transcript).append(assistant), inbox, next, outbox,
        recentMessageIds, modelAlias, nextOutboundId, turnCount, usage.plus(callUsage));
  }

  ConversationState nudged(ChatMessage nudge) {
    Turn next = new Turn(turn.turnId(), turn.round(), turn.calls(), turn.results(), true);
    return new ConversationState(workspaceId, AppendOnlyList.from(transcript).append(nudge), inbox, next, outbox,
        recentMessageIds, modelAlias, nextOutboundId, turnCount, usage);
  }

  /** Records one result; once the whole round has results they enter the transcript in call order. */
  ConversationState toolResultRecorded(String callId, RecordedResult result) {
    Map<String, RecordedResult> results = new LinkedHashMap<>(turn.results());
    results.put(callId, result);
    boolean complete = turn.calls().stream().allMatch(c -> results.containsKey(c.id()));
    if (!complete) {
      Turn next = new Turn(turn.turnId(), turn.round(), turn.calls(), Map.copyOf(results), turn.nudged());
      return new ConversationState(workspaceId, transcript, inbox, next, outbox, recentMessageIds, modelAlias,
          nextOutboundId, turnCount, usage);
    }
    List<ChatMessage> toolMessages = turn.calls().stream()
        .map(c -> ChatMessage.toolResult(c, results.get(c.id()).content()))
        .toList();
    Turn next = new Turn(turn.turnId(), turn.round(), List.of(), Map.of(), turn.nudged());
    return new ConversationState(workspaceId, AppendOnlyList.from(transcript).appendAll(toolMessages), inbox, next,
        outbox, recentMessageIds, modelAlias, nextOutboundId, turnCount, usage);
  }

  ConversationState turnFinished() {
    return new ConversationState(workspaceId, transcript, inbox, null, outbox, recentMessageIds, modelAlias,
        nextOutboundId, turnCount + 1, usage);
  }

  ConversationState outboundQueued(Outbound out) {
    List<Outbound> next = new ArrayList<>(outbox);
    next.add(out);
    return new ConversationState(workspaceId, transcript, inbox, turn, List.copyOf(next), recentMessageIds, modelAlias,
        out.id() + 1, turnCount, usage);
  }

  ConversationState outboundDelivered(long id) {
    List<Outbound> next = outbox.stream().filter(o -> o.id() != id).toList();
    return new ConversationState(workspaceId, transcript, inbox, turn, next, recentMessageIds, modelAlias,
        nextOutboundId, turnCount, usage);
  }
}
