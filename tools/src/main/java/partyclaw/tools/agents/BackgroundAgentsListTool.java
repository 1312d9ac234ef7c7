package partyclaw.tools.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Schema;

/**
 * {@code background_agents_list} (tools.md §4.4): this conversation's background agents. Unlike the reference, which
 * lists every conversation's, a conversation sees only its own.
 */
public final class BackgroundAgentsListTool implements Tool {
  @Override
  public String name() {
    return "background_agents_list";
  }

  @Override
  public String description() {
    return "List this conversation's background agents: state, task, model, where the report goes and whether it"
        + " was delivered, times and token usage.";
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
    return BackgroundAgentAccess.call(ctx, agents -> agents.list());
  }
}
