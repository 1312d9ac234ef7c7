package partyclaw.core.memory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;
import partyclaw.core.transcript.ToolCall;

/** The {@code rollout_transcript.jsonl} event shape (runtime.md §4.4): one event per summarised message. */
final class RolloutEvents {
  private RolloutEvents() {}

  static String kindOf(Role role) {
    return switch (role) {
      case USER -> "user_message";
      case ASSISTANT -> "assistant_message";
      case TOOL -> "tool_result";
      case SYSTEM -> "system_message";
    };
  }

  /** Every key is always present (null when the message has no such part), so events have one shape. */
  static ObjectNode event(long eventId, Rollout rollout, ChatMessage m) {
    ObjectNode e = Json.object();
    e.put("event_id", eventId);
    e.put("timestamp", rollout.createdAt().toString());
    e.put("kind", kindOf(m.role()));
    e.put("role", m.role().wire());
    e.put("name", m.name());
    e.put("tool_call_id", m.toolCallId());
    if (m.hasToolCalls()) {
      e.set("tool_calls", toolCalls(m.toolCalls()));
    } else {
      e.putNull("tool_calls");
    }
    e.put("content", m.content());
    return e;
  }

  /** The whole transcript file: compact JSON, one event a line, event ids from 1. */
  static String transcript(Rollout rollout) {
    StringBuilder sb = new StringBuilder();
    long id = 1;
    for (ChatMessage m : rollout.messages()) {
      sb.append(Json.write(event(id++, rollout, m))).append('\n');
    }
    return sb.toString();
  }

  private static ArrayNode toolCalls(List<ToolCall> calls) {
    ArrayNode arr = Json.MAPPER.createArrayNode();
    for (ToolCall c : calls) {
      ObjectNode o = arr.addObject();
      o.put("id", c.id());
      o.put("name", c.name());
      o.put("arguments", c.arguments());
    }
    return arr;
  }
}
