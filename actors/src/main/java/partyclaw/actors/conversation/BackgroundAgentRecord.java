package partyclaw.actors.conversation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import partyclaw.actors.JsonSerializable;
import partyclaw.core.agents.ReportSink;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Usage;

/**
 * One background agent of the conversation as journaled. While it runs, {@code transcript} holds its task and every
 * completed round, so it resumes from there after a crash; once finished only the answer ({@code text}) is kept.
 * Its report then goes to {@code pendingTargets} (null until the sink's topics are resolved) until each confirmed.
 *
 * @param origin {@code tool} or {@code cron:<task id>}
 * @param state running, completed, failed, bounded, cancelled or terminated (silent: no report)
 */
public record BackgroundAgentRecord(String id, String task, String model, String origin, ReportSink sink,
    String state, String text, int rounds, Usage usage, List<ChatMessage> transcript, Instant createdAt,
    Instant finishedAt, List<String> pendingTargets, List<String> deliveredTo) implements JsonSerializable {

  public static final String RUNNING = "running";
  public static final String TERMINATED = "terminated";

  public BackgroundAgentRecord {
    usage = usage == null ? Usage.ZERO : usage;
    transcript = transcript == null ? List.of() : List.copyOf(transcript);
    pendingTargets = pendingTargets == null ? null : List.copyOf(pendingTargets);
    deliveredTo = deliveredTo == null ? List.of() : List.copyOf(deliveredTo);
  }

  static BackgroundAgentRecord started(String id, String task, String model, String origin, ReportSink sink,
      List<ChatMessage> transcript, Instant at) {
    return new BackgroundAgentRecord(id, task, model, origin, sink, RUNNING, null, 0, Usage.ZERO, transcript, at, null,
        null, List.of());
  }

  public boolean running() {
    return RUNNING.equals(state);
  }

  /** Finished with a report that has not reached every target yet. */
  public boolean reportPending() {
    return !running() && !TERMINATED.equals(state) && (pendingTargets == null || !pendingTargets.isEmpty());
  }

  BackgroundAgentRecord advanced(List<ChatMessage> appended, int round, Usage roundUsage) {
    List<ChatMessage> next = new ArrayList<>(transcript);
    next.addAll(appended);
    return new BackgroundAgentRecord(id, task, model, origin, sink, state, text, Math.max(rounds, round),
        usage.plus(roundUsage), next, createdAt, finishedAt, pendingTargets, deliveredTo);
  }

  /** The transcript is dropped: the answer is all a finished agent needs. Terminated agents have nobody to tell. */
  BackgroundAgentRecord finished(String endState, String answer, int totalRounds, Usage totalUsage, Instant at) {
    return new BackgroundAgentRecord(id, task, model, origin, sink, endState, answer, totalRounds, totalUsage, List.of(),
        createdAt, at, TERMINATED.equals(endState) ? List.of() : null, deliveredTo);
  }

  BackgroundAgentRecord addressed(List<String> conversations) {
    return new BackgroundAgentRecord(id, task, model, origin, sink, state, text, rounds, usage, transcript, createdAt,
        finishedAt, conversations.stream().filter(c -> !deliveredTo.contains(c)).distinct().toList(), deliveredTo);
  }

  BackgroundAgentRecord delivered(String conversationId) {
    List<String> done = new ArrayList<>(deliveredTo);
    if (!done.contains(conversationId)) done.add(conversationId);
    List<String> pending = pendingTargets == null ? null
        : pendingTargets.stream().filter(c -> !c.equals(conversationId)).toList();
    return new BackgroundAgentRecord(id, task, model, origin, sink, state, text, rounds, usage, transcript, createdAt,
        finishedAt, pending, done);
  }
}
