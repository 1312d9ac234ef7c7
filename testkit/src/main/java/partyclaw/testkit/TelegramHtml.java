package partyclaw.testkit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;

/**
 * Parses text sent with {@code parse_mode: HTML} the way the Bot API does: only Telegram's tags, every tag
 * closed in order, {@code <} and {@code &} only as part of a tag or an entity. Used by {@link FakeTelegramServer}
 * to answer "can't parse entities" like the real API, and by tests to read what a user would see.
 */
public final class TelegramHtml {
  private TelegramHtml() {}

  static final Set<String> TAGS = Set.of("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
      "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji");

  /** Thrown for text the Bot API would reject; the message is the API's description. */
  public static final class ParseException extends Exception {
    ParseException(String message) {
      super("Bad Request: can't parse entities: " + message);
    }
  }

  /** The text a user sees: tags removed, entities decoded. Fails like the Bot API on invalid markup. */
  public static String visibleText(String html) throws ParseException {
    StringBuilder out = new StringBuilder(html.length());
    Deque<String> open = new ArrayDeque<>();
    int i = 0;
    while (i < html.length()) {
      char c = html.charAt(i);
      if (c == '<') {
        int end = html.indexOf('>', i);
        if (end < 0) throw new ParseException("unclosed start tag at byte offset " + i);
        String tag = html.substring(i + 1, end).trim();
        if (tag.startsWith("/")) {
          String name = tag.substring(1).trim().toLowerCase(Locale.ROOT);
          if (open.isEmpty() || !open.peek().equals(name)) {
            throw new ParseException("can't find end tag corresponding to start tag \"" + name + "\"");
          }
          open.pop();
        } else {
          String name = tagName(tag);
          if (!TAGS.contains(name)) throw new ParseException("unsupported start tag \"" + name + "\" at byte offset " + i);
          if (name.equals("a") && !tag.contains("href=")) throw new ParseException("a tag without href");
          open.push(name);
        }
        i = end + 1;
      } else if (c == '&') {
        int semi = html.indexOf(';', i);
        if (semi < 0 || semi - i > 10) throw new ParseException("unescaped & at byte offset " + i);
        out.append(entity(html.substring(i + 1, semi), i));
        i = semi + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    if (!open.isEmpty()) throw new ParseException("can't find end tag corresponding to start tag \"" + open.peek() + "\"");
    return out.toString();
  }

  /** {@link #visibleText} for text already known to be valid (as recorded by the fake); raw text otherwise. */
  public static String visibleOrRaw(String html) {
    try {
      return visibleText(html);
    } catch (ParseException e) {
      return html;
    }
  }

  /** Visible length in UTF-16 code units, as the Bot API counts its limits. */
  public static int visibleLength(String html) throws ParseException {
    return visibleText(html).length();
  }

  private static String tagName(String tag) {
    int sp = 0;
    while (sp < tag.length() && !Character.isWhitespace(tag.charAt(sp))) sp++;
    return tag.substring(0, sp).toLowerCase(Locale.ROOT);
  }

  private static String entity(String name, int at) throws ParseException {
    switch (name) {
      case "lt": return "<";
      case "gt": return ">";
      case "amp": return "&";
      case "quot": return "\"";
      default:
        try {
          if (name.startsWith("#x") || name.startsWith("#X")) return Character.toString(Integer.parseInt(name.substring(2), 16));
          if (name.startsWith("#")) return Character.toString(Integer.parseInt(name.substring(1)));
        } catch (IllegalArgumentException e) {
          // falls through to the error below
        }
        throw new ParseException("unsupported entity \"&" + name + ";\" at byte offset " + at);
    }
  }
}
