package partyclaw.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.core.memory.MemoryFixtures.hint;
import static partyclaw.core.memory.MemoryFixtures.rollout;
import static partyclaw.core.memory.MemoryFixtures.summary;
import static partyclaw.core.memory.MemoryFixtures.texts;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;

class ConversationMemoryReadTest {
  static final String OLD = "2024-05-01T10-00-00-aaaaaaaa";
  static final String MID = "2024-05-02T10-00-00-bbbbbbbb";
  static final String NEW = "2024-05-03T10-00-00-cccccccc";

  @TempDir Path tmp;
  ConversationMemory memory;

  @BeforeEach
  void threeRollouts() throws Exception {
    memory = new ConversationMemory(tmp.resolve("conversation_memory"));
    ToolCall deploy = new ToolCall("c1", "exec_start", "{\"cmd\":\"make deploy\"}");
    memory.writeRollout(OLD, rollout(Instant.parse("2024-05-01T10:00:00Z"),
        summary("deployed the app", List.of("deploy"), hint("Deploy", "the staging db lives on host zebra-7")),
        ChatMessage.user("deploy the app"),
        ChatMessage.assistant("starting", List.of(deploy)),
        ChatMessage.toolResult(deploy, "deploy ok PORT=8080"),
        ChatMessage.assistant("Deployed.", List.of()),
        ChatMessage.user("now check logs"),
        ChatMessage.assistant("logs are clean", List.of())));
    memory.writeRollout(MID, rollout(Instant.parse("2024-05-02T10:00:00Z"),
        summary("asked for the port", List.of("port"), hint("deploy", "app listens on 8080")),
        ChatMessage.user("what port?"),
        ChatMessage.assistant("PORT 8080 it is", List.of())));
    memory.writeRollout(NEW, rollout(Instant.parse("2024-05-03T10:00:00Z"),
        summary("moved on", List.of(), hint("Docs", "readme rewritten")),
        ChatMessage.system("the port changed"),
        ChatMessage.user("x".repeat(300) + " Port 9090 " + "y".repeat(300))));
  }

  @Test
  void memorySearchFindsAFactPresentOnlyInAConclusion() {
    JsonNode r = memory.search("ZEBRA-7", 10);
    assertEquals("ZEBRA-7", r.get("query").asText());
    assertEquals(1, r.get("matches").size());
    JsonNode m = r.get("matches").get(0);
    assertEquals(List.of("layer", "group", "preview", "keywords", "rollouts"), MemoryFixtures.fieldNames(m));
    assertEquals("memory", m.get("layer").asText());
    assertEquals("Deploy", m.get("group").asText());
    assertTrue(m.get("preview").asText().contains("the staging db lives on host zebra-7"), m.toString());
    assertEquals(List.of("deploy", "port"), texts(m.get("keywords")));
    assertEquals(List.of(OLD, MID), texts(m.get("rollouts")));
  }

  @Test
  void memorySearchPutsTheSummaryLayerFirstAndHonoursTheLimit() {
    JsonNode r = memory.search("docs", 10);
    List<String> layers = new ArrayList<>();
    r.get("matches").forEach(m -> layers.add(m.get("layer").asText() + ":" + m.path("group").asText("")));
    assertEquals(List.of("memory_summary:", "memory:Docs"), layers);
    JsonNode top = r.get("matches").get(0);
    assertEquals(List.of("layer", "preview", "recent_groups", "recent_rollouts"), MemoryFixtures.fieldNames(top));
    assertEquals(List.of("Docs", "Deploy"), texts(top.get("recent_groups")));
    assertEquals(3, top.get("recent_rollouts").size());
    assertTrue(top.get("preview").asText().length() <= 200);
    assertTrue(top.get("preview").asText().toLowerCase().contains("docs"));

    assertEquals(1, memory.search("docs", 1).get("matches").size());
    assertEquals(0, memory.search("no such thing", 10).get("matches").size());
  }

