package partyclaw.tools.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import partyclaw.core.memory.ConversationMemory;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/** {@code rollout_search}: find messages that compaction removed from the context (tools.md §4.2). */
public final class RolloutSearchTool implements Tool {

  @Override
  public String name() {
    return "rollout_search";
  }

  @Override
  public String description() {
    return "Search the original messages that were compacted out of your context. Each compaction keeps the "
        + "messages it replaced, verbatim, as a rollout: user messages, your replies and tool calls, tool "
        + "results and system notices, numbered by event_id. None of it is in your context unless you fetch it. "
        + "Case-insensitive substring match on each event's JSON; rollouts are searched newest first. Returns "
        + "rollout_id and event_id per match (truncated:true when more matched than limit); read the "
        + "surrounding messages with rollout_read.";
  }

  @Override
  public ObjectNode parameters() {
    ObjectNode schema = Schema.object()
        .string("query", "Text to look for (case-insensitive substring).")
        .string("rollout_id", "Search only this rollout (from memory_search or an earlier match).")
        .integer("limit", "Maximum number of matches (default 10).")
        .required("query")
        .build();
    ObjectNode kinds = ((ObjectNode) schema.get("properties")).putObject("kinds");
    kinds.put("type", "array");
    kinds.putObject("items").put("type", "string");
    kinds.put("description",
        "Only these event kinds: user_message, assistant_message, tool_result, system_message.");
    return schema;
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    String query = Args.requireNonEmpty(args, "query");
    String rolloutId = Args.has(args, "rollout_id") ? Args.requireNonEmpty(args, "rollout_id") : null;
    List<String> kinds = MemoryAccess.optStrings(args, "kinds");
    int limit = MemoryAccess.optInt(args, "limit", MemoryAccess.DEFAULT_LIMIT);
    ConversationMemory memory = MemoryAccess.of(ctx);
    return MemoryAccess.read(() -> memory.rolloutSearch(query, rolloutId, kinds, limit));
  }
}
