package partyclaw.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.core.memory.MemoryFixtures.fieldNames;
import static partyclaw.core.memory.MemoryFixtures.hint;
import static partyclaw.core.memory.MemoryFixtures.json;
import static partyclaw.core.memory.MemoryFixtures.rollout;
import static partyclaw.core.memory.MemoryFixtures.summary;
import static partyclaw.core.memory.MemoryFixtures.texts;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.core.memory.LayeredSummary.ImportantRefs;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;

class ConversationMemoryWriteTest {
  static final Instant T0 = Instant.parse("2024-05-01T12:30:00Z");

  @TempDir Path tmp;

  Path root() {
    return tmp.resolve("conversation_memory");
  }

  @Test
  void rolloutIdsAreUtcSecondsPlusEightRandomHexDigits() {
    String a = ConversationMemory.newRolloutId(Instant.parse("2024-05-01T12:30:07.987Z"));
    String b = ConversationMemory.newRolloutId(Instant.parse("2024-05-01T12:30:07.987Z"));
    assertTrue(a.matches("2024-05-01T12-30-07-[0-9a-f]{8}"), a);
    assertTrue(ConversationMemory.isValidRolloutId(a));
    assertNotEquals(a, b);
    for (String bad : new String[] {"", "../x", "a/b", "2024-05-01T12-30-07-0123ABCD", "2024-05-01T12-30-07-0123abc",
        "2024-05-01T12-30-07-0123abcd/", "../2024-05-01T12-30-07-0123abcd", "2024-05-01 12-30-07-0123abcd"}) {
      assertFalse(ConversationMemory.isValidRolloutId(bad), bad);
    }
    assertFalse(ConversationMemory.isValidRolloutId(null));
  }

  @Test
  void rolloutFilesHoldExactlyTheDocumentedFields() throws Exception {
    ToolCall call = new ToolCall("call_1", "ls", "{\"path\":\".\"}");
    LayeredSummary s = new LayeredSummary("before that, setup", "listed the files", List.of("ls", "files"),
        new ImportantRefs(List.of("/w/a.txt"), List.of("ls ."), List.of("E1"), List.of("https://x.test"), List.of("job-1")),
        List.of(hint("Files", "a.txt exists")), "open a.txt");
    String id = "2024-05-01T12-30-00-0123abcd";
    new ConversationMemory(root()).writeRollout(id, rollout(T0, s,
        ChatMessage.system("notice"),
        ChatMessage.user("list files"),
        ChatMessage.assistant("looking", List.of(call)),
        ChatMessage.toolResult(call, "a.txt"),
        ChatMessage.assistant("there is a.txt", List.of())));

    Path dir = root().resolve("rollouts").resolve(id);
    assertEquals(List.of(
        "{\"event_id\":1,\"timestamp\":\"2024-05-01T12:30:00Z\",\"kind\":\"system_message\",\"role\":\"system\","
            + "\"name\":null,\"tool_call_id\":null,\"tool_calls\":null,\"content\":\"notice\"}",
        "{\"event_id\":2,\"timestamp\":\"2024-05-01T12:30:00Z\",\"kind\":\"user_message\",\"role\":\"user\","
            + "\"name\":null,\"tool_call_id\":null,\"tool_calls\":null,\"content\":\"list files\"}",
        "{\"event_id\":3,\"timestamp\":\"2024-05-01T12:30:00Z\",\"kind\":\"assistant_message\",\"role\":\"assistant\","
            + "\"name\":null,\"tool_call_id\":null,\"tool_calls\":[{\"id\":\"call_1\",\"name\":\"ls\","
            + "\"arguments\":\"{\\\"path\\\":\\\".\\\"}\"}],\"content\":\"looking\"}",
        "{\"event_id\":4,\"timestamp\":\"2024-05-01T12:30:00Z\",\"kind\":\"tool_result\",\"role\":\"tool\","
            + "\"name\":\"ls\",\"tool_call_id\":\"call_1\",\"tool_calls\":null,\"content\":\"a.txt\"}",
        "{\"event_id\":5,\"timestamp\":\"2024-05-01T12:30:00Z\",\"kind\":\"assistant_message\",\"role\":\"assistant\","
            + "\"name\":null,\"tool_call_id\":null,\"tool_calls\":null,\"content\":\"there is a.txt\"}"),
        Files.readAllLines(dir.resolve("rollout_transcript.jsonl"), StandardCharsets.UTF_8));

    JsonNode summary = json(dir.resolve("rollout_summary.json"));
    assertEquals(List.of("rollout_id", "conversation_id", "created_at", "source_message_count", "summary",
        "old_summary", "keywords", "important_refs", "next_step"), fieldNames(summary));
    assertEquals(Json.parse("{\"rollout_id\":\"" + id + "\",\"conversation_id\":\"telegram:42\","
        + "\"created_at\":\"2024-05-01T12:30:00Z\",\"source_message_count\":5,\"summary\":\"listed the files\","
        + "\"old_summary\":\"before that, setup\",\"keywords\":[\"ls\",\"files\"],\"important_refs\":{"
        + "\"paths\":[\"/w/a.txt\"],\"commands\":[\"ls .\"],\"errors\":[\"E1\"],\"urls\":[\"https://x.test\"],"
        + "\"ids\":[\"job-1\"]},\"next_step\":\"open a.txt\"}"), summary);
    assertEquals(List.of("rollout_summary.json", "rollout_transcript.jsonl"), list(dir));
    assertEquals(List.of(id), list(root().resolve("rollouts")));
  }

