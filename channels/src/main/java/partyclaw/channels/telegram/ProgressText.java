package partyclaw.channels.telegram;

import java.time.Duration;
import java.util.List;
import partyclaw.actors.outbox.TurnActivity;

/**
 * The texts of a turn's progress message: one line per tool of the running batch, and the final line. In English,
 * or in Chinese as the reference writes them when {@code main_agent.language} starts with {@code zh}.
 */
public final class ProgressText {
  private static final int ARGUMENT_CHARS = 20;

  private ProgressText() {}

  public static String tools(String model, List<TurnActivity.ToolLine> tools) {
    return tools(model, tools, List.of());
  }

  /** As above, with the agent's plan below the tools. */
  public static String tools(String model, List<TurnActivity.ToolLine> tools, List<String> plan) {
    return tools(model, tools, plan, false);
  }

  /** As above; {@code chinese}: the reference's texts ({@code ⚙️ 正在执行}, {@code 🤖 模型：…}, {@code 🔧 状态：工具执行中}). */
  public static String tools(String model, List<TurnActivity.ToolLine> tools, List<String> plan, boolean chinese) {
    StringBuilder sb = new StringBuilder(chinese ? "⚙️ 正在执行" : "⚙️ Working");
    if (model != null && !model.isBlank()) {
      sb.append(chinese ? "\n🤖 模型：" : " · model ").append(model);
    }
    if (chinese) sb.append("\n🔧 状态：工具执行中");
    for (TurnActivity.ToolLine t : tools) {
      String icon = switch (t.status() == null ? "" : t.status()) {
        case "ok" -> "✅";
        case "error" -> "❌";
        default -> "⏳";
      };
      sb.append('\n').append(icon).append(' ').append(t.name());
      String arg = t.firstArgument() == null ? "" : t.firstArgument().strip().replace('\n', ' ');
      if (!arg.isEmpty()) sb.append(' ').append(shorten(arg));
    }
    if (!plan.isEmpty()) sb.append(chinese ? "\n📋 执行计划：\n" : "\n📋 Plan\n").append(String.join("\n", plan));
    return sb.toString();
  }

  /** {@code ✅ Done | ⏱ 12s} for a completed turn, {@code ❌ Failed …} otherwise; no time when unknown. */
  public static String finished(String outcome, Duration took) {
    return finished(outcome, took, false);
  }

  /** As above; {@code chinese}: {@code ✅ 完成 | ⏱ 12s} or {@code ❌ 失败：<outcome>}. */
  public static String finished(String outcome, Duration took, boolean chinese) {
    boolean ok = outcome == null || outcome.equals("completed");
    if (chinese) {
      String line = ok ? "✅ 完成" : "❌ 失败：" + outcome;
      return took == null ? line : line + " | ⏱ " + duration(took);
    }
    StringBuilder sb = new StringBuilder(ok ? "✅ Done" : "❌ Failed");
    if (!ok && !outcome.equals("failed")) sb.append(" (").append(outcome).append(')');
    if (took != null) sb.append(" | ⏱ ").append(duration(took));
    return sb.toString();
  }

  static String duration(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s < 60 ? s + "s" : (s / 60) + "m" + (s % 60) + "s";
  }

  private static String shorten(String s) {
    if (s.codePointCount(0, s.length()) <= ARGUMENT_CHARS) return s;
    return s.substring(0, s.offsetByCodePoints(0, ARGUMENT_CHARS)) + "…";
  }
}
