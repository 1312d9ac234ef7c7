package partyclaw.core.util;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Every secret the daemon resolved (bot tokens, API keys…), and the one function that blanks them out of text
 * bound for a log. The logging layer applies it to every line, so a library that prints a request URI (Akka HTTP
 * puts {@code /bot<token>/method} into pool warnings and debug logs) cannot leak one. Telegram-shaped tokens are
 * blanked even when nobody registered them.
 */
public final class SecretRedaction {
  public static final String MARK = "[REDACTED]";
  /** Shorter values would blank ordinary words; no real credential is this short. */
  static final int MIN_LENGTH = 6;
  private static final Pattern BOT_PATH = Pattern.compile("(?i)(/bot|/file/bot)(\\d+):[A-Za-z0-9_-]+");
  private static final Pattern BOT_TOKEN = Pattern.compile("\\b(\\d{5,}):[A-Za-z0-9_-]{30,}");
  private static final CopyOnWriteArrayList<String> secrets = new CopyOnWriteArrayList<>();

  private SecretRedaction() {}

  /** Adds a secret value; blank and very short values are ignored (see {@link #MIN_LENGTH}). */
  public static void register(String secret) {
    if (secret == null) return;
    String s = secret.strip();
    if (s.length() < MIN_LENGTH || secrets.contains(s)) return;
    secrets.add(s);
    // Longest first: a secret containing another is blanked as a whole.
    List<String> sorted = secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    secrets.clear();
    secrets.addAll(sorted);
  }

  /** {@code text} with every registered secret and every Telegram bot token replaced by {@link #MARK}. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) return text;
    String out = text;
    for (String s : secrets) {
      if (out.contains(s)) out = out.replace(s, MARK);
    }
    if (out.indexOf(':') >= 0) {
      out = BOT_PATH.matcher(out).replaceAll("$1$2:" + MARK);
      out = BOT_TOKEN.matcher(out).replaceAll("$1:" + MARK);
    }
    return out;
  }

  /** For tests: forgets every registered secret. */
  public static void clear() {
    secrets.clear();
  }
}
