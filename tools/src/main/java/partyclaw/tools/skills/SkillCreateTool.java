package partyclaw.tools.skills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Schema;

/** {@code skill_create}: persist a skill staged in the workspace as a new skill in the global store (tools.md §3.6). */
public final class SkillCreateTool implements Tool {
  @Override
  public String name() {
    return "skill_create";
  }

  @Override
  public String description() {
    return "Save a new skill for every conversation: first write <workspace>/.skills/<skill_name>/SKILL.md (front "
        + "matter with name and description, then the instructions) and any references/, scripts/, assets/, then "
        + "call this. Fails if the skill exists; use skill_update then.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string(SkillNameArg.KEY, "Name of the staged skill: the directory under .skills/ and the name in its SKILL.md.")
        .required(SkillNameArg.KEY)
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    return SkillPersistence.persist(ctx, SkillNameArg.readStorable(args), false);
  }
}
