package partyclaw.tools.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/**
 * {@code subagent_join}: waits for a sub-agent's answer. Interruptible for real (the reference's is not, §9.16): a
 * new user message yields it with {@code interrupted:true} and the sub-agent goes on.
 */
public final class SubagentJoinTool implements Tool {
  @Override
  public String name() {
    return "subagent_join";
  }

  @Override
  public String description() {
    return "Wait for a sub-agent's final answer. timeout_seconds 0 (default) waits until it ends; on a timeout or"
        + " when the user writes, it returns with the sub-agent still running, so join it again later.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("agent_id", "The id subagent_start returned.")
        .integer("timeout_seconds", "Longest wait in seconds; 0 waits without limit.")
        .required("agent_id")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.INTERRUPTIBLE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String id = Args.requireNonEmpty(args, "agent_id");
    long seconds = Args.optNonNegativeInt(args, "timeout_seconds", 0);
    Duration timeout = seconds == 0 ? null : Duration.ofSeconds(seconds);
    return SubAgentAccess.call(ctx, agents -> agents.join(id, timeout, ctx.signal()));
  }
}
