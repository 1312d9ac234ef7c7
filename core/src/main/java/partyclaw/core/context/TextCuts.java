package partyclaw.core.context;

/** Cutting text without splitting a surrogate pair (a lone surrogate would reach the model as '?'). */
final class TextCuts {
  private TextCuts() {}

  /** The first {@code n} chars, one fewer if the n-th would be the high half of a pair. */
  static String head(String text, int n) {
    if (n >= text.length()) return text;
    if (n > 0 && Character.isHighSurrogate(text.charAt(n - 1))) n--;
    return text.substring(0, Math.max(0, n));
  }

  /** The last {@code n} chars, one fewer if the first of them would be the low half of a pair. */
  static String tail(String text, int n) {
    if (n >= text.length()) return text;
    int from = text.length() - Math.max(0, n);
    if (from < text.length() && Character.isLowSurrogate(text.charAt(from))) from++;
    return text.substring(from);
  }
}
