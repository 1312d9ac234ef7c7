package partyclaw.tools.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.agents.AgentOwners;
import partyclaw.core.agents.BackgroundAgents;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolResult;
import partyclaw.tools.testing.TestToolContext;

/** The background-agent tools against a recording port: who may call them, and what reaches the runtime. */
class BackgroundAgentToolsTest {
  @TempDir Path tmp;
  TestToolContext ctx;
  final List<String> calls = new CopyOnWriteArrayList<>();

  final BackgroundAgents port = new BackgroundAgents() {
    public JsonNode start(String task, String model, JsonNode sink) {
      calls.add("start " + task + " model=" + model + " sink=" + sink);
      if (sink != null && sink.asText().equals("broadcast:bad topic")) {
        throw new IllegalArgumentException("invalid topic 'bad topic'");
      }
      return Json.object().put("agent_id", "background-1");
    }

    public JsonNode terminate(String agentId) {
      calls.add("terminate " + agentId);
      return Json.object().put("terminated", true);
    }

    public JsonNode list() {
      calls.add("list");
      return Json.array();
    }

    public JsonNode stats(String agentId) {
      calls.add("stats " + agentId);
      return Json.object().put("id", agentId);
    }
  };

  @BeforeEach
  void setUp() {
    ctx = TestToolContext.on(tmp);
    ctx.resources().get(BackgroundAgents.class, () -> port);
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  @Test
  void startPassesTaskModelAndSink() throws Exception {
    JsonNode r = ctx.call(new StartBackgroundAgentTool(), args("task", "  survey  ", "sink", "broadcast:news"));
    assertEquals("background-1", r.get("agent_id").asText());
    ctx.call(new StartBackgroundAgentTool(), args("task", "x", "model", "other"));
    assertEquals(List.of("start survey model=null sink=\"broadcast:news\"", "start x model=other sink=null"), calls);
  }

  @Test
  void refusalsAreToolErrors() throws Exception {
    ToolResult bad = ctx.invoke(new StartBackgroundAgentTool(), args("task", "x", "sink", "broadcast:bad topic"));
    assertTrue(bad.errored());
    assertTrue(bad.content().contains("invalid topic 'bad topic'"), bad.content());
    ToolResult empty = ctx.invoke(new StartBackgroundAgentTool(), args("task", " "));
    assertTrue(empty.errored(), empty.content());
  }

  @Test
  void onlyTheForegroundStartsAndOnlyABackgroundAgentTerminates() throws Exception {
    ToolResult notHere = ctx.invoke(new TerminateTool(), "{}");
    assertTrue(notHere.errored());
    assertTrue(notHere.content().contains("terminate is only available to background agents"), notHere.content());

    ctx.withTurnId(AgentOwners.background("background-7"));
    assertEquals(true, ctx.call(new TerminateTool(), "{}").get("terminated").asBoolean());
    ToolResult nested = ctx.invoke(new StartBackgroundAgentTool(), args("task", "x"));
    assertTrue(nested.content().contains("only available to the main foreground agent"), nested.content());
    ctx.withTurnId(AgentOwners.subAgent("subagent-1"));
    assertTrue(ctx.invoke(new StartBackgroundAgentTool(), args("task", "x")).errored());
    assertEquals(List.of("terminate background-7"), calls);
  }

  @Test
  void statsRouteByKindAndListLists() throws Exception {
    ctx.call(new GetAgentStatsTool(), args("agent_id", "background-3"));
    ctx.call(new BackgroundAgentsListTool(), "{}");
    assertEquals(List.of("stats background-3", "list"), calls);
    ToolResult sub = ctx.invoke(new GetAgentStatsTool(), args("agent_id", "subagent-3"));
    assertTrue(sub.content().contains("sub-agents are not available here"), sub.content());
  }

  @Test
  void withoutARuntimeTheyFailClearly() throws Exception {
    try (TestToolContext bare = TestToolContext.on(tmp)) {
      ToolResult r = bare.invoke(new BackgroundAgentsListTool(), "{}");
      assertTrue(r.errored());
      assertTrue(r.content().contains("background agents are not available here"), r.content());
    }
  }
}
