package partyclaw.actors.conversation;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a message sent during a running turn does. Journaled (in settings) by its lower-case name. */
public enum QueueMode {
  /** The turn yields at the next safe boundary and the model sees the message (the default). */
  @JsonProperty("steer") STEER,
  /** The message is answered after the turn. */
  @JsonProperty("followup") FOLLOWUP,
  /** Everything sent during the turn becomes one follow-up. */
  @JsonProperty("collect") COLLECT,
  /** The running turn is cancelled and the message starts a new one. */
  @JsonProperty("interrupt") INTERRUPT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<QueueMode> parse(String text) {
    if (text == null) return Optional.empty();
    String wanted = text.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(m -> m.wire().equals(wanted)).findFirst();
  }
}
