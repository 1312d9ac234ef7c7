package partyclaw.tools;

import partyclaw.tools.media.MediaTooling;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import partyclaw.core.tool.Tool;
import partyclaw.tools.agents.BackgroundAgentsListTool;
import partyclaw.tools.agents.GetAgentStatsTool;
import partyclaw.tools.agents.StartBackgroundAgentTool;
import partyclaw.tools.agents.TerminateTool;
import partyclaw.tools.agents.SubagentJoinTool;
import partyclaw.tools.agents.SubagentKillTool;
import partyclaw.tools.agents.SubagentStartTool;
import partyclaw.tools.cron.CreateCronTaskTool;
import partyclaw.tools.cron.GetCronTaskTool;
import partyclaw.tools.cron.ListCronTasksTool;
import partyclaw.tools.cron.RemoveCronTaskTool;
import partyclaw.tools.cron.UpdateCronTaskTool;
import partyclaw.tools.exec.ExecKillTool;
import partyclaw.tools.exec.ExecObserveTool;
import partyclaw.tools.exec.ExecRun;
import partyclaw.tools.exec.ExecStartTool;
import partyclaw.tools.exec.ExecWaitTool;
import partyclaw.tools.file.ApplyPatchTool;
import partyclaw.tools.file.EditTool;
import partyclaw.tools.file.FileReadTool;
import partyclaw.tools.file.FileWriteTool;
import partyclaw.tools.memory.MemorySearchTool;
import partyclaw.tools.memory.RolloutReadTool;
import partyclaw.tools.memory.RolloutSearchTool;
import partyclaw.tools.plan.UpdatePlanTool;
import partyclaw.tools.profile.SharedProfileUploadTool;
import partyclaw.tools.search.GlobTool;
import partyclaw.tools.search.GrepTool;
import partyclaw.tools.search.LsTool;
import partyclaw.tools.skills.SkillCreateTool;
import partyclaw.tools.skills.SkillLoadTool;
import partyclaw.tools.skills.SkillUpdateTool;
import partyclaw.tools.user.UserTellTool;
import partyclaw.tools.workspace.WorkspaceContentListTool;
import partyclaw.tools.workspace.WorkspaceContentMoveTool;
import partyclaw.tools.workspace.WorkspaceMountTool;
import partyclaw.tools.workspace.WorkspacesListTool;

/** The built-in tools of this module, in the order they are offered to the model: by name (tools.md §1.1). */
public final class BuiltinTools {
  private BuiltinTools() {}

  /**
   * Every built-in tool, sorted by name; the exec tools record and mark their processes as {@code run}'s. The
   * memory tools exist only with layered memory (tools.md §4.2); {@code web} brings web_fetch, the download tools and,
   * when configured, web_search.
   */
  public static List<Tool> all(ExecRun run, boolean layeredMemory, WebTooling web) {
    return all(run, layeredMemory, web, MediaTooling.none());
  }

  /** As above, with the media tools the config routes (tools.md §3.5). */
  public static List<Tool> all(ExecRun run, boolean layeredMemory, WebTooling web, MediaTooling media) {
    Stream<Tool> memory = layeredMemory
        ? Stream.of(new MemorySearchTool(), new RolloutSearchTool(), new RolloutReadTool())
        : Stream.empty();
    return Stream.concat(Stream.<Tool>of(
            new FileReadTool(), new FileWriteTool(), new EditTool(), new ApplyPatchTool(),
            new GlobTool(), new GrepTool(), new LsTool(),
            new ExecStartTool(run), new ExecObserveTool(run), new ExecWaitTool(run), new ExecKillTool(run),
            new UserTellTool(), new SharedProfileUploadTool(), new UpdatePlanTool(),
            new SkillLoadTool(), new SkillCreateTool(), new SkillUpdateTool(),
            new WorkspacesListTool(), new WorkspaceContentListTool(), new WorkspaceMountTool(),
            new WorkspaceContentMoveTool(),
            new CreateCronTaskTool(), new UpdateCronTaskTool(), new RemoveCronTaskTool(), new ListCronTasksTool(),
            new GetCronTaskTool(),
            new SubagentStartTool(), new SubagentJoinTool(), new SubagentKillTool(), new GetAgentStatsTool(),
            new StartBackgroundAgentTool(), new TerminateTool(), new BackgroundAgentsListTool()),
            Stream.concat(Stream.concat(memory, web.tools().stream()), media.tools().stream()))
        .sorted(Comparator.comparing(Tool::name))
        .toList();
  }

  /** Name → tool, iterating in name order. */
  public static Map<String, Tool> byName(ExecRun run, boolean layeredMemory, WebTooling web) {
    return byName(run, layeredMemory, web, MediaTooling.none());
  }

  public static Map<String, Tool> byName(ExecRun run, boolean layeredMemory, WebTooling web, MediaTooling media) {
    Map<String, Tool> m = new LinkedHashMap<>();
    for (Tool t : all(run, layeredMemory, web, media)) m.put(t.name(), t);
    return Collections.unmodifiableMap(m);
  }
}
