package partyclaw.tools.skills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Schema;

/** {@code skill_update}: replace an installed skill with the version staged in the workspace (tools.md §3.6). */
public final class SkillUpdateTool implements Tool {
  @Override
  public String name() {
    return "skill_update";
  }

  @Override
  public String description() {
    return "Replace an installed skill with the version staged at <workspace>/.skills/<skill_name>/. The whole "
        + "directory is replaced: files missing from the staged copy are removed from the skill.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string(SkillNameArg.KEY, "Name of the installed skill; its new version is staged under .skills/<skill_name>/.")
        .required(SkillNameArg.KEY)
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    return SkillPersistence.persist(ctx, SkillNameArg.readStorable(args), true);
  }
}
