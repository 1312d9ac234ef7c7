package partyclaw.actors.agents;

import java.time.Instant;
import partyclaw.actors.JsonSerializable;

/**
 * A background agent's report on its way to a conversation. {@code reportId} is the same for every delivery of one
 * report, so a target that receives it twice (a retry after a crash) keeps it once. {@code topic}: the topic it came
 * through, null when the conversation was named directly.
 */
public record AgentReport(String reportId, String sourceConversation, String agentId, String task, String state,
    String text, String topic, Instant finishedAt) implements JsonSerializable {

  /** How the report reads in the target's chat and context. */
  public String render(String targetConversation) {
    String from = sourceConversation.equals(targetConversation) ? "" : " from conversation " + sourceConversation
        + (topic == null ? "" : " (topic " + topic + ")");
    String header = switch (state) {
      case "completed" -> "[Background agent " + agentId + from + " finished]";
      default -> "[Background agent " + agentId + from + " ended: " + state + "]";
    };
    return header + "\nTask: " + abbreviate(task, 200) + "\n\n" + text;
  }

  private static String abbreviate(String s, int max) {
    String oneLine = s.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
  }
}
