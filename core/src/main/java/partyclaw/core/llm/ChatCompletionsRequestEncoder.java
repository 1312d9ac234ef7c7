package partyclaw.core.llm;

import akka.util.ByteString;
import akka.util.ByteStringBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
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
 * one request to the next: each message's JSON is encoded once, the tool list (one per node) likewise, and what a
 * conversation's next request repeats of its last one is kept joined. The body is a rope of those pieces
 * ({@link ByteString}s are joined without copying), so a request of 50 KB costs the encoding of its new messages
 * and a few small pieces, not a walk over the whole transcript and 50 KB of fresh arrays.
 */
final class ChatCompletionsRequestEncoder {

  /** Encoded messages; weak keys, so a message leaves with the last transcript (passivated conversation) holding it. */
  private static final WeakIdentityCache<ChatMessage, ByteString> MESSAGES = new WeakIdentityCache<>();

  /** Each conversation's last reusable request beginning, by the identity of its first message (the prompt). */
  private static final WeakIdentityCache<ChatMessage, Prefix> PREFIXES = new WeakIdentityCache<>();
  private static final int MAX_PREFIX_PIECES = 64;

  private record EncodedTools(List<ToolSpec> tools, ByteString json) {}

  private static volatile EncodedTools lastTools;

  private static final ByteString COMMA = ascii(",");
  private static final ByteString MESSAGES_START = ascii(",\"messages\":[");
  private static final ByteString TOOLS_FIELD = ascii("],\"tools\":");
  private static final ByteString STREAM_FIELDS = ascii(",\"stream\":true,\"stream_options\":{\"include_usage\":true}");
  /** Fields the encoder writes itself: a model's extra payload never replaces them. */
  private static final Set<String> OWN_FIELDS = Set.of("model", "messages", "tools", "tool_choice", "stream",
      "stream_options", "reasoning", "max_completion_tokens", "cache_control");

  private ChatCompletionsRequestEncoder() {}

  static ByteString encode(LlmEndpoint endpoint, ChatRequest request) {
    return encode(endpoint, request, ModelTraits.TEXT_ONLY);
  }

  /** Messages with media parts are encoded afresh each time: what they become depends on the model's traits. */
  static ByteString encode(LlmEndpoint endpoint, ChatRequest request, ModelTraits traits) {
    ByteStringBuilder out = new ByteStringBuilder();
    out.append(ascii("{\"model\":")).append(json(Json.MAPPER.getNodeFactory().textNode(endpoint.model())));
    out.append(MESSAGES_START);
    out.append(messages(request, traits));
    if (request.tools().isEmpty()) {
      out.append(ascii("]"));
    } else {
      out.append(TOOLS_FIELD).append(tools(request.tools())).append(ascii(",\"tool_choice\":\"auto\""));
    }
    if (request.maxCompletionTokens() != null) {
      out.append(ascii(",\"max_completion_tokens\":" + request.maxCompletionTokens()));
    }
    out.append(STREAM_FIELDS);
    JsonNode reasoning = reasoning(endpoint.reasoning(), request.reasoningEffort());
    if (reasoning != null) field(out, "reasoning", reasoning);
    if (traits.extraPayload() != null && traits.extraPayload().isObject()) {
      // native_web_search.payload (e.g. OpenRouter's plugins)
      var fields = traits.extraPayload().fields();
      while (fields.hasNext()) {
        var f = fields.next();
        if (!OWN_FIELDS.contains(f.getKey())) field(out, f.getKey(), f.getValue());
      }
    }
    String cacheTtl = anthropicCacheTtl(endpoint, traits);
    if (cacheTtl != null) {
      ObjectNode cache = Json.object().put("type", "ephemeral");
      if (!cacheTtl.equals("5m")) cache.put("ttl", cacheTtl);
      field(out, "cache_control", cache);
    }
    out.append(ascii("}"));
    return out.result();
  }

