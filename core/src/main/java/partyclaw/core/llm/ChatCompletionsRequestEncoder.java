package partyclaw.core.llm;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;
import partyclaw.core.transcript.ToolCall;
import partyclaw.core.util.WeakIdentityCache;

/**
 * Builds the OpenAI Chat Completions request body (streaming, with usage) from an endpoint and a request.
 *
 * <p>Every request carries the whole transcript, and a transcript's messages are the same immutable instances from
 * one request to the next: each message's JSON is encoded once and copied as raw UTF-8 afterwards, and the tool
 * list (one per node) likewise, so a request costs byte copies for all but its new messages.
 */
final class ChatCompletionsRequestEncoder {

  /** Encoded messages; weak keys, so a message leaves with the last transcript (passivated conversation) holding it. */
  private static final WeakIdentityCache<ChatMessage, SerializedString> MESSAGES = new WeakIdentityCache<>();

  private record EncodedTools(List<ToolSpec> tools, SerializedString json) {}

  private static volatile EncodedTools lastTools;

  private ChatCompletionsRequestEncoder() {}

  static byte[] encode(LlmEndpoint endpoint, ChatRequest request) {
    return encode(endpoint, request, ModelTraits.TEXT_ONLY);
  }

  /** Messages with media parts are encoded afresh each time: what they become depends on the model's traits. */
  static byte[] encode(LlmEndpoint endpoint, ChatRequest request, ModelTraits traits) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try (JsonGenerator gen = Json.MAPPER.getFactory().createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("model", endpoint.model());
      gen.writeArrayFieldStart("messages");
      for (ChatMessage message : request.messages()) {
        if (message.hasParts()) {
          ObjectNode encoded = message(message);
          encoded.set("content", MediaParts.content(message, request.mediaRoot(), traits, false));
          gen.writeTree(encoded);
        } else {
          gen.writeRawValue(MESSAGES.computeIfAbsent(message, m -> new SerializedString(Json.write(message(m)))));
        }
      }
      gen.writeEndArray();
      if (!request.tools().isEmpty()) {
        gen.writeFieldName("tools");
        gen.writeRawValue(tools(request.tools()));
        gen.writeStringField("tool_choice", "auto");
      }
      if (request.maxCompletionTokens() != null) {
        gen.writeNumberField("max_completion_tokens", request.maxCompletionTokens());
      }
      gen.writeBooleanField("stream", true);
      gen.writeObjectFieldStart("stream_options");
      gen.writeBooleanField("include_usage", true);
      gen.writeEndObject();
      JsonNode reasoning = reasoning(endpoint.reasoning(), request.reasoningEffort());
      if (reasoning != null) {
        gen.writeFieldName("reasoning");
        gen.writeTree(reasoning);
      }
      if (traits.extraPayload() != null && traits.extraPayload().isObject()) {
        // native_web_search.payload (e.g. OpenRouter's plugins); fields the encoder writes itself are not replaced
        java.util.Set<String> own = java.util.Set.of("model", "messages", "tools", "tool_choice", "stream",
            "stream_options", "reasoning", "max_completion_tokens", "cache_control");
        var fields = traits.extraPayload().fields();
        while (fields.hasNext()) {
          var field = fields.next();
          if (own.contains(field.getKey())) continue;
          gen.writeFieldName(field.getKey());
          gen.writeTree(field.getValue());
        }
      }
      String cacheTtl = anthropicCacheTtl(endpoint, traits);
      if (cacheTtl != null) {
        gen.writeObjectFieldStart("cache_control");
        gen.writeStringField("type", "ephemeral");
        if (!cacheTtl.equals("5m")) gen.writeStringField("ttl", cacheTtl);
        gen.writeEndObject();
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the chat request", e);
    }
    return out.toByteArray();
  }

  /**
   * The prompt-cache TTL to request, only for OpenRouter's Anthropic Claude models (runtime.md §3.2): the model's
   * {@code cache_ttl}, default 5m; null for every other model.
   */
  static String anthropicCacheTtl(LlmEndpoint endpoint, ModelTraits traits) {
    String url = endpoint.url() == null ? "" : endpoint.url();
    String model = endpoint.model() == null ? "" : endpoint.model();
    if (!url.contains("openrouter.ai") || !model.startsWith("anthropic/claude-")) return null;
    String ttl = traits.cacheTtl();
    return ttl == null || ttl.isBlank() ? "5m" : ttl.strip();
  }

  private static SerializedString tools(List<ToolSpec> specs) {
    EncodedTools cached = lastTools;
    if (cached != null && cached.tools() == specs) return cached.json();
    ArrayNode tools = Json.MAPPER.createArrayNode();
    for (ToolSpec tool : specs) tools.add(tool(tool));
    EncodedTools encoded = new EncodedTools(specs, new SerializedString(Json.write(tools)));
    lastTools = encoded;
    return encoded.json();
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
