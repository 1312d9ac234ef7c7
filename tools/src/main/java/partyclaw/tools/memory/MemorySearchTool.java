package partyclaw.tools.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.memory.ConversationMemory;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/** {@code memory_search}: the conversation's long-term memory layers (tools.md §4.2). */
public final class MemorySearchTool implements Tool {

  @Override
  public String name() {
    return "memory_search";
  }

  @Override
  public String description() {
    return "Search this conversation's long-term memory, which is written each time older messages are compacted "
        + "out of your context. Nothing from it is put into your context automatically: search it whenever "
        + "earlier work, decisions, preferences or facts may matter. Two layers: memory_summary (the most "
        + "recently used memory groups and the newest rollouts, each with a short summary and keywords) and "
        + "memory (durable conclusions filed under topic groups, with keywords and the ids of the rollouts "
        + "they came from). Case-insensitive substring match on the stored JSON; use short, specific words. "
        + "To see the original messages, pass a rollout id to rollout_search or rollout_read.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("query", "Text to look for (case-insensitive substring).")
        .integer("limit", "Maximum number of matches (default 10).")
        .required("query")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    String query = Args.requireNonEmpty(args, "query");
    int limit = MemoryAccess.optInt(args, "limit", MemoryAccess.DEFAULT_LIMIT);
    ConversationMemory memory = MemoryAccess.of(ctx);
    return MemoryAccess.read(() -> memory.search(query, limit));
  }
}
