package partyclaw.channels.telegram;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The Bot API method (and its multipart field) a file is sent with, by kind (spec §2.1.7): a photo, audio, a voice
 * note, a video, an animation, or a document for everything else. The kind comes from the file's extension, since
 * the agent attaches workspace files by path.
 */
enum MediaMethod {
  PHOTO("sendPhoto", "photo"),
  AUDIO("sendAudio", "audio"),
  VOICE("sendVoice", "voice"),
  VIDEO("sendVideo", "video"),
  ANIMATION("sendAnimation", "animation"),
  DOCUMENT("sendDocument", "document");

  /** Not images here: a GIF sent as a photo loses its motion, so it goes as an animation. */
  private static final Map<String, MediaMethod> BY_EXTENSION = Map.ofEntries(
      Map.entry("mp3", AUDIO), Map.entry("m4a", AUDIO), Map.entry("wav", AUDIO), Map.entry("flac", AUDIO),
      Map.entry("aac", AUDIO), Map.entry("ogg", VOICE), Map.entry("oga", VOICE), Map.entry("opus", VOICE),
      Map.entry("mp4", VIDEO), Map.entry("mov", VIDEO), Map.entry("m4v", VIDEO), Map.entry("webm", VIDEO),
      Map.entry("gif", ANIMATION));

  private final String method;
  private final String field;

  MediaMethod(String method, String field) {
    this.method = method;
    this.field = field;
  }

  String method() {
    return method;
  }

  String field() {
    return field;
  }

  /** The method for a file that is not sent as a photo. */
  static MediaMethod forFile(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    if (dot < 0) return DOCUMENT;
    return BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), DOCUMENT);
  }
}
