package partyclaw.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;
import partyclaw.core.transcript.ToolCall;

/** Builds the OpenAI Chat Completions request body (streaming, with usage) from an endpoint and a request. */
final class ChatCompletionsRequestEncoder {

  private ChatCompletionsRequestEncoder() {}

  static ObjectNode encode(LlmEndpoint endpoint, ChatRequest request) {
    ObjectNode body = Json.object();
    body.put("model", endpoint.model());
    ArrayNode messages = body.putArray("messages");
    for (ChatMessage message : request.messages()) messages.add(message(message));
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolSpec tool : request.tools()) tools.add(tool(tool));
      body.put("tool_choice", "auto");
    }
    body.put("stream", true);
    body.putObject("stream_options").put("include_usage", true);
    JsonNode reasoning = reasoning(endpoint.reasoning(), request.reasoningEffort());
    if (reasoning != null) body.set("reasoning", reasoning);
    return body;
  }

  static ObjectNode message(ChatMessage message) {
    ObjectNode out = Json.object();
    out.put("role", message.role().wire());
    String content = message.content();
    if (message.role() == Role.ASSISTANT && message.hasToolCalls() && (content == null || content.isEmpty())) {
      // OpenAI expects an explicit null, not "", on a tool-calling turn without text
      out.putNull("content");
    } else {
      out.put("content", content == null ? "" : content);
    }
    if (message.hasToolCalls()) {
      ArrayNode calls = out.putArray("tool_calls");
      for (ToolCall call : message.toolCalls()) {
        ObjectNode entry = calls.addObject();
        entry.put("id", call.id()).put("type", "function");
        entry.putObject("function").put("name", call.name())
            .put("arguments", call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments());
      }
    }
    if (message.toolCallId() != null && !message.toolCallId().isEmpty()) out.put("tool_call_id", message.toolCallId());
    if (message.name() != null && !message.name().isEmpty()) out.put("name", message.name());
    return out;
  }

  private static ObjectNode tool(ToolSpec tool) {
    ObjectNode out = Json.object();
    out.put("type", "function");
    ObjectNode function = out.putObject("function");
    function.put("name", tool.name());
    if (tool.description() != null) function.put("description", tool.description());
    if (tool.parameters() != null && !tool.parameters().isNull()) {
      function.set("parameters", tool.parameters());
    } else {
      function.putObject("parameters").put("type", "object").putObject("properties");
    }
    return out;
  }

  /** The model's reasoning object with {@code effort} replaced by the conversation's override; null when both absent. */
  static JsonNode reasoning(JsonNode configured, String effortOverride) {
    boolean hasConfigured = configured != null && !configured.isNull() && !configured.isMissingNode();
    if (!hasConfigured && effortOverride == null) return null;
    ObjectNode out = hasConfigured && configured.isObject() ? ((ObjectNode) configured).deepCopy() : Json.object();
    if (effortOverride != null) out.put("effort", effortOverride);
    return out.isEmpty() ? null : out;
  }
}
