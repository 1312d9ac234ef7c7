package partyclaw.actors.conversation;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What an outbox entry is; channels may render kinds differently. Journaled by its lower-case name. */
public enum OutboundKind {
  /** The model's final answer of a turn. */
  @JsonProperty("reply") REPLY,
  /** A {@code user_tell} bubble sent mid-turn. */
  @JsonProperty("tell") TELL,
  /** The runtime telling the user what it did (stopped, round limit). */
  @JsonProperty("notice") NOTICE,
  @JsonProperty("error") ERROR,
  /** The answer to a slash command. */
  @JsonProperty("command") COMMAND;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
