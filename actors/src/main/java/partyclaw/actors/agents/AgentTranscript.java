package partyclaw.actors.agents;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;
import partyclaw.core.transcript.ToolCall;

/**
 * Keeps an agent's transcript valid when the model or the process misbehaves: unique call ids, and a result for
 * every call (the agent-side twin of the conversation's transcript repairs).
 */
final class AgentTranscript {
  static final String EMPTY_REPLY_NUDGE =
      "[System Notice] Your last reply was empty. Give your final answer now.";

  private AgentTranscript() {}

  /**
   * Models sometimes omit or repeat call ids (within a reply or from an earlier round); a result is paired with the
   * one call of its id, so ids are made unique across the whole transcript.
   */
  static ChatMessage withCallIds(ChatMessage message, int round, List<ChatMessage> transcript) {
    if (!message.hasToolCalls()) return message;
    Set<String> seen = new HashSet<>();
    for (ChatMessage earlier : transcript) earlier.toolCalls().forEach(c -> seen.add(c.id()));
    List<ToolCall> calls = new ArrayList<>();
    int i = 0;
    for (ToolCall c : message.toolCalls()) {
      String id = c.id();
      if (id == null || id.isBlank() || !seen.add(id)) {
        String base = "call_agent_" + round + "_" + i;
        id = base;
        for (int n = 2; !seen.add(id); n++) id = base + "_" + n;
      }
      calls.add(new ToolCall(id, c.name() == null ? "" : c.name(), c.arguments() == null ? "" : c.arguments()));
      i++;
    }
    return new ChatMessage(message.role(), message.content(), calls, message.toolCallId(), message.name());
  }

  /**
   * Results for the calls of the transcript's last assistant message that have none, in call order: a transcript
   * journaled by a parent that crashed mid-round, resumed here. Only a trailing round can be repaired by appending
   * (results must follow their call directly); empty for a paired transcript.
   */
  static List<ChatMessage> lostResults(List<ChatMessage> transcript) {
    Set<String> answered = new HashSet<>();
    for (int i = transcript.size() - 1; i >= 0; i--) {
      ChatMessage m = transcript.get(i);
      if (m.role() == Role.TOOL) {
        answered.add(m.toolCallId());
        continue;
      }
      if (m.role() != Role.ASSISTANT || !m.hasToolCalls()) return List.of();
      List<ChatMessage> lost = new ArrayList<>();
      for (ToolCall call : m.toolCalls()) {
        if (answered.add(call.id())) lost.add(ChatMessage.toolResult(call, lostResult(call)));
      }
      return lost;
    }
    return List.of();
  }

  static String lostResult(ToolCall call) {
    return Json.pretty(Json.object()
        .put("error", "tool call was lost: the agent stopped while it ran, so its result is unknown."
            + " Check the current state (files, processes) before repeating it.")
        .put("tool", call.name())
        .put("lost", true));
  }
}
