package partyclaw.tools.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/** {@code subagent_kill}: stops a sub-agent, its tools and their processes. */
public final class SubagentKillTool implements Tool {
  @Override
  public String name() {
    return "subagent_kill";
  }

  @Override
  public String description() {
    return "Stop a sub-agent now: its model call, its tools and the processes they started.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object().string("agent_id", "The id subagent_start returned.").required("agent_id").build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String id = Args.requireNonEmpty(args, "agent_id");
    return SubAgentAccess.call(ctx, agents -> agents.kill(id));
  }
}