  /**
   * The messages joined with commas. The part a conversation's last request ended with (all but its trailing
   * system notices, up to its first message with media) is reused whole when this request starts with the same
   * instances; the rest comes from the per-message cache.
   */
  private static ByteString messages(ChatRequest request, ModelTraits traits) {
    List<ChatMessage> messages = request.messages();
    if (messages.isEmpty()) return ByteString.emptyByteString();
    ChatMessage first = messages.get(0);
    Prefix prefix = PREFIXES.get(first);
    int reused = prefix == null ? 0 : prefix.length(messages);
    int keep = reusableLength(messages);
    ByteString json = reused > 0 ? prefix.json() : ByteString.emptyByteString();
    int pieces = reused > 0 ? prefix.pieces() : 0;
    ByteString kept = reused == keep ? json : null;
    int keptPieces = pieces;
    Object[] cached = MESSAGES.getAll(messages.subList(reused, messages.size()));
    for (int i = reused; i < messages.size(); i++) {
      ChatMessage message = messages.get(i);
      ByteString encoded;
      if (message.hasParts()) {
        ObjectNode node = message(message);
        node.set("content", MediaParts.content(message, request.mediaRoot(), traits, false));
        encoded = json(node);
      } else if (cached[i - reused] != null) {
        encoded = (ByteString) cached[i - reused];
      } else {
        encoded = json(message(message));
        MESSAGES.put(message, encoded);
      }
      json = i == 0 ? encoded : json.concat(COMMA).concat(encoded);
      pieces += 2;
      if (i + 1 == keep) {
        if (pieces > MAX_PREFIX_PIECES) {
          json = json.compact(); // one array instead of a rope the HTTP client would walk piece by piece
          pieces = 1;
        }
        kept = json;
        keptPieces = pieces;
      }
    }
    if (keep > 0 && keep > reused && kept != null) {
      PREFIXES.replace(first, new Prefix(messages.subList(1, keep).toArray(new ChatMessage[0]), kept, keptPieces));
    }
    return json;
  }

  /**
   * How much of a request a later request of the same conversation will start with: not the trailing system
   * messages (notices of this call only) and nothing from the first message with media on (encoded per model).
   */
  private static int reusableLength(List<ChatMessage> messages) {
    int end = messages.size();
    while (end > 1 && messages.get(end - 1).role() == Role.SYSTEM) end--;
    for (int i = 0; i < end; i++) if (messages.get(i).hasParts()) return i;
    return end;
  }

  /**
   * A request's reusable beginning: its first message (the cache's weak key, not held here, or the entry would
   * never go) and the {@code rest} after it, and their encoding.
   */
  private record Prefix(ChatMessage[] rest, ByteString json, int pieces) {
    /** How many of {@code messages} this prefix covers: all of its own, or 0 when they differ. */
    int length(List<ChatMessage> messages) {
      if (rest.length + 1 > messages.size()) return 0;
      for (int i = 0; i < rest.length; i++) if (messages.get(i + 1) != rest[i]) return 0;
      return rest.length + 1;
    }
  }

  private static void field(ByteStringBuilder out, String name, JsonNode value) {
    out.append(COMMA).append(json(Json.MAPPER.getNodeFactory().textNode(name))).append(ascii(":")).append(json(value));
  }

  private static ByteString json(JsonNode node) {
    try {
      return ByteString.fromArrayUnsafe(Json.MAPPER.writeValueAsBytes(node));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the chat request", e);
    }
  }

  private static ByteString ascii(String s) {
    return ByteString.fromString(s, StandardCharsets.US_ASCII);
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

  private static ByteString tools(List<ToolSpec> specs) {
    EncodedTools cached = lastTools;
    if (cached != null && cached.tools() == specs) return cached.json();
    ArrayNode tools = Json.MAPPER.createArrayNode();
    for (ToolSpec tool : specs) tools.add(tool(tool));
    EncodedTools encoded = new EncodedTools(specs, json(tools));
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
