package partyclaw.core.agents;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import partyclaw.core.tool.TurnSignal;

/**
 * The sub-agents of one conversation as its tools see them (tools.md §4.4), implemented by the conversation runtime,
 * which runs each as a child with its own multi-round loop. Errors are {@link IllegalArgumentException}s with one
 * line the model may see ({@code unknown subagent <id>}, a full slot with the limit that is reached).
 */
public interface SubAgents {

  /** Starts one; returns {@code {agent_id, model, description, timeout_seconds}}. */
  JsonNode start(String description, String model);

  /**
   * Waits for the sub-agent's end, at most {@code timeout} (null: without limit) and only while {@code signal} is not
   * raised: the spec's join results (completed, failed, destroyed, wait_timed_out, agent_turn_interrupted). A
   * finished sub-agent is forgotten once joined. Blocks the calling (tool) thread.
   */
  JsonNode join(String agentId, Duration timeout, TurnSignal signal) throws InterruptedException;

  /** Cancels it (its tools and processes stop); {@code {agent_id, killed:true}}. */
  JsonNode kill(String agentId);

  /** {@code get_agent_stats}: the record of one sub-agent. */
  JsonNode stats(String agentId);
}
