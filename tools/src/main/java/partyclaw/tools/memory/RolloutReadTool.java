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

/** {@code rollout_read}: the compacted messages around one event (tools.md §4.2). */
public final class RolloutReadTool implements Tool {
  static final String TURN_SEGMENT = "turn_segment";
  static final String WINDOW = "window";
  static final long DEFAULT_SPAN = 3;

  @Override
  public String name() {
    return "rollout_read";
  }

  @Override
  public String description() {
    return "Read compacted messages of one rollout around an event found with rollout_search. mode turn_segment "
        + "(default) returns the whole turn holding the event: from the user message that started it up to "
        + "the next user message. mode window returns `before` events before and `after` events after the "
        + "anchor (3 each by default). Events are returned raw; has_more_before/has_more_after say whether "
        + "the rollout goes on beyond them.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("rollout_id", "Rollout to read (from rollout_search or memory_search).")
        .integer("anchor_event_id", "event_id to read around.")
        .stringEnum("mode", "turn_segment (default) or window.", TURN_SEGMENT, WINDOW)
        .integer("before", "window mode: events before the anchor (default 3).")
        .integer("after", "window mode: events after the anchor (default 3).")
        .required("rollout_id", "anchor_event_id")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    String rolloutId = Args.requireNonEmpty(args, "rollout_id");
    long anchor = Args.optNonNegativeInt(args, "anchor_event_id")
        .orElseThrow(() -> new ToolException("missing required argument: anchor_event_id"));
    String mode = TURN_SEGMENT;
    if (Args.has(args, "mode")) {
      mode = Args.requireNonEmpty(args, "mode");
      if (!mode.equals(TURN_SEGMENT) && !mode.equals(WINDOW)) {
        throw new ToolException("mode must be turn_segment or window, not \"" + mode + "\"");
      }
    }
    int before = MemoryAccess.optInt(args, "before", DEFAULT_SPAN);
    int after = MemoryAccess.optInt(args, "after", DEFAULT_SPAN);
    ConversationMemory memory = MemoryAccess.of(ctx);
    String m = mode;
    return MemoryAccess.read(() -> memory.rolloutRead(rolloutId, anchor, m, before, after));
  }
}
