package partyclaw.core.util;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
  /** Digits before a bot token's colon in a bare token; {@code /bot<digits>:} in a path needs only one. */
  private static final int BARE_ID_DIGITS = 5;
  private static final int BARE_SECRET_CHARS = 30;
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
    return blankBotTokens(out);
  }

  /**
   * Blanks the secret half of {@code <digits>:<secret>} where it follows {@code /bot} (a Bot API path, any length) or
   * stands alone as a word ({@value #BARE_ID_DIGITS}+ digits, {@value #BARE_SECRET_CHARS}+ secret characters). A
   * hand-written scan from each colon: every log line passes here, and the two regular expressions it replaces cost
   * a fifth of the daemon's CPU under load.
   */
  private static String blankBotTokens(String s) {
    StringBuilder out = null;
    int copied = 0;
    for (int colon = s.indexOf(':'); colon >= 0; colon = s.indexOf(':', colon + 1)) {
      int idStart = colon;
      while (idStart > 0 && isAsciiDigit(s.charAt(idStart - 1))) idStart--;
      int idDigits = colon - idStart;
      if (idDigits == 0) continue;
      int end = colon + 1;
      while (end < s.length() && isTokenChar(s.charAt(end))) end++;
      int secretChars = end - colon - 1;
      boolean inPath = secretChars > 0 && idStart >= 4 && s.regionMatches(true, idStart - 4, "/bot", 0, 4);
      boolean bare = idDigits >= BARE_ID_DIGITS && secretChars >= BARE_SECRET_CHARS
          && (idStart == 0 || !isWordChar(s.charAt(idStart - 1)));
      if (!inPath && !bare) continue;
      if (out == null) out = new StringBuilder(s.length());
      out.append(s, copied, colon + 1).append(MARK);
      copied = end;
      colon = end - 1;
    }
    return out == null ? s : out.append(s, copied, s.length()).toString();
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isTokenChar(char c) {
    return isAsciiDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
  }

  /** As {@code \\b} sees a word character. */
  private static boolean isWordChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  /** For tests: forgets every registered secret. */
  public static void clear() {
    secrets.clear();
  }
}
