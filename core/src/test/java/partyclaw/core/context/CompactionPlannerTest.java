package partyclaw.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import partyclaw.core.memory.LayeredSummary;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;
import partyclaw.core.transcript.ToolCall;

class CompactionPlannerTest {
  private static final ChatMessage COMPRESSION = CompressionMessages.layered(
      new LayeredSummary("", "- earlier work", null, null, null, ""));
  private static final ChatMessage ACTIVE = CompressionMessages.activeRuntimeTasks(List.of("exec e1")).orElseThrow();

  private static int split(List<ChatMessage> transcript, int tokensEach, long budget) {
    return CompactionPlanner.splitIndex(transcript, i -> tokensEach, budget);
  }

  private static ToolCall call(String id) {
    return new ToolCall(id, "exec_wait", "{}");
  }

  @Test
  void shortTranscriptsHaveNothingToCompact() {
    assertEquals(0, split(List.of(), 10, 0));
    assertEquals(0, split(List.of(ChatMessage.user("hi")), 10, 0));
    assertEquals(0, split(List.of(ChatMessage.user("hi"), ChatMessage.assistant("hello", List.of())), 10, 100));
    ToolCall c = call("c1");
    // the assistant and its result are one unit, so the tail is everything
    assertEquals(0, split(List.of(ChatMessage.assistant("", List.of(c)), ChatMessage.toolResult(c, "r")), 10, 0));
  }

  @Test
  void theTailGrowsWithinTheBudget() {
    List<ChatMessage> t = List.of(ChatMessage.user("a"), ChatMessage.assistant("b", List.of()),
        ChatMessage.user("c"), ChatMessage.assistant("d", List.of()), ChatMessage.user("e"));
    assertEquals(3, split(t, 10, 25));
    assertEquals(2, split(t, 10, 30));
    assertEquals(4, split(t, 10, 9));
  }

  @Test
  void theLastUnitStaysWholeEvenOverBudget() {
    ToolCall a = call("a");
    ToolCall b = call("b");
    List<ChatMessage> t = List.of(ChatMessage.user("go"), ChatMessage.assistant("", List.of(a, b)),
        ChatMessage.toolResult(a, "ra"), ChatMessage.toolResult(b, "rb"));
    assertEquals(1, split(t, 10, 0));
    assertEquals(1, split(t, 10, 25));
  }

  @Test
  void aBoundaryOnAToolResultMovesForwardToTheNextMessage() {
    ToolCall a = call("a");
    ToolCall b = call("b");
    List<ChatMessage> t = List.of(ChatMessage.user("go"), ChatMessage.assistant("", List.of(a, b)),
        ChatMessage.toolResult(a, "ra"), ChatMessage.toolResult(b, "rb"), ChatMessage.assistant("done", List.of()));
    assertEquals(4, split(t, 10, 25));
    assertEquals(1, split(t, 10, 45));
  }

  @Test
  void aHeadOfOnlyEarlierCompressionIsNotWorthCompacting() {
    List<ChatMessage> t = List.of(COMPRESSION, ACTIVE, ChatMessage.user("a"), ChatMessage.assistant("b", List.of()));
    assertEquals(0, split(t, 10, 20));
    assertEquals(3, split(t, 10, 0));
    List<ChatMessage> more = List.of(COMPRESSION, ChatMessage.user("a"), ChatMessage.assistant("b", List.of()),
        ChatMessage.user("c"));
    assertEquals(3, split(more, 10, 10));
    // a user message that merely quotes the marker is real history
    List<ChatMessage> quoted = List.of(ChatMessage.user(CompressionMessages.MARKER + " what is this?"),
        ChatMessage.assistant("b", List.of()));
    assertEquals(1, split(quoted, 10, 10));
  }

  @Test
  void randomTranscriptsNeverSplitAToolResultFromItsCall() {
    Random random = new Random(20240917L);
    int compacted = 0;
    for (int round = 0; round < 2_000; round++) {
      List<ChatMessage> t = randomTranscript(random);
      int[] tokens = new int[t.size()];
      for (int i = 0; i < tokens.length; i++) tokens[i] = 1 + random.nextInt(400);
      long budget = random.nextInt(3_000);
      int split = CompactionPlanner.splitIndex(t, i -> tokens[i], budget);
      String where = "round " + round + " split " + split + " budget " + budget;

      int lastUnit = t.size() - 1;
      while (t.get(lastUnit).role() == Role.TOOL) lastUnit--;
      int leadingCompression = CompressionMessages.isCompression(t.get(0)) ? 1 : 0;
      long fromLeading = 0;
      for (int i = leadingCompression; i < t.size(); i++) fromLeading += tokens[i];
      boolean nothingToDo = lastUnit <= leadingCompression || fromLeading <= budget;
      assertEquals(nothingToDo, split == 0, where);
      if (split == 0) continue;
      compacted++;

      assertNotEquals(Role.TOOL, t.get(split).role(), where);
      assertTrue(split <= lastUnit, where);
      long tail = 0;
      for (int i = split; i < t.size(); i++) tail += tokens[i];
      assertTrue(tail <= budget || split == lastUnit, where + " tail " + tail);
      // every tool result in the tail has its calling assistant message in the tail too
      for (int i = split; i < t.size(); i++) {
        if (t.get(i).role() != Role.TOOL) continue;
        String id = t.get(i).toolCallId();
        int caller = i;
        while (!t.get(caller).toolCalls().stream().anyMatch(c -> c.id().equals(id))) caller--;
        assertTrue(caller >= split, where + " result " + i);
      }
    }
    assertTrue(compacted > 1_000, "compacted " + compacted);
  }

  private static List<ChatMessage> randomTranscript(Random random) {
    List<ChatMessage> t = new ArrayList<>();
    if (random.nextInt(3) == 0) t.add(COMPRESSION);
    t.add(ChatMessage.user("start"));
    int units = random.nextInt(12);
    int callId = 0;
    for (int u = 0; u < units; u++) {
      switch (random.nextInt(4)) {
        case 0 -> t.add(ChatMessage.user("u" + u));
        case 1 -> t.add(ChatMessage.assistant("a" + u, List.of()));
        default -> {
          List<ToolCall> calls = new ArrayList<>();
          for (int k = 0, n = 1 + random.nextInt(3); k < n; k++) calls.add(call("c" + callId++));
          t.add(ChatMessage.assistant(random.nextBoolean() ? "" : "working", calls));
          for (ToolCall c : calls) t.add(ChatMessage.toolResult(c, "result " + c.id()));
        }
      }
    }
    return t;
  }
}
