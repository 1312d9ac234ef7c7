package partyclaw.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request the fake server received. {@code headers} are keyed by lower-case name. A body that was not
 * JSON is kept as a text node so tests can still see what arrived.
 */
public record RecordedRequest(JsonNode body, Map<String, String> headers, String path) {

  public RecordedRequest {
    headers = Map.copyOf(headers);
  }

  public RecordedRequest(JsonNode body, Map<String, String> headers) {
    this(body, headers, "/v1/chat/completions");
  }

  /** A Responses API request ({@code POST .../responses}). */
  public boolean responses() {
    return path != null && path.endsWith("/responses") && !path.startsWith("ws:");
  }

  /** A codex-subscription {@code response.create} frame received over the WebSocket. */
  public boolean socket() {
    return path != null && path.startsWith("ws:");
  }

  /** The {@code input} items of a Responses request. */
  public List<JsonNode> input() {
    List<JsonNode> out = new ArrayList<>();
    body.path("input").forEach(out::add);
    return out;
  }

  public String previousResponseId() {
    return body.path("previous_response_id").asText(null);
  }

  /** Header value by case-insensitive name, or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  public String model() {
    return body.path("model").asText(null);
  }

  public boolean stream() {
    return body.path("stream").asBoolean(false);
  }

  /** Chat Completions {@code messages}; for a Responses request its user/assistant {@code input} messages. */
  public List<JsonNode> messages() {
    List<JsonNode> out = new ArrayList<>();
    body.path(body.has("messages") ? "messages" : "input").forEach(out::add);
    return out;
  }

  /** Text of the last user message (text parts joined when the content is an array), or "" when there is none. */
  public String lastUserText() {
    List<JsonNode> messages = messages();
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode message = messages.get(i);
      if ("user".equals(message.path("role").asText())) return contentText(message.path("content"));
    }
    return "";
  }

  public List<JsonNode> toolMessages() {
    return messages().stream().filter(m -> "tool".equals(m.path("role").asText())).toList();
  }

  static String contentText(JsonNode content) {
    if (content.isTextual()) return content.asText();
    if (content.isArray()) {
      StringBuilder text = new StringBuilder();
      for (JsonNode part : content) {
        if (part.path("text").isTextual()) text.append(part.path("text").asText());
      }
      return text.toString();
    }
    return "";
  }
}
