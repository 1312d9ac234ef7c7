package partyclaw.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.config.ConfigLoader;
import partyclaw.core.config.Environment;
import partyclaw.core.config.PartyclawConfig;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.exec.ExecRun;
import partyclaw.tools.web.WebSearchBackends;

class BuiltinToolsTest {
  @TempDir Path workdir;
  ExecRun run;
  WebTooling web;

  @BeforeEach
  void startRun() {
    run = ExecRun.start(workdir);
    web = WebTooling.create(searchConfigured());
  }

  @AfterEach
  void stop() {
    web.close();
  }

  static WebSearchBackends searchConfigured() {
    PartyclawConfig cfg = ConfigLoader.parse("""
        {"version": "0.21",
         "models": {"m": {"type": "openrouter", "model": "x", "capabilities": ["chat"]},
                    "s": {"type": "openrouter", "model": "perplexity/sonar", "capabilities": ["chat", "web_search"]}},
         "tooling": {"web_search": "s"},
         "main_agent": {}, "channels": [{"kind": "command_line", "id": "cli"}]}
        """, Path.of("."), Environment.of(java.util.Map.of()), "test");
    return WebSearchBackends.of(cfg, Environment.of(java.util.Map.of()));
  }

  @Test
  void everyToolSortedByNameWithMemoryToolsOnlyInLayeredMode() {
    List<String> names = BuiltinTools.all(run, true, web).stream().map(Tool::name).toList();
    assertEquals(List.of("apply_patch", "background_agents_list", "create_cron_task", "dsl_kill", "dsl_start",
        "dsl_wait", "edit", "exec_kill",
        "exec_observe", "exec_start",
        "exec_wait", "file_download_cancel", "file_download_progress", "file_download_start", "file_download_wait",
        "file_read", "file_write", "get_agent_stats", "get_cron_task", "glob", "grep", "list_cron_tasks", "ls",
        "memory_search", "remove_cron_task", "rollout_read", "rollout_search", "shared_profile_upload",
        "skill_create", "skill_load", "skill_update", "start_background_agent", "subagent_join", "subagent_kill",
        "subagent_start", "terminate", "update_cron_task", "update_plan", "user_tell",
        "web_fetch", "web_search",
        "workpath_add", "workpath_modify", "workpath_remove",
        "workspace_content_list", "workspace_content_move", "workspace_mount", "workspaces_list"), names);
    assertEquals(names, List.copyOf(BuiltinTools.byName(run, true, web).keySet()));
    List<String> withoutMemory = BuiltinTools.all(run, false, web).stream().map(Tool::name).toList();
    assertEquals(names.stream().filter(n -> !Set.of("memory_search", "rollout_read", "rollout_search").contains(n))
        .toList(), withoutMemory);
  }

  @Test
  void webSearchIsOfferedOnlyWhenSomeModelResolvesASearchBackend() {
    try (WebTooling none = WebTooling.create(null)) {
      List<String> names = BuiltinTools.all(run, true, none).stream().map(Tool::name).toList();
      assertTrue(names.contains("web_fetch"));
      assertFalse(names.contains("web_search"));
    }
  }

  @Test
  void modesFollowTheSpec() {
    Set<String> interruptible = Set.of("exec_start", "exec_wait", "subagent_join", "file_download_start",
        "file_download_wait", "web_fetch", "web_search", "dsl_start", "dsl_wait");
    for (Tool t : BuiltinTools.all(run, true, web)) {
      assertEquals(interruptible.contains(t.name()) ? ToolMode.INTERRUPTIBLE : ToolMode.IMMEDIATE, t.mode(), t.name());
    }
  }

  @Test
  void schemasAreClosedObjectsWhoseRequiredKeysAreDeclared() {
    for (Tool t : BuiltinTools.all(run, true, web)) {
      ObjectNode s = t.parameters();
      assertEquals("object", s.get("type").asText(), t.name());
      assertFalse(s.get("additionalProperties").asBoolean(), t.name());
      JsonNode props = s.get("properties");
      for (JsonNode r : s.get("required")) assertTrue(props.has(r.asText()), t.name() + " requires " + r);
      assertFalse(t.description().isBlank());
      assertFalse(t.description().startsWith("Execution mode"), "the prefix is added by the runtime");
    }
  }
}
