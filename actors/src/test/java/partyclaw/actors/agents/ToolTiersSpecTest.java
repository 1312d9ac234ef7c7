package partyclaw.actors.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.config.ConfigLoader;
import partyclaw.core.config.Environment;
import partyclaw.core.config.PartyclawConfig;
import partyclaw.core.tool.Tool;
import partyclaw.tools.BuiltinTools;
import partyclaw.tools.WebTooling;
import partyclaw.tools.exec.ExecRun;
import partyclaw.tools.web.WebSearchBackends;

/**
 * The tool list each tier is offered, against the table of spec/tools.md §2 (for the tools this build has; the
 * multimodal ones belong to another issue): FG everything but terminate, BG everything but start_background_agent,
 * SUB none of the host tools; web_search only when a search backend resolves, the memory tools only in layered mode.
 */
class ToolTiersSpecTest {
  @TempDir Path workdir;

  /** §2 rows of AgentFrame tools: every tier gets them. */
  static final Set<String> ALL_TIERS = Set.of("file_read", "file_write", "edit", "apply_patch", "glob", "grep", "ls",
      "exec_start", "exec_observe", "exec_wait", "exec_kill", "dsl_start", "dsl_wait", "dsl_kill",
      "file_download_start", "file_download_progress", "file_download_wait", "file_download_cancel", "web_fetch",
      "skill_load", "skill_create", "skill_update");
  /** §2 rows of host tools offered to FG and BG only. */
  static final Set<String> MAIN_ONLY = Set.of("workspaces_list", "workspace_content_list", "workspace_mount",
      "workspace_content_move", "workpath_add", "workpath_modify", "workpath_remove", "shared_profile_upload",
      "user_tell", "update_plan", "subagent_start", "subagent_kill", "subagent_join", "list_cron_tasks",
      "get_cron_task", "create_cron_task", "update_cron_task", "remove_cron_task", "background_agents_list",
      "get_agent_stats");
  static final Set<String> MEMORY = Set.of("memory_search", "rollout_search", "rollout_read");

  static WebSearchBackends search(boolean configured) {
    String tooling = configured ? ", \"tooling\": {\"web_search\": \"s\"}" : "";
    PartyclawConfig cfg = ConfigLoader.parse("""
        {"version": "0.21",
         "models": {"m": {"type": "openrouter", "model": "x", "capabilities": ["chat"]},
                    "s": {"type": "openrouter", "model": "perplexity/sonar", "capabilities": ["chat", "web_search"]}}
         %s,
         "main_agent": {}, "channels": [{"kind": "command_line", "id": "cli"}]}
        """.formatted(tooling), Path.of("."), Environment.of(Map.of()), "test");
    return WebSearchBackends.of(cfg, Environment.of(Map.of()));
  }

  Set<String> expected(String tier, boolean searchConfigured, boolean layered) {
    Set<String> out = new TreeSet<>(ALL_TIERS);
    if (searchConfigured) out.add("web_search");
    if (!tier.equals("SUB")) {
      out.addAll(MAIN_ONLY);
      if (layered) out.addAll(MEMORY);
    }
    if (tier.equals("FG")) out.add("start_background_agent");
    if (tier.equals("BG")) out.add("terminate");
    return out;
  }

  @Test
  void eachTierIsOfferedExactlyTheSpecsRows() {
    ExecRun run = ExecRun.start(workdir);
    for (boolean searchConfigured : List.of(true, false)) {
      for (boolean layered : List.of(true, false)) {
        try (WebTooling web = WebTooling.create(search(searchConfigured))) {
          Map<String, Tool> all = BuiltinTools.byName(run, layered, web);
          String when = "search " + searchConfigured + ", layered " + layered;
          assertEquals(expected("FG", searchConfigured, layered), new TreeSet<>(ToolTiers.foreground(all).keySet()),
              "FG, " + when);
          assertEquals(expected("BG", searchConfigured, layered),
              new TreeSet<>(ToolTiers.of(AgentTier.BACKGROUND, all).keySet()), "BG, " + when);
          assertEquals(expected("SUB", searchConfigured, layered),
              new TreeSet<>(ToolTiers.of(AgentTier.SUB_AGENT, all).keySet()), "SUB, " + when);
          List<String> order = List.copyOf(ToolTiers.foreground(all).keySet());
          assertEquals(order.stream().sorted().toList(), order, "offered in name order");
        }
      }
    }
  }
}
