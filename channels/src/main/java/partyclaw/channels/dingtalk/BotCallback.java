package partyclaw.channels.dingtalk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import partyclaw.core.json.Json;

/**
 * One DingTalk bot callback (the {@code data} of a Stream frame, or a robot's HTTP body), normalized: who wrote in
 * which conversation (spec 2.2 identity rules), the text the agent gets, the session webhook to answer through, and
 * the files a robot may download.
 *
 * @param conversationId {@code senderStaffId}, else {@code senderId}, else {@code conversationId} in a single chat
 *     ({@code conversationType == "1"}); {@code conversationId} in a group
 * @param webhookExpiresAt epoch millis of {@code sessionWebhookExpiredTime}; 0 when absent
 */
public record BotCallback(
    String msgId,
    String createAt,
    String conversationId,
    String userId,
    String displayName,
    String msgType,
    String text,
    String sessionWebhook,
    long webhookExpiresAt,
    String robotCode,
    List<Download> downloads) {

  /** A file the robot can fetch with its {@code downloadCode}, saved under {@code fileName}. */
  public record Download(String downloadCode, String fileName) {}

  /** How the robot channel words media it may download (spec 2.3); the Stream channel downloads nothing. */
  public enum Wording { STREAM, ROBOT }

  public static final String ROBOT_DOWNLOAD_SUFFIX = "; attachment download queued when credentials are configured";

  /** The callback, or empty when it names no conversation (nothing could ever be answered). */
  public static Optional<BotCallback> parse(JsonNode data, Wording wording) {
    if (data == null || !data.isObject()) return Optional.empty();
    String type = data.path("conversationType").asText("");
    String staff = nonBlank(data.path("senderStaffId").asText(null));
    String sender = nonBlank(data.path("senderId").asText(null));
    String conversation = nonBlank(data.path("conversationId").asText(null));
    String id = "1".equals(type) ? first(staff, sender, conversation) : conversation;
    if (id == null) return Optional.empty();
    String user = first(staff, sender, null);
    String nick = data.path("senderNick").asText("");
    String msgType = data.path("msgtype").asText("");
    JsonNode content = content(data);
    String webhook = nonBlank(data.path("sessionWebhook").asText(null));
    long expires = data.path("sessionWebhookExpiredTime").asLong(0);
    return Optional.of(new BotCallback(nonBlank(data.path("msgId").asText(null)),
        nonBlank(data.path("createAt").asText(null)), id, user == null ? "" : user,
        nick.isBlank() ? (user == null ? "" : user) : nick, msgType, text(data, msgType, content, wording), webhook,
        expires, nonBlank(data.path("robotCode").asText(null)), downloads(msgType, content)));
  }

  /** {@code content} is an object, or in some payloads a JSON string holding one. */
  private static JsonNode content(JsonNode data) {
    JsonNode c = data.path("content");
    if (c.isTextual()) {
      try {
        JsonNode parsed = Json.parse(c.asText());
        if (parsed != null && parsed.isObject()) return parsed;
      } catch (Exception e) {
        return c;
      }
    }
    return c;
  }

  /** The text the agent gets (spec 2.2 "Inbound text", with the robot's wording of downloadable media, 2.3). */
  static String text(JsonNode data, String msgType, JsonNode content, Wording wording) {
    boolean robot = wording == Wording.ROBOT;
    boolean hasCode = !code(content).isEmpty();
    return switch (msgType) {
      case "text" -> data.path("text").path("content").asText("").strip();
      case "audio" -> content.path("recognition").asText("").strip();
      case "picture", "image" -> robot && hasCode
          ? "[DingTalk image message" + ROBOT_DOWNLOAD_SUFFIX + "]" : "[DingTalk picture message]";
      case "video" -> robot && hasCode
          ? "[DingTalk video message" + ROBOT_DOWNLOAD_SUFFIX + "]" : "[DingTalk video message]";
      case "file" -> "[DingTalk file message: " + fileName(content) + (robot && hasCode ? ROBOT_DOWNLOAD_SUFFIX : "") + "]";
      case "richText" -> richText(content);
      default -> {
        String unknown = content.path("unknownMsgType").asText("");
        yield unknown.isBlank() ? "[Unsupported DingTalk message type: " + msgType + "]" : unknown;
      }
    };
  }

  private static String richText(JsonNode content) {
    List<String> parts = new ArrayList<>();
    for (JsonNode item : content.path("richText")) {
      if (item.hasNonNull("text")) parts.add(item.path("text").asText());
      else if ("picture".equals(item.path("type").asText()) || item.has("pictureDownloadCode")) parts.add("[image]");
    }
    return String.join("\n", parts).strip();
  }

  private static List<Download> downloads(String msgType, JsonNode content) {
    List<Download> out = new ArrayList<>();
    String code = code(content);
    switch (msgType) {
      case "picture", "image" -> add(out, code, "dingtalk-image.bin");
      case "audio" -> add(out, code, "dingtalk-audio.bin");
      case "video" -> {
        String ext = content.path("videoType").asText("");
        add(out, code, "dingtalk-video." + (ext.isBlank() ? "bin" : ext));
      }
      case "file" -> add(out, code, fileName(content));
      case "richText" -> {
        int i = 0;
        for (JsonNode item : content.path("richText")) {
          String c = code(item);
          if (!c.isEmpty()) {
            boolean picture = "picture".equals(item.path("type").asText());
            add(out, c, (picture ? "dingtalk-richtext-image-" : "dingtalk-richtext-file-") + i + ".bin");
          }
          i++;
        }
      }
      default -> { }
    }
    return List.copyOf(out);
  }

  private static void add(List<Download> out, String code, String name) {
    if (!code.isEmpty()) out.add(new Download(code, name));
  }

  private static String code(JsonNode node) {
    String c = node.path("downloadCode").asText("");
    return c.isBlank() ? node.path("pictureDownloadCode").asText("").strip() : c.strip();
  }

  private static String fileName(JsonNode content) {
    String name = content.path("fileName").asText("");
    return name.isBlank() ? "unnamed file" : name;
  }

  /** Whether the callback brought a session webhook to answer through. */
  public boolean hasWebhook() {
    return sessionWebhook != null;
  }

  private static String first(String a, String b, String c) {
    return a != null ? a : b != null ? b : c;
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
