package partyclaw.tools.skills;

import com.fasterxml.jackson.databind.JsonNode;
import partyclaw.core.skills.SkillManifest;
import partyclaw.core.tool.ToolException;
import partyclaw.tools.support.Args;

/** The {@code skill_name} argument of the skill tools. */
final class SkillNameArg {
  static final String KEY = "skill_name";

  private SkillNameArg() {}

  /** The trimmed name, as given; {@code skill_load} looks it up without further rules. */
  static String read(JsonNode args) throws ToolException {
    return Args.requireString(args, KEY).strip();
  }

  /**
   * A name that may become a directory in the store: one path component, and the skill name rule (which
   * already excludes dots and separators; the first two checks only make the message say what is wrong).
   */
  static String readStorable(JsonNode args) throws ToolException {
    String name = read(args);
    if (name.equals(".") || name.equals("..")) {
      throw new ToolException(KEY + " \"" + name + "\" must be a single directory name, not . or ..");
    }
    if (name.contains("/") || name.contains("\\")) {
      throw new ToolException(KEY + " \"" + name + "\" must be a single directory name, without / or \\");
    }
    if (!SkillManifest.isValidName(name)) {
      throw new ToolException(KEY + " \"" + name + "\" " + SkillManifest.NAME_RULE);
    }
    return name;
  }
}
