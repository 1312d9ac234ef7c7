package partyclaw.tools.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/** {@code get_agent_stats}: one sub-agent's or background agent's record (state, times, usage). */
public final class GetAgentStatsTool implements Tool {
  @Override
  public String name() {
    return "get_agent_stats";
  }

  @Override
  public String description() {
    return "Show one sub-agent's or background agent's record: state (running, completed, failed, cancelled,"
        + " bounded, terminated), model, times, rounds and token usage.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object().string("agent_id", "The agent's id.").required("agent_id").build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String id = Args.requireNonEmpty(args, "agent_id");
    if (id.startsWith("background-")) return BackgroundAgentAccess.call(ctx, agents -> agents.stats(id));
    return SubAgentAccess.call(ctx, agents -> agents.stats(id));
  }
}