  @Test
  void rewritingTheSameRolloutIdReplacesItAndMergesNothingTwice() throws Exception {
    ConversationMemory memory = new ConversationMemory(root());
    String id = "2024-05-01T12-30-00-0123abcd";
    LayeredSummary s = summary("built it", List.of("maven"), hint("Build", "uses maven", "uses maven"));
    memory.writeRollout(id, rollout(T0, s, ChatMessage.user("build"), ChatMessage.assistant("ok", List.of())));
    memory.writeRollout(id, rollout(T0, s, ChatMessage.user("build again")));

    assertEquals(Json.parse("{\"groups\":[{\"group\":\"Build\",\"conclusions\":[\"uses maven\"],"
        + "\"keywords\":[\"maven\"],\"rollouts\":[\"" + id + "\"]}]}"), json(root().resolve("MEMORY.json")));
    Path dir = root().resolve("rollouts").resolve(id);
    assertEquals(1, Files.readAllLines(dir.resolve("rollout_transcript.jsonl")).size());
    assertEquals(1, json(dir.resolve("rollout_summary.json")).get("source_message_count").asInt());
    assertEquals(List.of(id), list(root().resolve("rollouts")), "no temp or set-aside directory is left behind");
    JsonNode recent = json(root().resolve("memory_summary.json"));
    assertEquals(List.of("Build"), texts(recent.get("recent_groups")));
    assertEquals(1, recent.get("recent_rollouts").size());
  }

  @Test
  void rolloutsSharingAGroupNamedInAnotherCaseMergeIntoOneGroup() throws Exception {
    ConversationMemory memory = new ConversationMemory(root());
    String id1 = "2024-05-01T12-30-00-0000000a";
    String id2 = "2024-05-01T13-00-00-0000000b";
    memory.writeRollout(id1, rollout(T0, summary("one", List.of("maven"), hint("Build", "uses maven", "tests need -o")),
        ChatMessage.user("a")));
    memory.writeRollout(id2, rollout(T0.plusSeconds(1800),
        summary("two", List.of("Maven", "jdk"), hint("  build ", "tests need -o", " jdk 17 "), hint("", "misc fact")),
        ChatMessage.user("b")));

    assertEquals(Json.parse("{\"groups\":["
        + "{\"group\":\"Build\",\"conclusions\":[\"uses maven\",\"tests need -o\",\"jdk 17\"],"
        + "\"keywords\":[\"maven\",\"jdk\"],\"rollouts\":[\"" + id1 + "\",\"" + id2 + "\"]},"
        + "{\"group\":\"general\",\"conclusions\":[\"misc fact\"],\"keywords\":[\"Maven\",\"jdk\"],"
        + "\"rollouts\":[\"" + id2 + "\"]}]}"), json(root().resolve("MEMORY.json")));
    JsonNode recent = json(root().resolve("memory_summary.json"));
    assertEquals(List.of("recent_groups", "recent_rollouts", "updated_at"), fieldNames(recent));
    assertEquals(List.of("Build", "general"), texts(recent.get("recent_groups")));
    assertEquals(Json.parse("[{\"rollout_id\":\"" + id2 + "\",\"created_at\":\"2024-05-01T13:00:00Z\","
        + "\"summary_preview\":\"two\",\"keywords\":[\"Maven\",\"jdk\"]},{\"rollout_id\":\"" + id1 + "\","
        + "\"created_at\":\"2024-05-01T12:30:00Z\",\"summary_preview\":\"one\",\"keywords\":[\"maven\"]}]"),
        recent.get("recent_rollouts"));
    Instant.parse(recent.get("updated_at").asText());
  }

