package partyclaw.app.logging;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a log event says about where it comes from: the conversation (from the MDC key {@code conversation_id}, or
 * from the path of a conversation's actor, which sharding names after the URL-encoded conversation id) and the
 * per-stream file it also belongs to (spec §4.5: {@code logs/<channels|sessions|agents|api>/<key>.jsonl}).
 */
public final class LogFields {
  public static final String CONVERSATION_ID = "conversation_id";
  public static final String LOG_STREAM = "log_stream";
  public static final String LOG_KEY = "log_key";
  private static final String AKKA_SOURCE = "akkaSource";
  private static final String CONVERSATION_PATH = "/system/sharding/conversation/";
  private static final String CHANNEL_PATH = "/user/channel-";

  /** A per-stream file: {@code stream} is the directory (plural), {@code key} the sanitized file stem. */
  public record Route(String stream, String key) {}

  private LogFields() {}

  /** The conversation an event belongs to, or null. */
  public static String conversationId(Map<String, String> mdc) {
    String explicit = mdc.get(CONVERSATION_ID);
    if (explicit != null && !explicit.isBlank()) return explicit;
    String source = mdc.get(AKKA_SOURCE);
    if (source == null) return null;
    int at = source.indexOf(CONVERSATION_PATH);
    if (at < 0) return null;
    // .../conversation/<shard>/<url-encoded entity id>[/child...]
    String[] rest = source.substring(at + CONVERSATION_PATH.length()).split("/");
    if (rest.length < 2 || rest[1].isEmpty()) return null;
    try {
      return URLDecoder.decode(rest[1], StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return rest[1];
    }
  }

  /** The channel id of an event logged by a channel actor (or one of its children), or null. */
  static String channelId(Map<String, String> mdc) {
    String source = mdc.get(AKKA_SOURCE);
    if (source == null) return null;
    int at = source.indexOf(CHANNEL_PATH);
    if (at < 0) return null;
    String rest = source.substring(at + CHANNEL_PATH.length());
    int slash = rest.indexOf('/');
    String id = slash < 0 ? rest : rest.substring(0, slash);
    return id.isEmpty() ? null : id;
  }

  /**
   * The per-stream file of an event: an explicit {@code log_stream} ({@code channel}, {@code session},
   * {@code agent}, {@code api}) with its {@code log_key} first, then a channel actor's, then a conversation's.
   */
  public static Route route(Map<String, String> mdc) {
    String stream = mdc.get(LOG_STREAM);
    String key = mdc.get(LOG_KEY);
    if (stream != null && key != null && !key.isBlank()) {
      String dir = switch (stream) {
        case "channel" -> "channels";
        case "session" -> "sessions";
        case "agent" -> "agents";
        case "api" -> "api";
        default -> null;
      };
      if (dir != null) return new Route(dir, sanitize(key));
    }
    String channel = channelId(mdc);
    if (channel != null) return new Route("channels", sanitize(channel));
    String conversation = conversationId(mdc);
    if (conversation != null) return new Route("sessions", sanitize(conversation));
    return null;
  }

  /** As the reference: characters other than {@code [A-Za-z0-9._-]} become {@code _}. */
  public static String sanitize(String key) {
    StringBuilder b = new StringBuilder(key.length());
    for (int i = 0; i < key.length() && b.length() < 120; i++) {
      char c = key.charAt(i);
      b.append((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
          || c == '-' ? c : '_');
    }
    String s = b.toString();
    // "." and ".." are names of directories, not files
    return s.isEmpty() || s.chars().allMatch(ch -> ch == '.') ? "_" + s : s;
  }
}
