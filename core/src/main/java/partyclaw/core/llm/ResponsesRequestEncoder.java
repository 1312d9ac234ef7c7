package partyclaw.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;
import partyclaw.core.transcript.ToolCall;

/**
 * Builds a Responses API request body (runtime.md §3.3): every system message, wherever it stands, joined into
 * {@code instructions}; the other messages as {@code input} items; {@code store:false},
 * {@code parallel_tool_calls:true}, streaming. With a continuation only the messages after the continued response
 * are sent, with {@code previous_response_id} (§3.5).
 */
final class ResponsesRequestEncoder {
  private ResponsesRequestEncoder() {}

  /** The messages other than system ones, in order: what {@code input} and continuations are about. */
  static List<ChatMessage> conversation(ChatRequest request) {
    List<ChatMessage> out = new ArrayList<>(request.messages().size());
    for (ChatMessage m : request.messages()) if (m.role() != Role.SYSTEM) out.add(m);
    return out;
  }

  /**
   * @param previousId the response continued, or null to send everything
   * @param from the index into {@link #conversation} of the first message to send
   */
  static byte[] encode(LlmEndpoint endpoint, ChatRequest request, ModelTraits traits, String previousId, int from) {
    ObjectNode body = Json.object();
    body.put("model", endpoint.model());
    StringBuilder instructions = new StringBuilder();
    for (ChatMessage m : request.messages()) {
      if (m.role() != Role.SYSTEM || m.content() == null || m.content().isEmpty()) continue;
      if (instructions.length() > 0) instructions.append("\n\n");
      instructions.append(m.content());
    }
    if (instructions.length() > 0) body.put("instructions", instructions.toString());
    ArrayNode input = body.putArray("input");
    List<ChatMessage> conversation = conversation(request);
    for (ChatMessage m : conversation.subList(from, conversation.size())) items(m, request, traits, input);
    if (previousId != null) body.put("previous_response_id", previousId);
    boolean nativeTools = traits.nativeTools() != null && traits.nativeTools().isArray() && !traits.nativeTools().isEmpty();
    if (!request.tools().isEmpty() || nativeTools) {
      ArrayNode tools = body.putArray("tools");
      if (nativeTools) traits.nativeTools().forEach(t -> tools.add(t.deepCopy()));
      for (ToolSpec tool : request.tools()) {
        ObjectNode t = tools.addObject();
        t.put("type", "function").put("name", tool.name());
        if (tool.description() != null) t.put("description", tool.description());
        if (tool.parameters() != null && !tool.parameters().isNull()) {
          t.set("parameters", tool.parameters());
        } else {
          t.putObject("parameters").put("type", "object").putObject("properties");
        }
      }
      body.put("tool_choice", "auto");
      body.put("parallel_tool_calls", true);
    }
    if (request.maxCompletionTokens() != null) body.put("max_output_tokens", request.maxCompletionTokens());
    JsonNode reasoning = ChatCompletionsRequestEncoder.reasoning(endpoint.reasoning(), request.reasoningEffort());
    if (reasoning != null) body.set("reasoning", reasoning);
    if (traits.cacheTtl() != null && !traits.cacheTtl().isBlank()) {
      body.put("prompt_cache_retention", traits.cacheTtl().strip());
    }
    String cacheKey = cacheKey(request);
    if (cacheKey != null) body.put("prompt_cache_key", cacheKey);
    body.put("store", false);
    body.put("stream", true);
    return Json.write(body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * The reference sends the conversation's {@code chat_version_id}, which the client does not see: the stand-in is
   * a hash of the first system message and the first other message, the same for every request of a conversation
   * until a compaction rewrites its start (when the reference's version changes too). Null for an empty request.
   */
  static String cacheKey(ChatRequest request) {
    String system = null;
    String first = null;
    for (ChatMessage m : request.messages()) {
      if (m.role() == Role.SYSTEM && system == null) system = m.content();
      if (m.role() != Role.SYSTEM && first == null) first = m.role().wire() + ":" + m.content();
      if (system != null && first != null) break;
    }
    if (system == null && first == null) return null;
    try {
      java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
      digest.update(String.valueOf(system).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(String.valueOf(first).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "pc-" + java.util.HexFormat.of().formatHex(digest.digest()).substring(0, 32);
    } catch (java.security.NoSuchAlgorithmException e) {
      return null;
    }
  }

  private static void items(ChatMessage m, ChatRequest request, ModelTraits traits, ArrayNode input) {
    switch (m.role()) {
      case USER -> {
        ObjectNode item = input.addObject();
        item.put("type", "message").put("role", "user");
        if (m.hasParts()) {
          item.set("content", MediaParts.content(m, request.mediaRoot(), traits, true));
        } else {
          item.putArray("content").addObject().put("type", "input_text").put("text", text(m));
        }
      }
      case ASSISTANT -> {
        if (m.content() != null && !m.content().isEmpty()) {
          ObjectNode item = input.addObject();
          item.put("type", "message").put("role", "assistant");
          item.putArray("content").addObject().put("type", "output_text").put("text", m.content());
        }
        for (ToolCall call : m.toolCalls()) {
          input.addObject().put("type", "function_call").put("call_id", call.id()).put("name", call.name())
              .put("arguments", call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments());
        }
      }
      case TOOL -> input.addObject().put("type", "function_call_output").put("call_id", m.toolCallId())
          .put("output", text(m));
      default -> {
        // system messages went into instructions
      }
    }
  }

  private static String text(ChatMessage m) {
    return m.content() == null ? "" : m.content();
  }
}
