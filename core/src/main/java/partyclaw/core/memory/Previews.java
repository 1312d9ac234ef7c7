package partyclaw.core.memory;

/** Case-insensitive matching and short excerpts for search results. */
final class Previews {
  private static final String CUT = "…";

  private Previews() {}

  /** Index of {@code query} in {@code text} ignoring case, or -1; compares in place so indexes stay those of {@code text}. */
  static int indexOfIgnoreCase(String text, String query) {
    int last = text.length() - query.length();
    for (int i = 0; i <= last; i++) {
      if (text.regionMatches(true, i, query, 0, query.length())) return i;
    }
    return -1;
  }

  static boolean containsIgnoreCase(String text, String query) {
    return indexOfIgnoreCase(text, query) >= 0;
  }

  /** At most {@code max} chars from the start; a cut is marked with an ellipsis. */
  static String head(String text, int max) {
    if (text.length() <= max) return text;
    int end = max - CUT.length();
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) end--;
    return text.substring(0, end) + CUT;
  }

  /**
   * At most {@code max} chars of {@code text} with the first match of {@code query} in the middle, so the model
   * sees why it matched; cuts at either end are marked with an ellipsis.
   */
  static String around(String text, String query, int max) {
    if (text.length() <= max) return text;
    int at = Math.max(0, indexOfIgnoreCase(text, query));
    int start = Math.max(0, at - Math.max(0, max - query.length()) / 2);
    start = Math.min(start, text.length() - max);
    int end = start + max;
    String prefix = "";
    String suffix = "";
    if (start > 0) {
      prefix = CUT;
      start += CUT.length();
    }
    if (end < text.length()) {
      suffix = CUT;
      end -= CUT.length();
    }
    if (start < end && Character.isLowSurrogate(text.charAt(start))) start++;
    if (end > start && Character.isHighSurrogate(text.charAt(end - 1))) end--;
    return prefix + text.substring(start, end) + suffix;
  }
}
