package partyclaw.tools;

import partyclaw.tools.media.MediaTooling;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import partyclaw.tools.dsl.DslKillTool;
import partyclaw.tools.dsl.DslModels;
import partyclaw.tools.dsl.DslRuntime;
import partyclaw.tools.dsl.DslStartTool;
import partyclaw.tools.dsl.DslWaitTool;
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
import partyclaw.tools.remote.WorkpathAddTool;
import partyclaw.tools.remote.WorkpathModifyTool;
import partyclaw.tools.remote.WorkpathRemoveTool;
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
    return all(run, layeredMemory, web, DslModels.none(), MediaTooling.none());
  }

  /**
   * As above; a script's {@code LLM()} calls the conversation's model through {@code models}, and {@code media}
   * brings the media tools the config routes (tools.md §3.5).
   */
  public static List<Tool> all(ExecRun run, boolean layeredMemory, WebTooling web, DslModels models,
      MediaTooling media) {
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
            new StartBackgroundAgentTool(), new TerminateTool(), new BackgroundAgentsListTool(),
            new WorkpathAddTool(), new WorkpathModifyTool(), new WorkpathRemoveTool()),
            Stream.of(memory, web.tools().stream(), dsl(run, web, models).stream(), media.tools().stream())
                .flatMap(x -> x))
        .sorted(Comparator.comparing(Tool::name))
        .toList();
  }

  /** The tools a DSL script may call (tools.md §3.3): the runtime's own, without host, skill or helper tools. */
  static final Set<String> DSL_CALLABLE = Set.of("file_read", "file_write", "edit", "apply_patch", "glob", "grep",
      "ls", "exec_start", "exec_observe", "exec_wait", "exec_kill", "file_download_start", "file_download_progress",
      "file_download_wait", "file_download_cancel", "web_fetch", "web_search");

  /**
   * dsl_start / dsl_wait / dsl_kill over a fresh registry of the callable tools (separate instances of the stateless
   * ones; the exec and download tools share the conversation's registries through the context's resources).
   */
  private static List<Tool> dsl(ExecRun run, WebTooling web, DslModels models) {
    Map<String, Tool> callable = new LinkedHashMap<>();
    Stream.concat(Stream.<Tool>of(new FileReadTool(), new FileWriteTool(), new EditTool(), new ApplyPatchTool(),
            new GlobTool(), new GrepTool(), new LsTool(), new ExecStartTool(run), new ExecObserveTool(run),
            new ExecWaitTool(run), new ExecKillTool(run)), web.tools().stream())
        .filter(t -> DSL_CALLABLE.contains(t.name()))
        .sorted(Comparator.comparing(Tool::name))
        .forEach(t -> callable.put(t.name(), t));
    Map<String, Tool> frozen = Collections.unmodifiableMap(callable);
    DslRuntime runtime = new DslRuntime(() -> frozen, models, web.web().http());
    return List.of(new DslStartTool(runtime), new DslWaitTool(), new DslKillTool(() -> frozen));
  }

  /** Name → tool, iterating in name order. */
  public static Map<String, Tool> byName(ExecRun run, boolean layeredMemory, WebTooling web) {
    return byName(run, layeredMemory, web, DslModels.none(), MediaTooling.none());
  }

  public static Map<String, Tool> byName(ExecRun run, boolean layeredMemory, WebTooling web, DslModels models,
      MediaTooling media) {
    Map<String, Tool> m = new LinkedHashMap<>();
    for (Tool t : all(run, layeredMemory, web, models, media)) m.put(t.name(), t);
    return Collections.unmodifiableMap(m);
  }
}
