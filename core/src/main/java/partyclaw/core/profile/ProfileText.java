package partyclaw.core.profile;

import java.util.List;
import java.util.stream.Collectors;

/** What of the profile files enters the system prompt (runtime.md §4.6). */
public final class ProfileText {
  private ProfileText() {}

  /**
   * IDENTITY.md without its instruction lines (lines whose first character is {@code #}), trimmed. Markdown
   * headings count as instructions too, which the template says.
   */
  public static String identity(String identityMd) {
    if (identityMd == null) return "";
    return identityMd.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n")).strip();
  }

  /**
   * The YAML front matter of USER.md: the lines between an opening {@code ---} (the first non-blank line)
   * and the next {@code ---} line, trimmed. "" when the file has no complete front matter; the body is
   * never used, so a {@code ---} rule in the body does not count.
   */
  public static String userMeta(String userMd) {
    if (userMd == null) return "";
    List<String> lines = userMd.strip().lines().toList();
    if (lines.isEmpty() || !isFence(lines.get(0))) return "";
    for (int i = 1; i < lines.size(); i++) {
      if (isFence(lines.get(i))) return String.join("\n", lines.subList(1, i)).strip();
    }
    return "";
  }

  private static boolean isFence(String line) {
    return line.strip().equals("---");
  }
}