  @Test
  void memorySummaryKeepsTheTwelveMostRecentGroupsAndRollouts() throws Exception {
    ConversationMemory memory = new ConversationMemory(root());
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 14; i++) {
      String id = String.format("2024-05-01T12-%02d-00-%08x", i, i);
      ids.add(id);
      memory.writeRollout(id, rollout(T0.plusSeconds(60L * i), summary("s" + i, List.of(), hint(String.format("g%02d", i), "c" + i)),
          ChatMessage.user("m" + i)));
    }
    // touching an old group again makes it the most recent one
    String last = "2024-05-01T13-00-00-000000ff";
    memory.writeRollout(last, rollout(T0.plusSeconds(3600), summary("again", List.of(), hint("G01", "c1", "more")),
        ChatMessage.user("m15")));
    ids.add(last);

    assertEquals(14, json(root().resolve("MEMORY.json")).get("groups").size());
    JsonNode recent = json(root().resolve("memory_summary.json"));
    assertEquals(List.of("g01", "g14", "g13", "g12", "g11", "g10", "g09", "g08", "g07", "g06", "g05", "g04"),
        texts(recent.get("recent_groups")));
    List<String> rolloutIds = new ArrayList<>();
    recent.get("recent_rollouts").forEach(r -> rolloutIds.add(r.get("rollout_id").asText()));
    List<String> expected = new ArrayList<>(ids.subList(3, 15));
    Collections.reverse(expected);
    assertEquals(expected, rolloutIds);
  }

  @Test
  void aCorruptMemoryFileIsSetAsideAndTheNewRolloutStillLands() throws Exception {
    Files.createDirectories(root());
    String torn = "{\"groups\":[{\"group\":\"Old\",\"conclusions\":[\"half";
    Files.writeString(root().resolve("MEMORY.json"), torn);
    Files.writeString(root().resolve("memory_summary.json"), "{\"recent_gro");
    String id = "2024-05-01T12-30-00-0123abcd";
    new ConversationMemory(root()).writeRollout(id,
        rollout(T0, summary("new", List.of("k"), hint("New", "fresh fact")), ChatMessage.user("hi")));

    assertEquals(Json.parse("{\"groups\":[{\"group\":\"New\",\"conclusions\":[\"fresh fact\"],\"keywords\":[\"k\"],"
        + "\"rollouts\":[\"" + id + "\"]}]}"), json(root().resolve("MEMORY.json")));
    List<Path> aside;
    try (Stream<Path> s = Files.list(root())) {
      aside = s.filter(p -> p.getFileName().toString().startsWith("MEMORY.json.corrupt-")).toList();
    }
    assertEquals(1, aside.size());
    assertTrue(aside.get(0).getFileName().toString().matches("MEMORY\\.json\\.corrupt-\\d{8}T\\d{9}Z"), aside.toString());
    assertEquals(torn, Files.readString(aside.get(0)));
    assertEquals(List.of("New"), texts(json(root().resolve("memory_summary.json")).get("recent_groups")));
    assertTrue(Files.isDirectory(root().resolve("rollouts").resolve(id)));
  }

  @Test
  void aMemoryFileOfTheWrongShapeIsSetAsideToo() throws Exception {
    Files.createDirectories(root());
    Files.writeString(root().resolve("MEMORY.json"), "{\"groups\":[{\"group\":\"X\",\"conclusions\":\"not a list\"}]}");
    new ConversationMemory(root()).writeRollout("2024-05-01T12-30-00-0123abcd",
        rollout(T0, summary("new", List.of(), hint("New", "fact")), ChatMessage.user("hi")));
    JsonNode groups = json(root().resolve("MEMORY.json")).get("groups");
    assertEquals(1, groups.size());
    assertEquals("New", groups.get(0).get("group").asText());
    try (Stream<Path> s = Files.list(root())) {
      assertEquals(1, s.filter(p -> p.getFileName().toString().startsWith("MEMORY.json.corrupt-")).count());
    }
  }

  @Test
  void writingRejectsAnInvalidRolloutIdBeforeTouchingTheDisk() {
    ConversationMemory memory = new ConversationMemory(root());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> memory.writeRollout("../x",
        rollout(T0, summary("s", List.of()), ChatMessage.user("hi"))));
    assertTrue(e.getMessage().startsWith("invalid rollout_id: \"../x\""), e.getMessage());
    assertFalse(Files.exists(root()));
  }

  private static List<String> list(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
