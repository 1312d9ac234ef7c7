package partyclaw.core.transcript;

import java.util.Map;

/** File kinds by extension, as the outgoing classification of config-and-channels.md §2.0 and runtime.md §3.6. */
public final class MediaKinds {
  private MediaKinds() {}

  public static final String IMAGE = "image";
  public static final String PDF = "pdf";
  public static final String AUDIO = "audio";
  public static final String VIDEO = "video";
  public static final String FILE = "file";

  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("bmp", "image/bmp"),
      Map.entry("pdf", "application/pdf"),
      Map.entry("wav", "audio/wav"), Map.entry("mp3", "audio/mpeg"), Map.entry("mpeg", "audio/mpeg"),
      Map.entry("mpga", "audio/mpeg"), Map.entry("ogg", "audio/ogg"), Map.entry("oga", "audio/ogg"),
      Map.entry("opus", "audio/ogg"), Map.entry("m4a", "audio/mp4"), Map.entry("aac", "audio/aac"),
      Map.entry("flac", "audio/flac"),
      Map.entry("mp4", "video/mp4"), Map.entry("mov", "video/quicktime"), Map.entry("mkv", "video/x-matroska"),
      Map.entry("avi", "video/x-msvideo"), Map.entry("webm", "video/webm"));

  /** image, pdf, audio, video or file. */
  public static String kindOf(String path) {
    String type = mediaType(path);
    if (type.startsWith("image/")) return IMAGE;
    if (type.equals("application/pdf")) return PDF;
    if (type.startsWith("audio/")) return AUDIO;
    if (type.startsWith("video/")) return VIDEO;
    return FILE;
  }

  public static String mediaType(String path) {
    return TYPES.getOrDefault(ContentPart.extension(path), "application/octet-stream");
  }

  /**
   * The {@code input_audio} format for a file (tools.md §3.5): wav; mp3/mpeg/mpga→mp3; ogg/oga/opus→ogg; webm;
   * m4a/mp4/aac→m4a; flac. Null when the extension is none of these.
   */
  public static String audioFormat(String path) {
    return switch (ContentPart.extension(path)) {
      case "wav" -> "wav";
      case "mp3", "mpeg", "mpga" -> "mp3";
      case "ogg", "oga", "opus" -> "ogg";
      case "webm" -> "webm";
      case "m4a", "mp4", "aac" -> "m4a";
      case "flac" -> "flac";
      default -> null;
    };
  }
}
