package partyclaw.tools.agents;

import partyclaw.core.agents.SubAgents;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;

/** Finds the conversation's sub-agents; sub-agents themselves (and bare runtimes) have none. */
final class SubAgentAccess {
  private SubAgentAccess() {}

  static SubAgents of(ToolContext ctx) throws ToolException {
    return ctx.resources().find(SubAgents.class)
        .orElseThrow(() -> new ToolException("sub-agents are not available here"));
  }

  /** Runs a port call, turning its one-line refusals into tool errors. */
  static <T> T call(ToolContext ctx, PortCall<T> call) throws ToolException, InterruptedException {
    SubAgents agents = of(ctx);
    try {
      return call.run(agents);
    } catch (IllegalArgumentException e) {
      throw new ToolException(e.getMessage());
    }
  }

  interface PortCall<T> {
    T run(SubAgents agents) throws InterruptedException;
  }
}
