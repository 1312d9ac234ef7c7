package partyclaw.actors.outbox;

import java.nio.charset.StandardCharsets;
import java.util.List;
import partyclaw.actors.JsonSerializable;

/**
 * A choice offered with a message (the reference's {@code ShowOptions}): {@code label} shown on a button,
 * {@code value} the text sent back as the user's message when it is chosen (usually a slash command).
 */
public record ReplyOption(String label, String value) implements JsonSerializable {

  /** Telegram's limit on a button's {@code callback_data}, in UTF-8 bytes. */
  public static final int MAX_CALLBACK_BYTES = 64;

  public boolean fitsCallbackData() {
    return !value.isEmpty() && value.getBytes(StandardCharsets.UTF_8).length <= MAX_CALLBACK_BYTES;
  }

  /** One option per value, labelled with the value's last word (`/agent gpt` is labelled `gpt`). */
  public static List<ReplyOption> commands(String command, List<String> args) {
    return args.stream().map(a -> new ReplyOption(a, command + " " + a)).toList();
  }

  /**
   * The options as text lines, for channels without buttons (or options a button cannot carry): each line says
   * what to send.
   */
  public static String asText(List<ReplyOption> options) {
    StringBuilder out = new StringBuilder();
    for (ReplyOption o : options) {
      if (out.length() > 0) out.append('\n');
      out.append("• ").append(o.label()).append(": send `").append(o.value()).append('`');
    }
    return out.toString();
  }
}
