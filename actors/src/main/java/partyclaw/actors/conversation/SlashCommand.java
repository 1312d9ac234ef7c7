package partyclaw.actors.conversation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A slash command as the reference parses it (config-and-channels.md §3): the first whitespace token, with any
 * {@code @botname} suffix removed, must start with {@code /} and one more character; the rest, trimmed, is the
 * argument. Matching is case-sensitive. Commands never reach the model's context.
 */
public record SlashCommand(String name, String args) {

  /** The non-Telegram menu (§3.1) plus partyclaw's /stop and /queue, in the order /help shows them. */
  public static final Map<String, String> MENU = menu();

  private static Map<String, String> menu() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("help", "Show available commands");
    m.put("status", "Show current session usage and timeout settings");
    m.put("stop", "Stop the running turn, its tools and processes");
    m.put("queue", "Show or set how messages sent during a turn are handled");
    m.put("compact", "Compact the current conversation context now");
    m.put("compact_mode", "Show or set automatic context compaction");
    m.put("agent", "Show or set the conversation model");
    m.put("sandbox", "Show or set the conversation sandbox mode");
    m.put("mount", "Mount a local folder into bubblewrap for this conversation");
    m.put("think", "Show or set the conversation reasoning effort");
    m.put("set_api_timeout", "Set session API timeout in seconds");
    m.put("snapsave", "Save a named global snapshot");
    m.put("snapload", "Load a named global snapshot");
    m.put("snaplist", "List saved global snapshots");
    m.put("continue", "Continue the latest interrupted turn");
    m.put("background", "List background agents, or stop them");
    m.put("subscribe", "Receive background reports broadcast to a topic");
    m.put("unsubscribe", "Stop receiving a topic's background reports");
    return java.util.Collections.unmodifiableMap(m);
  }

  public static Optional<SlashCommand> parse(String text) {
    if (text == null) return Optional.empty();
    String trimmed = text.strip();
    if (trimmed.length() < 2 || trimmed.charAt(0) != '/') return Optional.empty();
    int space = indexOfWhitespace(trimmed);
    String token = space < 0 ? trimmed : trimmed.substring(0, space);
    String args = space < 0 ? "" : trimmed.substring(space).strip();
    int at = token.indexOf('@');
    if (at >= 0) token = token.substring(0, at);
    if (token.length() < 2) return Optional.empty();
    return Optional.of(new SlashCommand(token.substring(1), args));
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) return i;
    }
    return -1;
  }

  public static String help() {
    return help(Texts.of("en"));
  }

  static String help(Texts t) {
    StringBuilder sb = new StringBuilder(t.get("help.header"));
    MENU.keySet().forEach(name ->
        sb.append('\n').append(String.format("/%-12s %s", name, t.get("help." + name))));
    return sb.toString();
  }
}
