package partyclaw.actors.conversation;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a turn ended. Journaled by its lower-case name; /continue resumes any but {@link #COMPLETED}. */
public enum TurnOutcome {
  @JsonProperty("completed") COMPLETED,
  @JsonProperty("failed") FAILED,
  @JsonProperty("max_rounds") MAX_ROUNDS,
  @JsonProperty("stopped") STOPPED,
  @JsonProperty("interrupted") INTERRUPTED;

  /** The journal's and the channels' name. */
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
