package partyclaw.core.skills;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One skill: the front matter of its {@code SKILL.md} plus the whole text (runtime.md §5). The front matter
 * is the reference's line-based {@code key: value} block between two {@code ---} lines, not YAML. Unlike the
 * reference, name and description are validated, so a skill that would bloat or break the system prompt is
 * refused with a message naming the file and the field.
 */
public record SkillManifest(String name, String description, Path dir, Path file, String content) {
  public static final int MAX_NAME_LENGTH = 64;
  public static final int MAX_DESCRIPTION_LENGTH = 1024;
  /** The name rule in words, as the error messages state it. */
  public static final String NAME_RULE = "must be 1-" + MAX_NAME_LENGTH + " characters of a-z, 0-9 and '-'";

  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1," + MAX_NAME_LENGTH + "}");
  private static final String FENCE = "---";
  /** Longest value quoted back in an error, so one bad line cannot flood the message. */
  private static final int QUOTED_LIMIT = 80;

  /** True if {@code name} is a valid skill name (also a safe single path component: no dots, no separators). */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** Reads and parses {@code skillMd}; the directory holding it is the skill's directory. */
  public static SkillManifest parse(Path skillMd) {
    String text;
    try {
      text = Files.readString(skillMd, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new SkillException(skillMd + ": is not valid UTF-8 text", e);
    } catch (IOException e) {
      throw new SkillException(skillMd + ": cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
    return parse(skillMd, text);
  }

  /** Parses already-read text of {@code skillMd}; the path names the skill's directory and appears in errors. */
  public static SkillManifest parse(Path skillMd, String content) {
    String[] lines = content.split("\n", -1);
    if (lines.length > 0 && lines[0].startsWith("\uFEFF")) lines[0] = lines[0].substring(1);
    if (!lines[0].strip().equals(FENCE)) {
      throw new SkillException(skillMd + ": front matter missing: the first line must be ---");
    }
    String name = null;
    String description = null;
    boolean closed = false;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.equals(FENCE)) {
        closed = true;
        break;
      }
      if (line.isEmpty() || line.startsWith("#")) continue;
      int colon = line.indexOf(':');
      if (colon < 0) continue; // the reference ignores lines that are not key: value
      String key = unquote(line.substring(0, colon).strip());
      String value = unquote(line.substring(colon + 1).strip());
      if (key.equals("name")) {
        name = value;
      } else if (key.equals("description")) {
        description = value;
      }
    }
    if (!closed) throw new SkillException(skillMd + ": front matter is not closed: no --- line after the first");

    Path dir = skillMd.toAbsolutePath().getParent();
    if (name == null || name.isEmpty()) {
      String dirName = dir == null || dir.getFileName() == null ? "" : dir.getFileName().toString();
      if (!isValidName(dirName)) {
        throw new SkillException(skillMd + ": name is missing and the directory name " + quote(dirName) + " "
            + NAME_RULE + "; add a name field");
      }
      name = dirName;
    } else if (!isValidName(name)) {
      throw new SkillException(skillMd + ": name " + quote(name) + " " + NAME_RULE);
    }
    if (description == null || description.isEmpty()) {
      throw new SkillException(skillMd + ": description is missing or empty");
    }
    if (isBlockScalar(description)) {
      throw new SkillException(skillMd + ": description uses a multi-line YAML block (" + description
          + "), which is not supported; write it on the description line itself");
    }
    int length = description.codePointCount(0, description.length());
    if (length > MAX_DESCRIPTION_LENGTH) {
      throw new SkillException(skillMd + ": description is " + length + " characters; at most "
          + MAX_DESCRIPTION_LENGTH + " are allowed");
    }
    return new SkillManifest(name, description, dir, skillMd, content);
  }

  private static String unquote(String s) {
    if (s.length() >= 2) {
      char first = s.charAt(0);
      if ((first == '"' || first == '\'') && s.charAt(s.length() - 1) == first) return s.substring(1, s.length() - 1);
    }
    return s;
  }

  private static boolean isBlockScalar(String value) {
    return value.matches("[|>][+-]?");
  }

  private static String quote(String value) {
    String shown = value.length() > QUOTED_LIMIT ? value.substring(0, QUOTED_LIMIT) + "..." : value;
    return "\"" + shown + "\"";
  }
}
