package partyclaw.actors.conversation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import partyclaw.actors.JsonSerializable;
import partyclaw.core.transcript.ChatMessage;

/**
 * The conversation's part in background work: its background agents, the broadcast topics it subscribed to, and
 * reports that arrived during a turn (they join the transcript when the turn ends, so a turn's tool calls stay
 * paired with their results).
 */
public record BackgroundState(List<BackgroundAgentRecord> agents, List<String> topics, List<ChatMessage> heldReports)
    implements JsonSerializable {

  public static final BackgroundState EMPTY = new BackgroundState(List.of(), List.of(), List.of());
  /** Finished agents whose report is delivered are forgotten beyond this many, oldest first. */
  static final int KEPT_FINISHED = 50;

  public BackgroundState {
    agents = agents == null ? List.of() : List.copyOf(agents);
    topics = topics == null ? List.of() : List.copyOf(topics);
    heldReports = heldReports == null ? List.of() : List.copyOf(heldReports);
  }

  public Optional<BackgroundAgentRecord> find(String id) {
    return agents.stream().filter(a -> a.id().equals(id)).findFirst();
  }

  /** Work that keeps the conversation awake: an agent running or a report on its way. */
  public boolean active() {
    return agents.stream().anyMatch(a -> a.running() || a.reportPending());
  }

  BackgroundState withAgent(BackgroundAgentRecord record) {
    List<BackgroundAgentRecord> next = new ArrayList<>(agents.stream().filter(a -> !a.id().equals(record.id())).toList());
    next.add(record);
    return new BackgroundState(trimmed(next), topics, heldReports);
  }

  /** {@code update} applied to agent {@code id}; unknown ids (forgotten long ago) change nothing. */
  BackgroundState updated(String id, UnaryOperator<BackgroundAgentRecord> update) {
    List<BackgroundAgentRecord> next = new ArrayList<>(agents.stream()
        .map(a -> a.id().equals(id) ? update.apply(a) : a).toList());
    return new BackgroundState(trimmed(next), topics, heldReports);
  }

  private static List<BackgroundAgentRecord> trimmed(List<BackgroundAgentRecord> agents) {
    List<BackgroundAgentRecord> settled = agents.stream().filter(a -> !a.running() && !a.reportPending()).toList();
    int excess = settled.size() - KEPT_FINISHED;
    if (excess > 0) agents.removeAll(settled.subList(0, excess));
    return agents;
  }

  BackgroundState subscribed(String topic, boolean subscribed) {
    List<String> next = new ArrayList<>(topics.stream().filter(t -> !t.equals(topic)).toList());
    if (subscribed) next.add(topic);
    return new BackgroundState(agents, next, heldReports);
  }

  BackgroundState held(ChatMessage report) {
    List<ChatMessage> next = new ArrayList<>(heldReports);
    next.add(report);
    return new BackgroundState(agents, topics, next);
  }

  BackgroundState released() {
    return heldReports.isEmpty() ? this : new BackgroundState(agents, topics, List.of());
  }
}
