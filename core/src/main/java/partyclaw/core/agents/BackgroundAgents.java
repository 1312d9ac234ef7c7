package partyclaw.core.agents;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The background agents of one conversation as its tools see them (tools.md §4.4), implemented by the conversation
 * runtime: each runs as a child of the conversation, journaled round by round, and its report is delivered through
 * its {@link ReportSink}. Errors are {@link IllegalArgumentException}s with one line the model may see.
 */
public interface BackgroundAgents {

  /** Starts one; returns {@code {agent_id, parent_agent_id, model, delivery}}. */
  JsonNode start(String task, String model, JsonNode sink);

  /** {@code terminate}: the background agent {@code agentId} ends now, silently (no report). */
  JsonNode terminate(String agentId);

  /** {@code background_agents_list}: this conversation's background agents, newest last. */
  JsonNode list();

  /** {@code get_agent_stats} for a background agent. */
  JsonNode stats(String agentId);
}
