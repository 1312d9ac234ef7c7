package partyclaw.tools.skills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import partyclaw.core.json.Json;
import partyclaw.core.skills.SkillCatalog;
import partyclaw.core.skills.SkillException;
import partyclaw.core.skills.SkillManifest;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Schema;

/**
 * {@code skill_load}: the full SKILL.md of an installed skill (tools.md §3.6). {@code skill_name} is a plain
 * string, not the reference's enum of current names, so the tool schema does not change (and grow) with
 * every skill added; an unknown name lists the installed ones instead.
 */
public final class SkillLoadTool implements Tool {
  @Override
  public String name() {
    return "skill_load";
  }

  @Override
  public String description() {
    return "Load a skill's full instructions (its SKILL.md) before using it. The installed skills and what each "
        + "is for are listed in the skills section of the system prompt.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string(SkillNameArg.KEY, "Name of the skill to load, as listed in the skills section.")
        .required(SkillNameArg.KEY)
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    String name = SkillNameArg.read(args);
    Path store = ctx.workdir().skillsStore();
    SkillCatalog catalog = SkillCatalog.discover(store);
    SkillManifest skill = catalog.find(name).orElseThrow(() -> unknown(name, store, catalog));
    ObjectNode out = Json.object();
    out.put("name", skill.name());
    out.put("description", skill.description());
    out.put("content", skill.content());
    return out;
  }

  private static ToolException unknown(String name, Path store, SkillCatalog catalog) {
    // A skill that is installed but broken deserves its own error rather than "unknown".
    if (SkillManifest.isValidName(name)) {
      Path file = store.resolve(name).resolve("SKILL.md");
      if (Files.isRegularFile(file)) {
        try {
          SkillManifest.parse(file);
        } catch (SkillException e) {
          return new ToolException("skill '" + name + "' is installed but invalid: " + e.getMessage());
        }
      }
    }
    String available = catalog.skills().isEmpty() ? "no skills are installed"
        : "available: " + String.join(", ", catalog.names());
    return new ToolException("unknown skill: " + name + "; " + available);
  }
}
