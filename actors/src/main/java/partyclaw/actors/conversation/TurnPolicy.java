package partyclaw.actors.conversation;

import java.time.Duration;

/**
 * How turns run on this node, from the config.
 *
 * @param followUpCap most messages entering a turn at once; the rest follow at the next boundary, never dropped
 * @param immediateToolTimeout an immediate tool still running after this is abandoned with an error result
 */
public record TurnPolicy(int maxToolRounds, QueueMode defaultQueueMode, Duration debounce, int followUpCap,
    Duration immediateToolTimeout, Duration subAgentWallTime) {

  /** Sub-agents get 30 minutes unless {@code main_agent.timeout_seconds} says otherwise. */
  public static final Duration DEFAULT_SUB_AGENT_WALL_TIME = Duration.ofMinutes(30);

  public TurnPolicy(int maxToolRounds, QueueMode defaultQueueMode, Duration debounce, int followUpCap,
      Duration immediateToolTimeout) {
    this(maxToolRounds, defaultQueueMode, debounce, followUpCap, immediateToolTimeout, DEFAULT_SUB_AGENT_WALL_TIME);
  }
}
