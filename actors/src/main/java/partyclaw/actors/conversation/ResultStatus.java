package partyclaw.actors.conversation;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How one tool call ended. Journaled by its lower-case name. */
public enum ResultStatus {
  @JsonProperty("ok") OK,
  @JsonProperty("error") ERROR,
  @JsonProperty("interrupted") INTERRUPTED,
  @JsonProperty("cancelled") CANCELLED,
  /** The daemon stopped while the call ran: its result is unknown. */
  @JsonProperty("lost") LOST;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
