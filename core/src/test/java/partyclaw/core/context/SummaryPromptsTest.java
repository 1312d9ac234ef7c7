package partyclaw.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import partyclaw.core.memory.LayeredSummary;
import partyclaw.core.tokens.TokenEstimator;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;
import partyclaw.core.transcript.ToolCall;

class SummaryPromptsTest {
  private static final TokenEstimator EST = TokenEstimator.forModel("gpt-4o");
  private static final Pattern CUT = Pattern.compile("(?s)(.*)…\\[(\\d+) chars omitted for the summary\\]…(.*)");

  @Test
  void theTranscriptIsRenderedAsLabelledBlocks() {
    ToolCall call = new ToolCall("c1", "exec_start", "{\"command\":\"ls\"}");
    ChatMessage compression = CompressionMessages.layered(new LayeredSummary("", "- before", null, null, null, ""));
    List<ChatMessage> messages = List.of(compression, ChatMessage.system("time hint"), ChatMessage.user("list files"),
        ChatMessage.assistant("", List.of(call)), ChatMessage.toolResult(call, "a.txt\nb.txt"),
        ChatMessage.assistant("Two files.", List.of(new ToolCall("c2", "user_tell", "{}"))));
    assertEquals("""
        [assistant]
        [AgentFrame Context Compression]

        ## New Summary
        - before

        [system]
        time hint

        [user]
        list files

        [assistant]
        [tool call: exec_start id=c1] {"command":"ls"}

        [tool result: exec_start id=c1]
        a.txt
        b.txt

        [assistant]
        Two files.
        [tool call: user_tell id=c2] {}""", SummaryPrompts.renderTranscript(messages));
  }

  @Test
  void aRequestIsTheInstructionThenThePriorSummaryAndTheChunk() {
    List<ChatMessage> chunk = List.of(ChatMessage.user("hi"), ChatMessage.assistant("hello", List.of()));
    List<ChatMessage> first = SummaryPrompts.request(MemoryMode.LAYERED, null, chunk);
    assertEquals(List.of(Role.SYSTEM, Role.USER), first.stream().map(ChatMessage::role).toList());
    assertEquals("Transcript to summarise:\n[user]\nhi\n\n[assistant]\nhello", first.get(1).content());
    List<ChatMessage> next = SummaryPrompts.request(MemoryMode.LAYERED, " - chunk one \n", chunk);
    assertEquals("Summary of the earlier part:\n- chunk one\n\nTranscript to summarise:\n[user]\nhi\n\n"
        + "[assistant]\nhello", next.get(1).content());
    assertEquals(List.of(), next.get(0).toolCalls());
  }

  @Test
  void theLayeredInstructionAsksForExactlyTheKeysAndTheRules() {
    String layered = SummaryPrompts.request(MemoryMode.LAYERED, null, List.of()).get(0).content();
    for (String key : List.of("\"old_summary\"", "\"new_summary\"", "\"keywords\"", "\"important_refs\"",
        "\"paths\"", "\"commands\"", "\"errors\"", "\"urls\"", "\"ids\"", "\"memory_hints\"", "\"group\"",
        "\"conclusions\"", "\"next_step\"", "[AgentFrame Context Compression]", "Redact secrets",
        "Never invent", "IDENTITY.md", "markdown bullets", "JSON object only")) {
      assertTrue(layered.contains(key), key);
    }
    assertFalse(layered.contains("%s"));
    assertFalse(layered.contains("PARTCLAW.md"));
    String claude = SummaryPrompts.request(MemoryMode.CLAUDE_CODE, null, List.of()).get(0).content();
    for (String key : List.of("plain-text continuation summary", "PARTCLAW.md", "Redact secrets",
        "exact id", "Never drop or paraphrase an id")) {
      assertTrue(claude.contains(key), key);
    }
    assertFalse(claude.contains("\"new_summary\""));
  }

  @Test
  void memoryModeParsesTheConfigValue() {
    assertEquals(MemoryMode.LAYERED, MemoryMode.parse("layered"));
    assertEquals(MemoryMode.CLAUDE_CODE, MemoryMode.parse("claude_code"));
    assertEquals(MemoryMode.CLAUDE_CODE, MemoryMode.parse(" Claude_Code "));
    assertEquals(MemoryMode.LAYERED, MemoryMode.parse(null));
    assertEquals(MemoryMode.LAYERED, MemoryMode.parse("something"));
  }

