package partyclaw.actors.conversation;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Why a compaction was asked for (runtime.md §4.2); journaled in lowercase. */
public enum CompactionReason {
  /** The context reached the threshold before a model call. */
  @JsonProperty("threshold") THRESHOLD,
  /** A model call timed out on a large context: compact, then ask once more. */
  @JsonProperty("timeout") TIMEOUT,
  /** The conversation was idle near the end of the provider's cache lifetime. */
  @JsonProperty("idle") IDLE,
  /** {@code /compact}. */
  @JsonProperty("manual") MANUAL,
  /** {@code /agent} to a model whose window is too small for the context. */
  @JsonProperty("model_switch") MODEL_SWITCH;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
