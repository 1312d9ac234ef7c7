package partyclaw.core.context;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import partyclaw.core.memory.LayeredSummary;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;

/**
 * The messages a compaction puts in place of the history it replaces (runtime.md §4.1 "Result"): an assistant
 * message carrying the summary, then optionally a system message listing the runtime tasks still running.
 */
public final class CompressionMessages {
  public static final String MARKER = "[AgentFrame Context Compression]";
  public static final String ACTIVE_TASKS_MARKER = "[Active Runtime Tasks]";

  static final String CLAUDE_CODE_PREFACE =
      "This session continues from an earlier conversation that ran out of context. Summary of it:";
  static final String ACTIVE_TASKS_INSTRUCTION = "These tasks are still running from before the compaction. "
      + "Reuse their ids (wait on, poll, read or stop them) instead of starting the same work again.";

  /** Keep the keyword/ref lines short: the full lists live in the rollout files. */
  static final int MAX_KEYWORDS = 12;
  static final int MAX_REFS = 12;
  static final int MAX_ITEM_CHARS = 160;

  private CompressionMessages() {}

  public static ChatMessage layered(LayeredSummary s) {
    List<String> parts = new ArrayList<>();
    parts.add(MARKER);
    section(parts, "## Old Summary", s.oldSummary());
    section(parts, "## New Summary", s.newSummary());
    section(parts, "## Next Step", s.nextStep());
    line(parts, "Keywords: ", join(s.keywords(), MAX_KEYWORDS));
    line(parts, "Important refs: ", join(refs(s.importantRefs()), MAX_REFS));
    return ChatMessage.assistant(String.join("\n\n", parts), List.of());
  }

  public static ChatMessage claudeCode(String text) {
    return ChatMessage.assistant(MARKER + "\n" + CLAUDE_CODE_PREFACE + "\n\n" + text.strip(), List.of());
  }

  /** One line per running task (exec, download, sub-agent…); nothing running → no message. */
  public static Optional<ChatMessage> activeRuntimeTasks(List<String> taskLines) {
    if (taskLines == null || taskLines.isEmpty()) return Optional.empty();
    StringBuilder text = new StringBuilder(ACTIVE_TASKS_MARKER).append('\n');
    for (String line : taskLines) text.append("- ").append(line.strip()).append('\n');
    text.append(ACTIVE_TASKS_INSTRUCTION);
    return Optional.of(ChatMessage.system(text.toString()));
  }

  public static boolean isCompression(ChatMessage m) {
    return m.role() == Role.ASSISTANT && startsWith(m, MARKER);
  }

  public static boolean isActiveTasks(ChatMessage m) {
    return m.role() == Role.SYSTEM && startsWith(m, ACTIVE_TASKS_MARKER);
  }

  private static boolean startsWith(ChatMessage m, String marker) {
    return m.content() != null && m.content().startsWith(marker);
  }

  private static void section(List<String> parts, String title, String body) {
    if (body != null && !body.isBlank()) parts.add(title + "\n" + body.strip());
  }

  private static void line(List<String> parts, String label, String items) {
    if (!items.isEmpty()) parts.add(label + items);
  }

  private static List<String> refs(LayeredSummary.ImportantRefs r) {
    List<String> all = new ArrayList<>();
    all.addAll(r.paths());
    all.addAll(r.ids());
    all.addAll(r.urls());
    all.addAll(r.commands());
    all.addAll(r.errors());
    return all;
  }

  private static String join(List<String> items, int max) {
    List<String> shown = new ArrayList<>();
    for (String item : items) {
      if (item == null || item.isBlank()) continue;
      if (shown.size() == max) {
        shown.add("…");
        break;
      }
      String text = item.strip();
      shown.add(text.length() > MAX_ITEM_CHARS ? TextCuts.head(text, MAX_ITEM_CHARS) + "…" : text);
    }
    return String.join(", ", shown);
  }
}
