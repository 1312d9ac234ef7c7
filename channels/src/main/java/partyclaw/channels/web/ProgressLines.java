package partyclaw.channels.web;

import partyclaw.actors.outbox.TurnActivity;

/** The text of a {@code progress} event: what the turn is doing, in a few plain lines. */
final class ProgressLines {
  private ProgressLines() {}

  static String of(TurnActivity a) {
    StringBuilder b = new StringBuilder();
    switch (a.phase()) {
      case STARTED -> b.append("Working…");
      case THINKING -> b.append("Thinking…").append(a.model() == null ? "" : " (model " + a.model() + ")");
      case TOOLS -> {
        b.append("Running tools:");
        for (TurnActivity.ToolLine t : a.tools()) {
          String mark = switch (t.status()) {
            case "ok" -> "✅";
            case "error" -> "❌";
            default -> "⏳";
          };
          b.append('\n').append(mark).append(' ').append(t.name());
          if (t.firstArgument() != null && !t.firstArgument().isBlank()) {
            String arg = t.firstArgument().strip();
            b.append(' ').append(arg.length() > 40 ? arg.substring(0, 39) + "…" : arg);
          }
        }
      }
      case FINISHED -> b.append("completed".equals(a.outcome()) ? "Done" : "Ended: " + a.outcome());
    }
    if (!a.plan().isEmpty() && a.phase() != TurnActivity.Phase.FINISHED) {
      b.append("\nPlan:");
      a.plan().forEach(line -> b.append('\n').append(line));
    }
    return b.toString();
  }
}
