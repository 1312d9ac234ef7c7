package partyclaw.core.context;

import java.util.List;
import java.util.function.IntUnaryOperator;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;

/**
 * Where a compaction cuts the transcript (runtime.md §4.1): the head is summarised, the tail (the high-fidelity
 * zone) stays verbatim.
 */
public final class CompactionPlanner {
  private CompactionPlanner() {}

  /**
   * The index where the verbatim tail starts; the head is {@code [0, split)}.
   *
   * <p>The tail grows backwards from the end while its token sum stays within {@code tailBudget}, but always holds
   * at least the last unit (the last non-tool message and the tool results after it). It never starts at a tool
   * result, which must stay with the assistant message that made the call. Returns 0 when nothing is worth
   * compacting: an empty head, or a head of nothing but earlier compression / active-tasks messages.
   */
  public static int splitIndex(List<ChatMessage> transcript, IntUnaryOperator tokensOfMessageAt, long tailBudget) {
    int n = transcript.size();
    int lastUnit = lastNonTool(transcript, n - 1);
    if (lastUnit <= 0) return 0;
    int split = n;
    long tail = 0;
    while (split > 0) {
      long next = tail + tokensOfMessageAt.applyAsInt(split - 1);
      if (next > tailBudget) break;
      tail = next;
      split--;
    }
    split = Math.min(split, lastUnit);
    if (transcript.get(split).role() == Role.TOOL) {
      int forward = split;
      while (forward < n && transcript.get(forward).role() == Role.TOOL) forward++;
      // lastUnit is a non-tool at or after split, so forward < n always; the fallback is for safety
      split = forward < n ? forward : Math.max(0, lastNonTool(transcript, split));
    }
    return worthCompacting(transcript, split) ? split : 0;
  }

  private static int lastNonTool(List<ChatMessage> transcript, int from) {
    int i = from;
    while (i >= 0 && transcript.get(i).role() == Role.TOOL) i--;
    return i;
  }

  private static boolean worthCompacting(List<ChatMessage> transcript, int split) {
    for (int i = 0; i < split; i++) {
      ChatMessage m = transcript.get(i);
      if (!CompressionMessages.isCompression(m) && !CompressionMessages.isActiveTasks(m)) return true;
    }
    return false;
  }
}
