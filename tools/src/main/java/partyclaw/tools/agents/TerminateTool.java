package partyclaw.tools.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.agents.AgentOwners;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Schema;

/** {@code terminate} (tools.md §4.4, background agents only): end now, silently, with no report. */
public final class TerminateTool implements Tool {
  @Override
  public String name() {
    return "terminate";
  }

  @Override
  public String description() {
    return "End this background agent now without a report: nothing is sent to the chat or inserted into the"
        + " conversation. Use it when there is nothing worth reporting.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object().build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    String agentId = AgentOwners.backgroundAgentOf(ctx.turnId())
        .orElseThrow(() -> new ToolException("terminate is only available to background agents"));
    return BackgroundAgentAccess.call(ctx, agents -> agents.terminate(agentId));
  }
}
