package partyclaw.tools.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/** {@code subagent_start}: a sub-agent in this workspace works on a narrow task in parallel (tools.md §4.4). */
public final class SubagentStartTool implements Tool {
  @Override
  public String name() {
    return "subagent_start";
  }

  @Override
  public String description() {
    return "Start a sub-agent on a narrow, self-contained task in this workspace; it runs in parallel, with the"
        + " built-in file, search, exec and skill tools, for as many rounds as the task needs (bounded). Describe"
        + " the task completely: it does not see this conversation. Collect its answer with subagent_join.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("description", "The whole task: what to do, where, and what to report back.")
        .string("model", "Model key; default the conversation's model.")
        .required("description")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String description = Args.requireNonEmpty(args, "description");
    String model = Args.optString(args, "model").map(String::strip).filter(m -> !m.isEmpty()).orElse(null);
    return SubAgentAccess.call(ctx, agents -> agents.start(description, model));
  }
}