  @Test
  void withNoMemoryYetSearchesFindNothingAndCreateNothing() throws Exception {
    Path none = tmp.resolve("nobody");
    ConversationMemory empty = new ConversationMemory(none);
    assertEquals("{\"query\":\"x\",\"matches\":[]}", empty.search("x", 10).toString());
    assertEquals("{\"query\":\"x\",\"matches\":[],\"truncated\":false}", empty.rolloutSearch("x", null, null, 10).toString());
    assertFalse(Files.exists(none));
  }

  @Test
  void rolloutSearchScansNewestRolloutFirst() throws Exception {
    JsonNode r = memory.rolloutSearch("port", null, null, 10);
    assertEquals(List.of(NEW + "#1", NEW + "#2", MID + "#1", MID + "#2", OLD + "#3"), hits(r));
    assertFalse(r.get("truncated").asBoolean());
    JsonNode first = r.get("matches").get(0);
    assertEquals(Json.parse("{\"rollout_id\":\"" + NEW + "\",\"event_id\":1,\"timestamp\":\"2024-05-03T10:00:00Z\","
        + "\"kind\":\"system_message\",\"preview\":\"the port changed\"}"), first);
    String longPreview = r.get("matches").get(1).get("preview").asText();
    assertTrue(longPreview.length() <= 180, longPreview);
    assertTrue(longPreview.contains(" Port 9090 "), longPreview);
    assertTrue(longPreview.startsWith("…") && longPreview.endsWith("…"), longPreview);
  }

  @Test
  void rolloutSearchFiltersByKindAndRollout() {
    assertEquals(List.of(OLD + "#3"), hits(memory.rolloutSearch("port", null, List.of("tool_result"), 10)));
    assertEquals(List.of(NEW + "#2", MID + "#1"),
        hits(memory.rolloutSearch("port", null, List.of("user_message"), 10)));
    assertEquals(List.of(NEW + "#2", MID + "#1"), hits(memory.rolloutSearch("port", null, List.of("USER"), 10)),
        "a role name works as a filter too");
    assertEquals(List.of(MID + "#1", MID + "#2"), hits(memory.rolloutSearch("PORT", MID, null, 10)));
    assertEquals(List.of(OLD + "#2"), hits(memory.rolloutSearch("make deploy", OLD, List.of(), 10)),
        "tool call arguments are searched too");
  }

  @Test
  void rolloutSearchStopsAtTheLimitAndSaysSo() {
    JsonNode two = memory.rolloutSearch("port", null, null, 2);
    assertEquals(List.of(NEW + "#1", NEW + "#2"), hits(two));
    assertTrue(two.get("truncated").asBoolean());
    JsonNode exact = memory.rolloutSearch("port", null, null, 5);
    assertEquals(5, exact.get("matches").size());
    assertFalse(exact.get("truncated").asBoolean());
  }

  @Test
  void turnSegmentRunsFromThePrecedingUserMessageToBeforeTheNextOne() throws Exception {
    JsonNode mid = memory.rolloutRead(OLD, 3, null, 0, 0);
    assertEquals(List.of("rollout_id", "anchor_event_id", "mode", "events", "has_more_before", "has_more_after"),
        MemoryFixtures.fieldNames(mid));
    assertEquals("turn_segment", mid.get("mode").asText());
    assertEquals(3, mid.get("anchor_event_id").asLong());
    assertEquals(List.of(1L, 2L, 3L, 4L), eventIds(mid));
    assertFalse(mid.get("has_more_before").asBoolean());
    assertTrue(mid.get("has_more_after").asBoolean());
    List<String> lines = Files.readAllLines(tmp.resolve("conversation_memory/rollouts/" + OLD + "/rollout_transcript.jsonl"),
        StandardCharsets.UTF_8);
    assertEquals(Json.parse(lines.get(1)), mid.get("events").get(1), "events are returned raw");

    JsonNode last = memory.rolloutRead(OLD, 6, "turn_segment", 0, 0);
    assertEquals(List.of(5L, 6L), eventIds(last));
    assertTrue(last.get("has_more_before").asBoolean());
    assertFalse(last.get("has_more_after").asBoolean());
    assertEquals(List.of(5L, 6L), eventIds(memory.rolloutRead(OLD, 5, "turn_segment", 0, 0)));
    // no user message before the anchor: the segment starts at the first event and ends before the user message
    JsonNode head = memory.rolloutRead(NEW, 1, null, 0, 0);
    assertEquals(List.of(1L), eventIds(head));
    assertFalse(head.get("has_more_before").asBoolean());
    assertTrue(head.get("has_more_after").asBoolean());
  }

