package partyclaw.channels.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A file attached to an incoming message (spec §2.1.6): what to download ({@code fileId}) and the name to save
 * it under. Photos use their largest size.
 */
public record InboundFile(String fileId, String uniqueId, String name, String kind) {

  private static final Map<String, String> EXTENSIONS = Map.ofEntries(
      Map.entry("image/jpeg", "jpg"), Map.entry("image/png", "png"), Map.entry("image/gif", "gif"),
      Map.entry("image/webp", "webp"), Map.entry("application/pdf", "pdf"), Map.entry("audio/mpeg", "mp3"),
      Map.entry("audio/ogg", "ogg"), Map.entry("audio/wav", "wav"), Map.entry("audio/x-wav", "wav"),
      Map.entry("audio/mp4", "m4a"), Map.entry("video/mp4", "mp4"), Map.entry("video/webm", "webm"),
      Map.entry("application/x-tgsticker", "tgs"));

  public static List<InboundFile> of(JsonNode message) {
    List<InboundFile> files = new ArrayList<>();
    JsonNode photo = message.path("photo");
    if (photo.isArray() && photo.size() > 0) {
      JsonNode largest = photo.get(photo.size() - 1);
      String uid = largest.path("file_unique_id").asText("photo");
      files.add(new InboundFile(largest.path("file_id").asText(), uid, "photo_" + uid + ".jpg", "image"));
    }
    JsonNode doc = message.path("document");
    if (doc.isObject()) {
      String mime = doc.path("mime_type").asText("");
      String name = doc.path("file_name").asText("");
      String kind = mime.startsWith("image/") ? "image"
          : mime.equals("application/pdf") || name.toLowerCase().endsWith(".pdf") ? "pdf"
          : mime.startsWith("audio/") ? "audio" : mime.startsWith("video/") ? "video" : "file";
      files.add(named(doc, "document", kind, mime));
    }
    addIf(files, message, "video", "video", "video/mp4");
    addIf(files, message, "audio", "audio", "audio/mpeg");
    addIf(files, message, "voice", "voice", "audio/ogg");
    addIf(files, message, "animation", "animation", "video/mp4");
    JsonNode note = message.path("video_note");
    if (note.isObject()) {
      String uid = note.path("file_unique_id").asText("note");
      files.add(new InboundFile(note.path("file_id").asText(), uid, "video_note_" + uid + ".mp4", "video"));
    }
    JsonNode sticker = message.path("sticker");
    if (sticker.isObject()) {
      String uid = sticker.path("file_unique_id").asText("sticker");
      String ext = sticker.path("is_animated").asBoolean() ? "tgs" : sticker.path("is_video").asBoolean() ? "webm" : "webp";
      files.add(new InboundFile(sticker.path("file_id").asText(), uid, "sticker_" + uid + "." + ext, "sticker"));
    }
    return files;
  }

  private static void addIf(List<InboundFile> files, JsonNode message, String field, String kind, String defaultMime) {
    JsonNode n = message.path(field);
    if (n.isObject()) files.add(named(n, field, kind, n.path("mime_type").asText(defaultMime)));
  }

  private static InboundFile named(JsonNode n, String prefix, String kind, String mime) {
    String uid = n.path("file_unique_id").asText(prefix);
    String name = n.path("file_name").asText("");
    if (name.isBlank()) name = prefix + "_" + uid + "." + EXTENSIONS.getOrDefault(mime, "bin");
    return new InboundFile(n.path("file_id").asText(), uid, name, kind);
  }

  /** Spec §2.0: characters outside {@code [A-Za-z0-9._-]} become {@code _}, outer {@code _} trimmed, ≤120 chars. */
  public static String sanitize(String name, String fallback) {
    String s = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]", "_");
    int a = 0;
    int b = s.length();
    while (a < b && s.charAt(a) == '_') a++;
    while (b > a && s.charAt(b - 1) == '_') b--;
    s = s.substring(a, b);
    if (s.length() > 120) s = s.substring(0, 120);
    // "." and ".." would name directories, not files
    if (s.isEmpty() || s.chars().allMatch(c -> c == '.')) return fallback;
    return s;
  }
}
