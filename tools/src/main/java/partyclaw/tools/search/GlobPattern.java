package partyclaw.tools.search;

import java.util.regex.Pattern;
import partyclaw.core.tool.ToolException;

/**
 * A glob with the reference's globset semantics: matched against a '/'-separated relative path, {@code *}
 * and {@code ?} may cross '/', {@code **} as a whole component matches any number of directories (also
 * none), plus {@code [...]}/{@code [!...]} classes, {@code {a,b}} alternatives and {@code \} escapes.
 */
public final class GlobPattern {
  private final String source;
  private final Pattern regex;

  private GlobPattern(String source, Pattern regex) {
    this.source = source;
    this.regex = regex;
  }

  public static GlobPattern compile(String glob) throws ToolException {
    try {
      return new GlobPattern(glob, Pattern.compile(toRegex(glob), Pattern.DOTALL));
    } catch (IllegalArgumentException e) {
      throw new ToolException("invalid glob pattern: " + glob);
    }
  }

  public boolean matches(String relativePath) {
    return regex.matcher(relativePath).matches();
  }

  public String source() {
    return source;
  }

  static String toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    int n = glob.length();
    boolean inAlternates = false;
    for (int i = 0; i < n; i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          boolean startOfComponent = i == 0 || glob.charAt(i - 1) == '/';
          if (i + 1 < n && glob.charAt(i + 1) == '*' && startOfComponent) {
            boolean endOfPattern = i + 2 == n;
            boolean beforeSlash = i + 2 < n && glob.charAt(i + 2) == '/';
            if (endOfPattern) {
              re.append(".*");
              i += 1;
              break;
            }
            if (beforeSlash) {
              re.append("(?:.*/)?");
              i += 2;
              break;
            }
          }
          // Not a whole-component "**": globset treats a run of stars like one "*".
          while (i + 1 < n && glob.charAt(i + 1) == '*') i++;
          re.append(".*");
        }
        case '?' -> re.append('.');
        case '[' -> i = charClass(glob, i, re);
        case '{' -> {
          if (inAlternates) throw new IllegalArgumentException("nested alternates");
          inAlternates = true;
          re.append("(?:");
        }
        case '}' -> {
          if (!inAlternates) throw new IllegalArgumentException("unopened alternates");
          inAlternates = false;
          re.append(')');
        }
        case ',' -> re.append(inAlternates ? "|" : ",");
        case '\\' -> {
          if (i + 1 >= n) throw new IllegalArgumentException("dangling escape");
          re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
        }
        default -> re.append(quote(c));
      }
    }
    if (inAlternates) throw new IllegalArgumentException("unclosed alternates");
    return re.toString();
  }

  /** Translates {@code [...]} starting at {@code open}; returns the index of its closing ']'. */
  private static int charClass(String glob, int open, StringBuilder re) {
    int i = open + 1;
    int n = glob.length();
    StringBuilder cls = new StringBuilder("[");
    if (i < n && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
      cls.append('^');
      i++;
    }
    boolean first = true;
    for (; i < n; i++) {
      char c = glob.charAt(i);
      if (c == ']' && !first) {
        re.append(cls).append(']');
        return i;
      }
      first = false;
      if (c == '-' && cls.length() > 1 && i + 1 < n && glob.charAt(i + 1) != ']') {
        cls.append('-');
      } else {
        // Only the characters special inside a Java class are escaped ("\\d" would be a digit class).
        if ("\\[]^-&".indexOf(c) >= 0) cls.append('\\');
        cls.append(c);
      }
    }
    throw new IllegalArgumentException("unclosed character class");
  }

  private static String quote(char c) {
    return "\\^$.|+()[]{}".indexOf(c) >= 0 ? "\\" + c : String.valueOf(c);
  }
}
