package partyclaw.core.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import partyclaw.core.json.Json;

/**
 * Turns a raw call (name + argument string from the model) into the content the model sees, following
 * tools.md §1.2–1.3: bad JSON, non-object arguments, unknown tools and tool errors all become an
 * {@code error} result instead of failing the turn.
 */
public final class ToolInvoker {
  static final int ERROR_LIMIT = 10_000;
  static final int ERROR_KEEP = 5_000;

  private ToolInvoker() {}

  public static ToolResult invoke(Tool tool, String name, String rawArguments, ToolContext ctx)
      throws InterruptedException {
    if (tool == null) {
      ObjectNode err = Json.object().put("error", "unknown tool: " + name).put("tool", name);
      return new ToolResult(Json.write(err), true);
    }
    JsonNode args;
    try {
      args = parseArguments(rawArguments);
    } catch (IllegalArgumentException e) {
      return new ToolResult(Json.pretty(Json.object().put("error", e.getMessage())), true);
    }
    try {
      JsonNode value = tool.run(args, ctx);
      return render(value);
    } catch (ToolException e) {
      return error(tool.name(), e.getMessage());
    } catch (InterruptedException e) {
      throw e;
    } catch (RuntimeException e) {
      // A bug in a tool must not end the turn: the model is told and the conversation goes on.
      return error(tool.name(), "internal error in tool " + tool.name() + ": " + e);
    }
  }

  public static ToolResult error(String toolName, String message) {
    ObjectNode err = Json.object().put("error", message == null ? "unknown error" : message).put("tool", toolName);
    return new ToolResult(Json.pretty(trimErrors(err)), true);
  }

  static JsonNode parseArguments(String raw) {
    if (raw == null || raw.isBlank()) return Json.object();
    JsonNode node;
    try {
      node = Json.parse(raw);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("invalid tool arguments: " + e.getOriginalMessage());
    }
    if (!node.isObject()) throw new IllegalArgumentException("tool arguments must be an object");
    return node;
  }

  private static ToolResult render(JsonNode value) {
    if (value == null) value = Json.object();
    if (value.isTextual()) return new ToolResult(value.asText(), false);
    JsonNode trimmed = trimErrors(value);
    boolean errored = trimmed.isObject()
        && ((trimmed.hasNonNull("error")) || trimmed.path("failed").asBoolean(false));
    return new ToolResult(Json.pretty(trimmed), errored);
  }

  /** Cuts every string field named {@code error} longer than 10,000 chars to its first and last 5,000. */
  static JsonNode trimErrors(JsonNode node) {
    if (node.isObject()) {
      ObjectNode obj = (ObjectNode) node;
      Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        if ("error".equals(e.getKey()) && v.isTextual() && v.asText().length() > ERROR_LIMIT) {
          String s = v.asText();
          e.setValue(TextNode.valueOf(s.substring(0, ERROR_KEEP)
              + "\n...[tool error truncated: original " + s.length() + " chars, kept first " + ERROR_KEEP
              + " and last " + ERROR_KEEP + "]...\n" + s.substring(s.length() - ERROR_KEEP)));
        } else {
          trimErrors(v);
        }
      }
    } else if (node.isArray()) {
      node.forEach(ToolInvoker::trimErrors);
    }
    return node;
  }
}