  @Test
  void windowTakesBeforeAndAfterEventsAroundTheAnchor() {
    JsonNode w = memory.rolloutRead(OLD, 3, "window", 1, 1);
    assertEquals(List.of(2L, 3L, 4L), eventIds(w));
    assertTrue(w.get("has_more_before").asBoolean());
    assertTrue(w.get("has_more_after").asBoolean());
    JsonNode start = memory.rolloutRead(OLD, 1, "window", 3, 3);
    assertEquals(List.of(1L, 2L, 3L, 4L), eventIds(start));
    assertFalse(start.get("has_more_before").asBoolean());
    assertTrue(start.get("has_more_after").asBoolean());
    JsonNode end = memory.rolloutRead(OLD, 5, "window", 3, 3);
    assertEquals(List.of(2L, 3L, 4L, 5L, 6L), eventIds(end));
    assertTrue(end.get("has_more_before").asBoolean());
    assertFalse(end.get("has_more_after").asBoolean());
  }

  @Test
  void readErrorsNameWhatWasWrong() {
    assertEquals("anchor_event_id 99 not found in rollout " + OLD,
        error(() -> memory.rolloutRead(OLD, 99, null, 3, 3)));
    assertEquals("unknown rollout: 2024-06-01T10-00-00-dddddddd",
        error(() -> memory.rolloutRead("2024-06-01T10-00-00-dddddddd", 1, null, 3, 3)));
    assertEquals("unknown rollout: 2024-06-01T10-00-00-dddddddd",
        error(() -> memory.rolloutSearch("x", "2024-06-01T10-00-00-dddddddd", null, 3)));
    assertEquals("mode must be turn_segment or window, not \"lines\"",
        error(() -> memory.rolloutRead(OLD, 1, "lines", 3, 3)));
    assertEquals("query must be a non-empty string", error(() -> memory.search("", 3)));
  }

  @Test
  void invalidRolloutIdsAreRejectedByEveryRead() throws Exception {
    // a real directory where "../x" would lead must not be reachable
    Files.createDirectories(tmp.resolve("conversation_memory/x"));
    Files.writeString(tmp.resolve("conversation_memory/x/rollout_transcript.jsonl"),
        "{\"event_id\":1,\"kind\":\"user_message\",\"content\":\"port\"}\n");
    for (String bad : new String[] {"../x", "a/b", "", OLD + "/..", "../rollouts/" + OLD}) {
      String read = error(() -> memory.rolloutRead(bad, 1, null, 3, 3));
      String search = error(() -> memory.rolloutSearch("port", bad, null, 3));
      assertTrue(read.startsWith("invalid rollout_id: \"" + bad + "\""), read);
      assertEquals(read, search);
    }
  }

  private static List<String> hits(JsonNode result) {
    List<String> out = new ArrayList<>();
    result.get("matches").forEach(m -> out.add(m.get("rollout_id").asText() + "#" + m.get("event_id").asLong()));
    return out;
  }

  private static List<Long> eventIds(JsonNode result) {
    List<Long> out = new ArrayList<>();
    result.get("events").forEach(e -> out.add(e.get("event_id").asLong()));
    return out;
  }

  private static String error(Executable call) {
    return assertThrows(IllegalArgumentException.class, call).getMessage();
  }
}
