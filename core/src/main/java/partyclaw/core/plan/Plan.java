package partyclaw.core.plan;

import java.util.List;
import java.util.Locale;

/**
 * The agent's plan as {@code update_plan} last set it (tools.md §4.3): at most 7 steps, each with its status, and an
 * optional explanation. Shown in the progress message and in /status.
 */
public record Plan(List<Step> steps, String explanation) {
  public static final int MAX_STEPS = 7;
  public static final int MAX_STEP_CHARS = 80;
  public static final int MAX_EXPLANATION_CHARS = 240;
  public static final List<String> STATUSES = List.of("pending", "in_progress", "completed");

  public Plan {
    steps = steps == null ? List.of() : List.copyOf(steps);
    explanation = explanation == null ? "" : explanation;
  }

  public record Step(String step, String status) {}

  /** One line per step with a status mark, after the explanation: for /status and progress messages. */
  public List<String> lines() {
    return steps.stream().map(s -> mark(s.status()) + " " + s.step()).toList();
  }

  private static String mark(String status) {
    return switch (status.toLowerCase(Locale.ROOT)) {
      case "completed" -> "✅";
      case "in_progress" -> "▶️";
      default -> "▫️";
    };
  }
}
