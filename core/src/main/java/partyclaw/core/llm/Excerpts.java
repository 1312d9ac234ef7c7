package partyclaw.core.llm;

/** One-line, length-bounded excerpts of upstream text for error messages and logs. */
final class Excerpts {
  private Excerpts() {}

  /** Whitespace runs (newlines included) become one space; longer than {@code max} chars ends in "…". */
  static String of(String text, int max) {
    if (text == null) return "";
    String line = text.replaceAll("\\s+", " ").trim();
    return line.length() <= max ? line : line.substring(0, max) + "…";
  }

  /** Replaces every occurrence of {@code secret} (when non-blank) so it cannot leak through an echoing server. */
  static String redact(String text, String secret) {
    if (text == null || secret == null || secret.isBlank()) return text;
    return text.replace(secret, "***");
  }
}
