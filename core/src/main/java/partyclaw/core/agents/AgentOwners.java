package partyclaw.core.agents;

import java.util.Optional;

/**
 * Who a tool call belongs to, as its {@code ToolContext.turnId()} says: a foreground turn (its turn id), a sub-agent
 * or a background agent. Processes a call starts are recorded under this owner, so the owner's end kills them.
 */
public final class AgentOwners {
  private static final String SUB_AGENT = "subagent:";
  private static final String BACKGROUND = "background:";

  private AgentOwners() {}

  public static String subAgent(String agentId) {
    return SUB_AGENT + agentId;
  }

  public static String background(String agentId) {
    return BACKGROUND + agentId;
  }

  /** The background agent making the call, if a background agent makes it. */
  public static Optional<String> backgroundAgentOf(String turnId) {
    return turnId != null && turnId.startsWith(BACKGROUND)
        ? Optional.of(turnId.substring(BACKGROUND.length())) : Optional.empty();
  }

  public static boolean isAgent(String turnId) {
    return turnId != null && (turnId.startsWith(SUB_AGENT) || turnId.startsWith(BACKGROUND));
  }
}
