package partyclaw.channels.dingtalk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.json.Json;

/**
 * The DingTalk Stream protocol's text frames (spec 2.2): what the gateway sends ({@code {type, headers:{messageId,
 * topic,…}, data:"<json string>"}}) and the acknowledgements the client answers with.
 */
final class StreamFrames {
  static final String BOT_TOPIC = "/v1.0/im/bot/messages/get";
  static final String PING = "ping";
  static final String DISCONNECT = "disconnect";

  private StreamFrames() {}

  /** One gateway frame. {@code data} is the parsed {@code data} string, or null when absent or not JSON. */
  record Frame(String type, String topic, String messageId, JsonNode headers, String rawData, JsonNode data) {
    boolean isCallback() {
      return BOT_TOPIC.equals(topic) && "CALLBACK".equals(type);
    }
  }

  /** The frame, or null for text that is no frame at all (not a JSON object). */
  static Frame parse(String text) {
    JsonNode json;
    try {
      json = Json.parse(text);
    } catch (Exception e) {
      return null;
    }
    if (json == null || !json.isObject()) return null;
    JsonNode headers = json.path("headers").isObject() ? json.path("headers") : Json.object();
    JsonNode rawNode = json.path("data");
    String raw = rawNode.isTextual() ? rawNode.asText() : rawNode.isObject() ? Json.write(rawNode) : null;
    JsonNode data = null;
    if (rawNode.isObject()) {
      data = rawNode;
    } else if (raw != null) {
      try {
        data = Json.parse(raw);
      } catch (Exception e) {
        data = null;
      }
    }
    return new Frame(json.path("type").asText(""), headers.path("topic").asText(""),
        headers.path("messageId").asText(""), headers, raw, data);
  }

  /** {@code ping} → {@code {code:200, message:"OK", headers:{messageId, contentType}, data:"{\"opaque\":…}"}}. */
  static String pong(Frame ping) {
    ObjectNode data = Json.object();
    JsonNode opaque = ping.data() == null ? null : ping.data().get("opaque");
    data.set("opaque", opaque == null ? Json.MAPPER.nullNode() : opaque);
    return ack(200, "OK", ping.messageId(), Json.write(data));
  }

  /** A handled callback (or any other topic): {@code code 200}, {@code data:"{\"response\":null}"}. */
  static String ok(Frame frame) {
    return ack(200, "OK", frame.messageId(), "{\"response\":null}");
  }

  /** A callback whose data is missing or unparsable: {@code code 500}, {@code data:"{\"message\":…}"}. */
  static String error(Frame frame, String message) {
    return ack(500, "internal error", frame.messageId(), Json.write(Json.object().put("message", message)));
  }

  private static String ack(int code, String message, String messageId, String data) {
    ObjectNode ack = Json.object().put("code", code).put("message", message);
    ack.putObject("headers").put("messageId", messageId).put("contentType", "application/json");
    ack.put("data", data);
    return Json.write(ack);
  }

  /** The reason a {@code disconnect} frame gives, for the log. */
  static String disconnectReason(Frame frame) {
    String reason = frame.data() == null ? "" : frame.data().path("reason").asText("");
    return reason.isBlank() ? "no reason given" : reason;
  }
}
