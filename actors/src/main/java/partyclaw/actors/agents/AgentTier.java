package partyclaw.actors.agents;

/**
 * The two kinds of agent a conversation runs as children (runtime.md §2.2, §2.3): a sub-agent belongs to the turn
 * that started it and its result returns through {@code subagent_join}; a background agent outlives turns and its
 * answer is delivered to the conversation.
 */
public enum AgentTier {
  SUB_AGENT("sub-agent", "sub-agents"),
  BACKGROUND("background agent", "background agents");

  private final String noun;
  private final String plural;

  AgentTier(String noun, String plural) {
    this.noun = noun;
    this.plural = plural;
  }

  /** How users and the model call one of them. */
  public String noun() {
    return noun;
  }

  public String plural() {
    return plural;
  }
}
