package partyclaw.core.tokens;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import partyclaw.core.json.Json;
import partyclaw.core.llm.ToolSpec;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.util.WeakIdentityCache;
import partyclaw.core.transcript.ToolCall;

/**
 * Local token count of a request as runtime.md §3.9 renders it: the tools JSON, then per message
 * {@code <|role name tool_call_id|>} + text + {@code <|tool_call id name type|>} + arguments, then {@code <|assistant|>}.
 *
 * <p>Counting is ordinary-text only: user text may contain {@code <|endoftext|>} and must never make counting throw.
 * One instance per encoding, shared; per-message counts are memoised by message (transcripts reuse the same immutable
 * messages from step to step), which changes no result.
 */
public final class TokenEstimator {

  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  private static final Map<EncodingType, TokenEstimator> BY_ENCODING = new ConcurrentHashMap<>();

  /** gpt-oss uses o200k_harmony upstream; jtokkit lacks it and its ordinary text tokenises as o200k_base. */
  private static final Pattern O200K = Pattern.compile(
      "^(gpt-4o|chatgpt-4o|gpt-4\\.1|gpt-4\\.5|gpt-5|o[134]($|[-_.:])|codex|gpt-oss).*");
  private static final Pattern CL100K_OPENAI = Pattern.compile("^(gpt-4|gpt-3\\.5|gpt-35|text-embedding-).*");
  private static final List<String> CL100K_APPROXIMATED = List.of(
      "claude", "gemini", "gemma", "qwen", "qwq", "deepseek", "mistral", "mixtral", "codestral", "ministral",
      "magistral", "devstral", "llama", "glm", "kimi", "moonshot", "grok");

  private final Encoding encoding;
  private final WeakIdentityCache<ChatMessage, Integer> messageCounts = new WeakIdentityCache<>();
  private final int primerTokens;

  private record CountedTools(List<ToolSpec> tools, int tokens) {}

  private volatile CountedTools lastTools;

  private TokenEstimator(Encoding encoding) {
    this.encoding = encoding;
    this.primerTokens = encoding.countTokensOrdinary("<|assistant|>");
  }

  /** The estimator for an upstream model id; a provider prefix ({@code openai/…}) is ignored, null/unknown → o200k. */
  public static TokenEstimator forModel(String upstreamModelId) {
    EncodingType type = encodingFor(upstreamModelId);
    return BY_ENCODING.computeIfAbsent(type, t -> new TokenEstimator(REGISTRY.getEncoding(t)));
  }

  static EncodingType encodingFor(String upstreamModelId) {
    if (upstreamModelId == null) return EncodingType.O200K_BASE;
    String id = upstreamModelId.strip().toLowerCase(Locale.ROOT);
    id = id.substring(id.lastIndexOf('/') + 1);
    if (O200K.matcher(id).matches()) return EncodingType.O200K_BASE;
    if (CL100K_OPENAI.matcher(id).matches()) return EncodingType.CL100K_BASE;
    for (String family : CL100K_APPROXIMATED) {
      if (id.contains(family)) return EncodingType.CL100K_BASE;
    }
    return EncodingType.O200K_BASE;
  }

  public String encodingName() {
    return encoding.getName();
  }

  public int textTokens(String text) {
    return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
  }

  public int messageTokens(ChatMessage m) {
    return messageCounts.computeIfAbsent(m, x -> textTokens(render(x)) + mediaTokens(x));
  }

  /** The tools JSON as the request encoder sends it; the node's one tool list is counted once. */
  public int toolsTokens(List<ToolSpec> tools) {
    if (tools == null || tools.isEmpty()) return 0;
    CountedTools cached = lastTools;
    if (cached != null && cached.tools() == tools) return cached.tokens();
    ArrayNode json = Json.MAPPER.createArrayNode();
    for (ToolSpec tool : tools) {
      ObjectNode function = json.addObject().put("type", "function").putObject("function");
      function.put("name", tool.name());
      if (tool.description() != null) function.put("description", tool.description());
      if (tool.parameters() != null && !tool.parameters().isNull()) function.set("parameters", tool.parameters());
    }
    int tokens = textTokens(Json.write(json));
    lastTools = new CountedTools(tools, tokens);
    return tokens;
  }

  public long estimate(List<ChatMessage> messages, List<ToolSpec> tools) {
    long total = toolsTokens(tools) + primerTokens;
    for (ChatMessage m : messages) total += messageTokens(m);
    return total;
  }

  /**
   * Inline media count as fixed bytes ÷ 4 (runtime.md §3.9): image 7,373; file 12,000; audio 16,000 — for a
   * message's parts and for the media a tool result attaches.
   */
  static int mediaTokens(ChatMessage m) {
    int bytes = 0;
    for (partyclaw.core.transcript.ContentPart part : m.parts()) bytes += mediaBytes(part.type());
    if (m.role() == partyclaw.core.transcript.Role.TOOL && m.content() != null
        && m.content().contains("synthetic_user_multimodal")) {
      int at = 0;
      while ((at = m.content().indexOf("\"type\"", at)) >= 0) {
        int end = Math.min(m.content().length(), at + 40);
        String head = m.content().substring(at, end);
        if (head.contains("input_image")) bytes += 7_373;
        else if (head.contains("input_file")) bytes += 12_000;
        else if (head.contains("input_audio")) bytes += 16_000;
        at = end;
      }
    }
    return bytes / 4;
  }

  private static int mediaBytes(String type) {
    return switch (type) {
      case partyclaw.core.transcript.ContentPart.IMAGE -> 7_373;
      case partyclaw.core.transcript.ContentPart.FILE -> 12_000;
      default -> 16_000;
    };
  }

  static String render(ChatMessage m) {
    StringBuilder out = new StringBuilder();
    out.append("<|").append(m.role().wire());
    if (m.name() != null && !m.name().isEmpty()) out.append(' ').append(m.name());
    if (m.toolCallId() != null && !m.toolCallId().isEmpty()) out.append(' ').append(m.toolCallId());
    out.append("|>");
    if (m.content() != null) out.append(m.content());
    for (ToolCall call : m.toolCalls()) {
      out.append("<|tool_call ").append(call.id()).append(' ').append(call.name()).append(" function|>");
      if (call.arguments() != null) out.append(call.arguments());
    }
    return out.toString();
  }
}
