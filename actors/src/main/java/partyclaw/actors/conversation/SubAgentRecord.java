package partyclaw.actors.conversation;

import java.time.Instant;
import partyclaw.actors.JsonSerializable;
import partyclaw.core.transcript.Usage;

/**
 * One sub-agent of the conversation as journaled: started, then finished ({@code state} completed, failed, cancelled
 * or bounded, with its answer or why in {@code text}); forgotten once joined.
 */
public record SubAgentRecord(String id, String description, String model, String state, String text, int rounds,
    Usage usage, Instant createdAt, Instant finishedAt) implements JsonSerializable {

  public static final String RUNNING = "running";

  public boolean running() {
    return RUNNING.equals(state);
  }
}
