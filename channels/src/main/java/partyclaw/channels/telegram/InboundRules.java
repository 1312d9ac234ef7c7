package partyclaw.channels.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the bot reacts to a message (spec §2.1.4, plus replies to the bot in groups as a deliberate departure), and
 * how command texts are normalised before they reach the conversation.
 */
public final class InboundRules {
  private InboundRules() {}

  private static final Pattern COMMAND = Pattern.compile("^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?$");

  /** The text of a message: its text, else its caption, trimmed; empty when neither. */
  public static String textOf(JsonNode message) {
    String t = message.path("text").asText(null);
    if (t == null) t = message.path("caption").asText("");
    return t.strip();
  }

  public static boolean isPrivate(JsonNode chat) {
    return "private".equals(chat.path("type").asText());
  }

  public static boolean isGroup(JsonNode chat) {
    String type = chat.path("type").asText();
    return type.equals("group") || type.equals("supergroup");
  }

  /**
   * Whether a message in a big group is aimed at the bot: a command for it ({@code /name} or
   * {@code /name@bot}), an {@code @bot} mention anywhere, or a reply to one of the bot's messages.
   */
  public static boolean addressedToBot(JsonNode message, BotIdentity bot) {
    String text = textOf(message);
    if (isCommandForBot(firstToken(text), bot.username())) return true;
    if (bot.username() != null && !bot.username().isEmpty()
        && text.toLowerCase(Locale.ROOT).contains("@" + bot.username().toLowerCase(Locale.ROOT))) {
      return true;
    }
    JsonNode replied = message.path("reply_to_message");
    return replied.isObject() && replied.path("from").path("id").asLong(-1) == bot.id();
  }

  static boolean isCommandForBot(String token, String botUsername) {
    Matcher m = COMMAND.matcher(token);
    if (!m.matches()) return false;
    if (m.group(2) == null) return true;
    return botUsername != null && m.group(2).equalsIgnoreCase(botUsername);
  }

  /** {@code @bot /cmd args} becomes {@code /cmd args}; {@code /cmd@anybot args} becomes {@code /cmd args}. */
  public static String normalize(String text, String botUsername) {
    String t = text.strip();
    if (botUsername != null && !botUsername.isEmpty()) {
      String mention = "@" + botUsername.toLowerCase(Locale.ROOT);
      String first = firstToken(t);
      if (first.toLowerCase(Locale.ROOT).equals(mention)) {
        String rest = t.substring(first.length()).strip();
        if (rest.startsWith("/")) t = rest;
      }
    }
    String first = firstToken(t);
    if (first.startsWith("/") && first.length() > 1 && first.indexOf('@') > 0) {
      t = first.substring(0, first.indexOf('@')) + t.substring(first.length());
    }
    return t;
  }

  /** "first last", else the username, else the id. */
  public static String displayName(JsonNode from) {
    String first = from.path("first_name").asText("").strip();
    String last = from.path("last_name").asText("").strip();
    String name = (first + " " + last).strip();
    if (!name.isEmpty()) return name;
    String user = from.path("username").asText("").strip();
    return user.isEmpty() ? from.path("id").asText("unknown") : user;
  }

  private static String firstToken(String text) {
    String t = text.strip();
    int i = 0;
    while (i < t.length() && !Character.isWhitespace(t.charAt(i))) i++;
    return t.substring(0, i);
  }
}
