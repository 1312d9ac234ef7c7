package partyclaw.tools.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.core.memory.ConversationMemory;
import partyclaw.core.memory.LayeredSummary;
import partyclaw.core.memory.LayeredSummary.MemoryHint;
import partyclaw.core.memory.Rollout;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolMode;
import partyclaw.core.tool.ToolResult;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;
import partyclaw.core.workdir.Workdir;
import partyclaw.tools.testing.TestToolContext;

class MemoryToolsTest {
  static final String FIRST = "2024-05-01T10-00-00-aaaaaaaa";
  static final String SECOND = "2024-05-02T10-00-00-bbbbbbbb";

  @TempDir Path workspace;
  @TempDir Path workdir;
  TestToolContext ctx;
  final MemorySearchTool memorySearch = new MemorySearchTool();
  final RolloutSearchTool rolloutSearch = new RolloutSearchTool();
  final RolloutReadTool rolloutRead = new RolloutReadTool();

  @BeforeEach
  void setUp() {
    ctx = TestToolContext.on(workspace).withWorkdir(workdir);
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  void writeMemory() throws Exception {
    ConversationMemory memory = new ConversationMemory(new Workdir(workdir).conversationMemory(ctx.conversationId()));
    ToolCall call = new ToolCall("c1", "exec_start", "{\"cmd\":\"make deploy\"}");
    memory.writeRollout(FIRST, new Rollout(ctx.conversationId(), Instant.parse("2024-05-01T10:00:00Z"),
        summary("deployed", new MemoryHint("Deploy", List.of("staging host is zebra-7"))),
        List.of(ChatMessage.user("deploy it"), ChatMessage.assistant("ok", List.of(call)),
            ChatMessage.toolResult(call, "deployed on port 8080"), ChatMessage.assistant("done", List.of()),
            ChatMessage.user("thanks"))));
    memory.writeRollout(SECOND, new Rollout(ctx.conversationId(), Instant.parse("2024-05-02T10:00:00Z"),
        summary("port question", new MemoryHint("deploy", List.of("port is 8080"))),
        List.of(ChatMessage.user("which port?"), ChatMessage.assistant("port 8080", List.of()))));
  }

  static LayeredSummary summary(String text, MemoryHint hint) {
    return new LayeredSummary("", text, List.of("deploy"), null, List.of(hint), "");
  }

  @Test
  void theToolsAreImmediateAndDescribeTheirArguments() {
    for (Tool t : List.of(memorySearch, rolloutSearch, rolloutRead)) {
      assertEquals(ToolMode.IMMEDIATE, t.mode(), t.name());
      assertFalse(t.parameters().get("additionalProperties").asBoolean(), t.name());
    }
    assertEquals("memory_search", memorySearch.name());
    assertEquals("rollout_search", rolloutSearch.name());
    assertEquals("rollout_read", rolloutRead.name());
    assertEquals(List.of("query", "limit"), names(memorySearch.parameters().get("properties")));
    assertEquals(List.of("query", "rollout_id", "limit", "kinds"), names(rolloutSearch.parameters().get("properties")));
    assertEquals(List.of("rollout_id", "anchor_event_id", "mode", "before", "after"),
        names(rolloutRead.parameters().get("properties")));
    assertEquals("[\"query\"]", memorySearch.parameters().get("required").toString());
    assertEquals("[\"query\"]", rolloutSearch.parameters().get("required").toString());
    assertEquals("[\"rollout_id\",\"anchor_event_id\"]", rolloutRead.parameters().get("required").toString());
    JsonNode kinds = rolloutSearch.parameters().at("/properties/kinds");
    assertEquals("array", kinds.get("type").asText());
    assertEquals("{\"type\":\"string\"}", kinds.get("items").toString());
    assertEquals("[\"turn_segment\",\"window\"]", rolloutRead.parameters().at("/properties/mode/enum").toString());
    assertTrue(memorySearch.description().contains("Nothing from it is put into your context automatically"));
  }

  @Test
  void memorySearchFindsAConclusion() throws Exception {
    writeMemory();
    JsonNode r = ctx.call(memorySearch, args("query", " zebra-7 "));
    assertEquals("zebra-7", r.get("query").asText());
    assertEquals(1, r.get("matches").size());
    JsonNode m = r.get("matches").get(0);
    assertEquals("memory", m.get("layer").asText());
    assertEquals("Deploy", m.get("group").asText());
    assertEquals("[\"" + FIRST + "\",\"" + SECOND + "\"]", m.get("rollouts").toString());
  }

  @Test
  void memorySearchWithNoMemoryYetFindsNothing() throws Exception {
    ToolResult r = ctx.invoke(memorySearch, args("query", "anything"));
    assertFalse(r.errored());
    assertEquals("{\n  \"query\" : \"anything\",\n  \"matches\" : [ ]\n}", r.content());
    assertFalse(Files.exists(workdir.resolve("conversations")));
  }

  @Test
  void rolloutSearchFindsEventsNewestRolloutFirst() throws Exception {
    writeMemory();
    JsonNode r = ctx.call(rolloutSearch, args("query", "port"));
    assertEquals(List.of(SECOND + "#1", SECOND + "#2", FIRST + "#3"), hits(r));
    assertFalse(r.get("truncated").asBoolean());
    assertEquals(List.of(FIRST + "#3"), hits(ctx.call(rolloutSearch, args("query", "port", "kinds", List.of("tool_result")))));
    assertEquals(List.of(FIRST + "#3"), hits(ctx.call(rolloutSearch, args("query", "port", "rollout_id", FIRST))));
    JsonNode one = ctx.call(rolloutSearch, args("query", "port", "limit", 1));
    assertEquals(List.of(SECOND + "#1"), hits(one));
    assertTrue(one.get("truncated").asBoolean());
  }

  @Test
  void rolloutReadReturnsTheTurnOrAWindow() throws Exception {
    writeMemory();
    JsonNode turn = ctx.call(rolloutRead, args("rollout_id", FIRST, "anchor_event_id", 3));
    assertEquals("turn_segment", turn.get("mode").asText());
    assertEquals(List.of(1L, 2L, 3L, 4L), eventIds(turn));
    assertFalse(turn.get("has_more_before").asBoolean());
    assertTrue(turn.get("has_more_after").asBoolean());
    JsonNode window = ctx.call(rolloutRead, args("rollout_id", FIRST, "anchor_event_id", 4, "mode", "window", "before", 1));
    assertEquals(List.of(3L, 4L, 5L), eventIds(window));
    assertTrue(window.get("has_more_before").asBoolean());
    assertFalse(window.get("has_more_after").asBoolean());
  }

  @Test
  void argumentErrorsAreOneClearLine() throws Exception {
    writeMemory();
    assertEquals("query must be a non-empty string", error(memorySearch, args()));
    assertEquals("query must be a non-empty string", error(memorySearch, args("query", "  ")));
    assertEquals("argument limit must be an integer (a non-negative whole number)",
        error(memorySearch, args("query", "x", "limit", -1)));
    assertEquals("argument limit must be an integer (a non-negative whole number)",
        error(rolloutSearch, args("query", "x", "limit", "5")));
    assertEquals("argument kinds must be an array of strings",
        error(rolloutSearch, args("query", "x", "kinds", "tool_result")));
    assertEquals("argument kinds must be an array of strings",
        error(rolloutSearch, args("query", "x", "kinds", List.of(1))));
    assertEquals("rollout_id must be a non-empty string", error(rolloutSearch, args("query", "x", "rollout_id", "")));
    assertEquals("unknown rollout: 2024-06-01T10-00-00-dddddddd",
        error(rolloutSearch, args("query", "x", "rollout_id", "2024-06-01T10-00-00-dddddddd")));
    assertEquals("rollout_id must be a non-empty string", error(rolloutRead, args("anchor_event_id", 1)));
    assertEquals("missing required argument: anchor_event_id", error(rolloutRead, args("rollout_id", FIRST)));
    assertEquals("argument anchor_event_id must be an integer (a non-negative whole number)",
        error(rolloutRead, args("rollout_id", FIRST, "anchor_event_id", 1.5)));
    assertEquals("mode must be turn_segment or window, not \"lines\"",
        error(rolloutRead, args("rollout_id", FIRST, "anchor_event_id", 1, "mode", "lines")));
    assertEquals("anchor_event_id 42 not found in rollout " + FIRST,
        error(rolloutRead, args("rollout_id", FIRST, "anchor_event_id", 42)));
    for (String bad : List.of("../x", "a/b", "../../conversations")) {
      String expected = "invalid rollout_id: \"" + bad
          + "\" (expected YYYY-MM-DDTHH-MM-SS-xxxxxxxx, as returned by memory_search or rollout_search)";
      assertEquals(expected, error(rolloutRead, args("rollout_id", bad, "anchor_event_id", 1)));
      assertEquals(expected, error(rolloutSearch, args("query", "x", "rollout_id", bad)));
    }
  }

  @Test
  void anErrorIsRenderedWithTheToolName() throws Exception {
    ToolResult r = ctx.invoke(rolloutRead, args("rollout_id", "a/b", "anchor_event_id", 1));
    assertTrue(r.errored());
    JsonNode j = Json.parse(r.content());
    assertEquals("rollout_read", j.get("tool").asText());
    assertTrue(j.get("error").asText().startsWith("invalid rollout_id: \"a/b\""));
  }

  private String error(Tool tool, String json) throws Exception {
    ToolResult r = ctx.invoke(tool, json);
    assertTrue(r.errored(), r.content());
    JsonNode j = Json.parse(r.content());
    assertEquals(tool.name(), j.get("tool").asText());
    return j.get("error").asText();
  }

  private static List<String> names(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
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
}
