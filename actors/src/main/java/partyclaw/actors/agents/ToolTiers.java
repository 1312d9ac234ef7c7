package partyclaw.actors.agents;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import partyclaw.actors.ConversationRuntime;
import partyclaw.core.llm.ToolSpec;
import partyclaw.core.util.WeakIdentityCache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import partyclaw.core.tool.Tool;

/** Which of the daemon's tools each tier of agent is offered (tools.md §2). */
public final class ToolTiers {
  /** Host tools (tools.md §4): sub-agents get none of them. */
  static final Set<String> HOST_TOOLS = Set.of("user_tell", "update_plan", "shared_profile_upload",
      "subagent_start", "subagent_join", "subagent_kill", "get_agent_stats", "start_background_agent", "terminate",
      "background_agents_list", "workspaces_list", "workspace_content_list", "workspace_mount",
      "workspace_content_move", "workpath_add", "workpath_modify", "workpath_remove", "memory_search",
      "rollout_search", "rollout_read", "create_cron_task", "update_cron_task", "remove_cron_task", "list_cron_tasks",
      "get_cron_task");
  static final String FOREGROUND_ONLY = "start_background_agent";
  static final String BACKGROUND_ONLY = "terminate";

  private ToolTiers() {}

  /** The main foreground agent: everything but {@code terminate}. */
  public static Map<String, Tool> foreground(Map<String, Tool> all) {
    return filtered(all, name -> !name.equals(BACKGROUND_ONLY));
  }

  /**
   * The tools of {@code tier}, and (below) their specs: computed once per node's tool registry, not per conversation.
   * Every conversation asks for them, and building the specs builds each tool's JSON schema: with 10,000
   * conversations in memory that was about 250 KB each.
   */
  public static Map<String, Tool> of(AgentTier tier, Map<String, Tool> all) {
    return tierOf(tier, all).tools();
  }

  public static List<ToolSpec> specs(AgentTier tier, Map<String, Tool> all) {
    return tierOf(tier, all).specs();
  }

  private record Tier(Map<String, Tool> tools, List<ToolSpec> specs) {}

  private static final WeakIdentityCache<Map<String, Tool>, Map<AgentTier, Tier>> TIERS = new WeakIdentityCache<>();

  private static Tier tierOf(AgentTier tier, Map<String, Tool> all) {
    return TIERS.computeIfAbsent(all, a -> new ConcurrentHashMap<>()).computeIfAbsent(tier, t -> {
      Map<String, Tool> tools = switch (t) {
        case SUB_AGENT -> filtered(all, name -> !HOST_TOOLS.contains(name));
        case BACKGROUND -> filtered(all, name -> !name.equals(FOREGROUND_ONLY));
      };
      return new Tier(tools, ConversationRuntime.specsOf(tools));
    });
  }

  private static Map<String, Tool> filtered(Map<String, Tool> all, java.util.function.Predicate<String> keep) {
    Map<String, Tool> kept = new LinkedHashMap<>();
    all.forEach((name, tool) -> {
      if (keep.test(name)) kept.put(name, tool);
    });
    return java.util.Collections.unmodifiableMap(kept);
  }
}
