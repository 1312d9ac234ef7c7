package partyclaw.tools.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.agents.AgentOwners;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/**
 * {@code start_background_agent} (tools.md §4.4, foreground only): an agent that works on after this turn, survives
 * restarts, and reports through its sink.
 */
public final class StartBackgroundAgentTool implements Tool {
  @Override
  public String name() {
    return "start_background_agent";
  }

  @Override
  public String description() {
    return "Start a background agent on a long task in this workspace. It keeps working after this turn ends (and"
        + " after restarts) with the main tools, and its final answer is delivered to the chat and to your context"
        + " automatically: do not wait for it. Describe the task completely: it does not see this conversation."
        + " sink: where the report goes: \"direct\" (this conversation, default), \"broadcast:<topic>\" (every"
        + " conversation that subscribed with /subscribe <topic>), or \"multi:<target>,<target>\" with targets"
        + " \"this\", \"topic:<name>\" or, from an operator conversation, \"conversation:<id>\".";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("task", "The whole task: what to do, where, and what to report.")
        .string("model", "Model key; default the conversation's model.")
        .string("sink", "Where the report goes; default \"direct\".")
        .required("task")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    if (AgentOwners.isAgent(ctx.turnId())) {
      throw new ToolException("start_background_agent is only available to the main foreground agent");
    }
    String task = Args.requireNonEmpty(args, "task").strip();
    String model = Args.optString(args, "model").map(String::strip).filter(m -> !m.isEmpty()).orElse(null);
    JsonNode sink = args.get("sink");
    return BackgroundAgentAccess.call(ctx, agents -> agents.start(task, model, sink));
  }
}