  @Test
  void chunksCoverTheHeadInOrderEachWithinTheLimit() {
    Random random = new Random(99);
    List<ChatMessage> head = new ArrayList<>();
    String hugeArgs = "{\"content\":\"" + words(random, 60_000) + "\"}";
    for (int i = 0; i < 80; i++) {
      ToolCall call = new ToolCall("c" + i, "write_file", i == 40 ? hugeArgs : "{\"path\":\"f" + i + "\"}");
      head.add(ChatMessage.user("request " + i + ": " + words(random, random.nextInt(2_000))));
      head.add(ChatMessage.assistant(words(random, random.nextInt(300)), List.of(call)));
      head.add(ChatMessage.toolResult(call, i == 10 ? "😀" + words(random, 200_000) + "😀" : "ok " + i));
    }
    long limit = 2_000;
    List<List<ChatMessage>> chunks = SummaryPrompts.chunks(head, EST, limit);

    List<ChatMessage> flat = new ArrayList<>();
    for (List<ChatMessage> chunk : chunks) {
      assertFalse(chunk.isEmpty());
      int tokens = EST.textTokens(SummaryPrompts.renderTranscript(chunk));
      assertTrue(tokens <= limit, "chunk of " + tokens);
      flat.addAll(chunk);
    }
    assertEquals(head.size(), flat.size());
    int cut = 0;
    for (int i = 0; i < head.size(); i++) {
      ChatMessage original = head.get(i);
      ChatMessage sent = flat.get(i);
      if (original.equals(sent)) continue;
      cut++;
      assertEquals(original.role(), sent.role());
      assertEquals(original.toolCallId(), sent.toolCallId());
      assertEquals(original.name(), sent.name());
      assertEquals(original.toolCalls().size(), sent.toolCalls().size());
      assertCutFrom(original.content(), sent.content());
      for (int k = 0; k < original.toolCalls().size(); k++) {
        assertEquals(original.toolCalls().get(k).id(), sent.toolCalls().get(k).id());
        assertCutFrom(original.toolCalls().get(k).arguments(), sent.toolCalls().get(k).arguments());
      }
    }
    assertEquals(2, cut);
    assertTrue(chunks.size() > 10, "chunks " + chunks.size());
  }

  @Test
  void aMessageWithHundredsOfCallsKeepsTheFirstOnes() {
    List<ToolCall> calls = new ArrayList<>();
    for (int i = 0; i < 300; i++) calls.add(new ToolCall("call_" + i, "read_file", "{\"path\":\"f" + i + "\"}"));
    List<List<ChatMessage>> chunks = SummaryPrompts.chunks(List.of(ChatMessage.assistant("reading", calls)), EST,
        200);
    assertEquals(1, chunks.size());
    ChatMessage sent = chunks.get(0).get(0);
    assertTrue(EST.textTokens(SummaryPrompts.renderTranscript(chunks.get(0))) <= 200);
    int kept = sent.toolCalls().size();
    assertTrue(kept > 0 && kept < 300, "kept " + kept);
    assertEquals(calls.subList(0, kept), sent.toolCalls());
    assertEquals("reading…[" + (300 - kept) + " tool calls omitted for the summary]…", sent.content());
  }

  @Test
  void anEmptyHeadHasNoChunksAndATinyLimitIsRefused() {
    assertEquals(List.of(), SummaryPrompts.chunks(List.of(), EST, 1_000));
    assertThrows(IllegalArgumentException.class, () -> SummaryPrompts.chunks(List.of(), EST, 10));
  }

  private static void assertCutFrom(String original, String sent) {
    if (original.equals(sent)) return;
    Matcher m = CUT.matcher(sent);
    assertTrue(m.matches(), sent.length() > 200 ? sent.substring(0, 200) : sent);
    String head = m.group(1);
    String tail = m.group(3);
    assertTrue(original.startsWith(head));
    assertTrue(original.endsWith(tail));
    assertEquals(original.length(), head.length() + Integer.parseInt(m.group(2)) + tail.length());
    assertTrue(head.length() > 100 && tail.length() > 100, head.length() + "/" + tail.length());
  }

  private static String words(Random random, int chars) {
    StringBuilder out = new StringBuilder(chars + 16);
    while (out.length() < chars) out.append("w").append(random.nextInt(10_000)).append(' ');
    return out.toString();
  }
}
