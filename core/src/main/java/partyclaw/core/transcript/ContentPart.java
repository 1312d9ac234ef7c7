package partyclaw.core.transcript;

import java.util.Locale;

/**
 * A media part of a user message: an image, a PDF (or other file) or audio, kept as a file and referenced by
 * {@code path} (absolute, or relative to the conversation's workspace root). Journal events carry only this
 * reference; the bytes are read and encoded for the provider at request time (runtime.md §3.6), so a transcript
 * with many images stays small.
 *
 * @param type {@link #IMAGE}, {@link #FILE} (a PDF) or {@link #AUDIO}
 * @param name the file's original name as the user sent it (may be null)
 * @param mediaType MIME type, e.g. {@code image/jpeg} (may be null: derived from the extension)
 */
public record ContentPart(String type, String path, String name, String mediaType) {

  public static final String IMAGE = "image";
  public static final String FILE = "file";
  public static final String AUDIO = "audio";

  public ContentPart {
    if (type == null || !(type.equals(IMAGE) || type.equals(FILE) || type.equals(AUDIO))) {
      throw new IllegalArgumentException("unknown content part type: " + type);
    }
    if (path == null || path.isBlank()) throw new IllegalArgumentException("a content part needs a path");
    if (mediaType == null) mediaType = MediaKinds.mediaType(path);
  }

  public static ContentPart image(String path) {
    return new ContentPart(IMAGE, path, originalName(path), null);
  }

  public static ContentPart pdf(String path) {
    return new ContentPart(FILE, path, originalName(path), "application/pdf");
  }

  public static ContentPart audio(String path) {
    return new ContentPart(AUDIO, path, originalName(path), null);
  }

  private static final java.util.regex.Pattern UPLOAD_PREFIX =
      java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-(.+)");

  /** The file's name without the {@code <uuid>-} channels put before inbound files (config-and-channels.md §2.0). */
  static String originalName(String path) {
    String name = fileName(path);
    java.util.regex.Matcher m = UPLOAD_PREFIX.matcher(name);
    return m.matches() ? m.group(1) : name;
  }

  /** The part for a file by its extension (runtime.md §3.6 kinds), or null when it is none of image, PDF, audio. */
  public static ContentPart forFile(String path) {
    return switch (MediaKinds.kindOf(path)) {
      case MediaKinds.IMAGE -> image(path);
      case MediaKinds.PDF -> pdf(path);
      case MediaKinds.AUDIO -> audio(path);
      default -> null;
    };
  }

  /** The capability a model needs to take this part natively: {@code image_in}, {@code pdf} or {@code audio_in}. */
  public String capability() {
    return switch (type) {
      case IMAGE -> "image_in";
      case FILE -> "pdf";
      default -> "audio_in";
    };
  }

  /** The kind word used in pointers and helper hints: image, pdf or audio. */
  public String kind() {
    return switch (type) {
      case IMAGE -> MediaKinds.IMAGE;
      case FILE -> MediaKinds.PDF;
      default -> MediaKinds.AUDIO;
    };
  }

  static String fileName(String path) {
    String p = path.replace('\\', '/');
    int slash = p.lastIndexOf('/');
    return slash < 0 ? p : p.substring(slash + 1);
  }

  /** The lower-case extension without the dot, or "". */
  public static String extension(String path) {
    String name = fileName(path);
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
