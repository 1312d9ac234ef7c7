package partyclaw.tools.file;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the file names a unified or git diff touches, so the patch can be checked against the workspace
 * before git sees it, and tells whether the diff uses git's {@code a/}/{@code b/} prefixes.
 */
final class PatchPaths {
  /** One header path: which header it came from and the name as written (unquoted, timestamp removed). */
  record Header(String kind, String path) {}

  private PatchPaths() {}

  static List<Header> headers(String patch) {
    List<Header> out = new ArrayList<>();
    String[] lines = patch.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = chomp(lines[i]);
      // A removed line "-- x" looks like "--- x" inside a hunk; a real header is always a ---/+++ pair.
      if (line.startsWith("--- ") && i + 1 < lines.length && chomp(lines[i + 1]).startsWith("+++ ")) {
        out.add(new Header("---", headerName(line.substring(4))));
        out.add(new Header("+++", headerName(chomp(lines[i + 1]).substring(4))));
        i++;
      } else if (line.startsWith("diff --git ")) {
        gitHeader(line.substring(11), out);
      } else if (line.startsWith("rename from ") || line.startsWith("copy from ")) {
        out.add(new Header("from", unquote(line.substring(line.indexOf("from ") + 5))));
      } else if (line.startsWith("rename to ") || line.startsWith("copy to ")) {
        out.add(new Header("to", unquote(line.substring(line.indexOf("to ") + 3))));
      }
    }
    return out;
  }

  /** {@code diff --git a/x b/y}: split at " b/" when unambiguous; quoted names are split at the quotes. */
  private static void gitHeader(String rest, List<Header> out) {
    String a;
    String b;
    if (rest.startsWith("\"")) {
      int close = rest.indexOf("\" ", 1);
      if (close < 0) return;
      a = unquote(rest.substring(0, close + 1));
      b = unquote(rest.substring(close + 2));
    } else {
      int split = rest.indexOf(" b/");
      if (split < 0 || rest.indexOf(" b/", split + 1) >= 0) {
        split = rest.indexOf(' ');
        if (split < 0 || rest.indexOf(' ', split + 1) >= 0) return;
      }
      a = rest.substring(0, split);
      b = unquote(rest.substring(split + 1));
    }
    out.add(new Header("---", a));
    out.add(new Header("+++", b));
  }

  private static String chomp(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  /**
   * Git diffs name files {@code a/x} and {@code b/x}; plain {@code diff -u} output does not. The diff is
   * treated as prefixed (strip 1) when every ---/+++ name other than /dev/null carries its prefix.
   */
  static int detectStrip(List<Header> headers) {
    boolean any = false;
    for (Header h : headers) {
      if (isDevNull(h.path())) continue;
      if (h.kind().equals("---")) {
        if (!h.path().startsWith("a/")) return 0;
        any = true;
      } else if (h.kind().equals("+++")) {
        if (!h.path().startsWith("b/")) return 0;
        any = true;
      }
    }
    return any ? 1 : 0;
  }

  /** The path git will touch for a header under {@code -p<strip>}, or null for /dev/null. */
  static String stripped(Header h, int strip) {
    if (isDevNull(h.path())) return null;
    // rename/copy lines are already relative to the tree root in git's format: no prefix to strip.
    if (h.kind().equals("from") || h.kind().equals("to")) return h.path();
    String p = h.path();
    for (int i = 0; i < strip; i++) {
      int slash = p.indexOf('/');
      if (slash < 0) return p;
      p = p.substring(slash + 1);
      while (p.startsWith("/")) p = p.substring(1);
    }
    return p;
  }

  static boolean isDevNull(String p) {
    return p.equals("/dev/null");
  }

  private static String headerName(String rest) {
    if (rest.startsWith("\"")) return unquote(rest);
    // diff -u appends "\t<timestamp>" to each name.
    int tab = rest.indexOf('\t');
    return tab >= 0 ? rest.substring(0, tab) : rest;
  }

  /** Undoes git's C-style quoting of unusual file names ({@code "a/sp ace\tx"}); octal escapes are UTF-8 bytes. */
  static String unquote(String s) {
    if (!s.startsWith("\"")) return s;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') break;
      if (c == '\\' && i + 1 < s.length()) {
        char e = s.charAt(++i);
        switch (e) {
          case 'n' -> bytes.write('\n');
          case 't' -> bytes.write('\t');
          case 'a' -> bytes.write(7);
          case 'b' -> bytes.write('\b');
          case 'f' -> bytes.write('\f');
          case 'r' -> bytes.write('\r');
          case 'v' -> bytes.write(11);
          default -> {
            if (e >= '0' && e <= '7' && i + 2 < s.length()) {
              bytes.write(Integer.parseInt(s.substring(i, i + 3), 8));
              i += 2;
            } else {
              bytes.write(e);
            }
          }
        }
      } else {
        int cp = s.codePointAt(i);
        bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp) - 1;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
