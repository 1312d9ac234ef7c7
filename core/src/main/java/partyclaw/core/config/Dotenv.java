package partyclaw.core.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses {@code .env} text: {@code KEY=value} lines, an optional {@code export } prefix, {@code #} comments
 * (whole lines, or after whitespace in an unquoted value), blank lines, {@code '…'} literal values and
 * {@code "…"} values with {@code \n \r \t \" \\} escapes; quoted values may span lines. Lines that are not
 * assignments are skipped, as dotenv loaders do, rather than failing the whole file.
 */
final class Dotenv {
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

  private final String text;
  private int pos;

  private Dotenv(String text) {
    this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  static Map<String, String> parse(String text) {
    return new Dotenv(text).entries();
  }

  private Map<String, String> entries() {
    Map<String, String> out = new LinkedHashMap<>();
    while (pos < text.length()) {
      String line = restOfLine().strip();
      if (line.isEmpty() || line.startsWith("#")) {
        skipLine();
        continue;
      }
      if (line.startsWith("export ") || line.startsWith("export\t")) line = line.substring(7).strip();
      int eq = line.indexOf('=');
      String key = eq < 0 ? "" : line.substring(0, eq).strip();
      if (!KEY.matcher(key).matches()) {
        skipLine();
        continue;
      }
      // Move the cursor to just after '=' in the raw text, then read the value from there.
      pos = text.indexOf('=', pos) + 1;
      out.put(key, value());
    }
    return out;
  }

  private String value() {
    while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) pos++;
    if (pos < text.length() && text.charAt(pos) == '\'') return quoted('\'', false);
    if (pos < text.length() && text.charAt(pos) == '"') return quoted('"', true);
    String raw = restOfLine();
    skipLine();
    int comment = -1;
    for (int i = 0; i < raw.length(); i++) {
      if (raw.charAt(i) == '#' && (i == 0 || Character.isWhitespace(raw.charAt(i - 1)))) {
        comment = i;
        break;
      }
    }
    return (comment < 0 ? raw : raw.substring(0, comment)).strip();
  }

  private String quoted(char quote, boolean escapes) {
    StringBuilder sb = new StringBuilder();
    pos++;
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == quote) {
        skipLine();
        return sb.toString();
      }
      if (escapes && c == '\\' && pos < text.length()) {
        char e = text.charAt(pos++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case '"', '\\', '$' -> sb.append(e);
          default -> sb.append('\\').append(e);
        }
        continue;
      }
      sb.append(c);
    }
    // Unterminated quote: keep what was there rather than losing the variable.
    return sb.toString();
  }

  private String restOfLine() {
    int end = text.indexOf('\n', pos);
    String line = text.substring(pos, end < 0 ? text.length() : end);
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private void skipLine() {
    int end = text.indexOf('\n', pos);
    pos = end < 0 ? text.length() : end + 1;
  }
}
