package partyclaw.actors.conversation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import partyclaw.actors.conversation.ConversationState.Turn;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;

/** Keeps the transcript valid when the model or the process misbehaves: unique call ids, a result for every call. */
final class TranscriptRepairs {
  private TranscriptRepairs() {}

  static String cancelledResult(ToolCall call, String reason) {
    return Json.pretty(Json.object()
        .put("error", "tool call was cancelled: " + reason)
        .put("tool", call.name())
        .put("cancelled", true));
  }

  /** Models sometimes omit or repeat call ids (within a reply or from an earlier turn); results need unique ones. */
  static ChatMessage withCallIds(ChatMessage message, Turn turn, List<ChatMessage> transcript) {
    if (!message.hasToolCalls()) return message;
    // unique across the whole transcript: a result is paired with the one call of its id, whatever the turn
    Set<String> seen = new HashSet<>();
    for (ChatMessage earlier : transcript) earlier.toolCalls().forEach(c -> seen.add(c.id()));
    List<ToolCall> calls = new ArrayList<>();
    int i = 0;
    for (ToolCall c : message.toolCalls()) {
      String id = c.id();
      if (id == null || id.isBlank() || !seen.add(id)) {
        id = "call_" + turn.turnId().substring(0, 8) + "_" + turn.round() + "_" + i;
        seen.add(id);
      }
      calls.add(new ToolCall(id, c.name() == null ? "" : c.name(), c.arguments() == null ? "" : c.arguments()));
      i++;
    }
    return new ChatMessage(message.role(), message.content(), calls, message.toolCallId(), message.name());
  }

  static String lostResult(ToolCall call) {
    return Json.pretty(Json.object()
        .put("error", "tool call was lost: the daemon stopped while it ran, so its result is unknown."
            + " Check the current state (files, processes) before repeating it.")
        .put("tool", call.name())
        .put("lost", true));
  }

  static String describe(Throwable error) {
    Throwable t = partyclaw.core.util.Failures.unwrap(error);
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
