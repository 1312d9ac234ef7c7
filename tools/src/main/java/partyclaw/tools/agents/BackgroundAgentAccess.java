package partyclaw.tools.agents;

import partyclaw.core.agents.BackgroundAgents;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;

/** Finds the conversation's background agents; a bare runtime (tests, tools run elsewhere) has none. */
final class BackgroundAgentAccess {
  private BackgroundAgentAccess() {}

  /** Runs a port call, turning its one-line refusals into tool errors. */
  static <T> T call(ToolContext ctx, java.util.function.Function<BackgroundAgents, T> call) throws ToolException {
    BackgroundAgents agents = ctx.resources().find(BackgroundAgents.class)
        .orElseThrow(() -> new ToolException("background agents are not available here"));
    try {
      return call.apply(agents);
    } catch (IllegalArgumentException e) {
      throw new ToolException(e.getMessage());
    }
  }
}
