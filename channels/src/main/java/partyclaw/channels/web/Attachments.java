package partyclaw.channels.web;

import java.util.List;
import partyclaw.actors.outbox.ReplyOption;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.MediaTypes;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import partyclaw.channels.common.WorkspaceAttachments;
import partyclaw.core.json.Json;

/**
 * Files of outgoing messages as the web client sees them: {@code <attachment>} tags resolved inside the
 * conversation's workspace (spec 2.0), referenced as {@code {source:"workspace", path, kind, caption}} and served by
 * {@code /api/attachment} only when the path is relative, has normal components only and stays inside the root.
 */
final class Attachments {
  private Attachments() {}

  private static final Map<String, String> KINDS = Map.ofEntries(
      Map.entry("png", "image"), Map.entry("jpg", "image"), Map.entry("jpeg", "image"), Map.entry("gif", "image"),
      Map.entry("webp", "image"), Map.entry("bmp", "image"), Map.entry("pdf", "pdf"),
      Map.entry("wav", "audio"), Map.entry("mp3", "audio"), Map.entry("mpeg", "audio"), Map.entry("mpga", "audio"),
      Map.entry("ogg", "audio"), Map.entry("opus", "audio"), Map.entry("m4a", "audio"), Map.entry("aac", "audio"),
      Map.entry("flac", "audio"), Map.entry("mp4", "video"), Map.entry("mov", "video"), Map.entry("mkv", "video"),
      Map.entry("avi", "video"), Map.entry("webm", "video"), Map.entry("tgs", "sticker"));

  static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  static String kindOf(String name) {
    return KINDS.getOrDefault(extension(name), "file");
  }

  static ContentType contentType(String name) {
    return switch (extension(name)) {
      case "png" -> ContentTypes.create(MediaTypes.IMAGE_PNG);
      case "jpg", "jpeg" -> ContentTypes.create(MediaTypes.IMAGE_JPEG);
      case "gif" -> ContentTypes.create(MediaTypes.IMAGE_GIF);
      case "webp" -> ContentTypes.create(MediaTypes.IMAGE_WEBP);
      case "bmp" -> ContentTypes.create(MediaTypes.IMAGE_X_MS_BMP);
      case "pdf" -> ContentTypes.create(MediaTypes.APPLICATION_PDF);
      case "mp3", "mpeg", "mpga" -> ContentTypes.create(MediaTypes.AUDIO_MPEG);
      case "ogg", "opus" -> ContentTypes.create(MediaTypes.AUDIO_OGG);
      case "wav" -> ContentTypes.create(MediaTypes.AUDIO_WAV);
      case "mp4" -> ContentTypes.create(MediaTypes.VIDEO_MP4);
      case "webm" -> ContentTypes.create(MediaTypes.VIDEO_WEBM);
      case "txt", "md", "log", "csv", "json", "html", "htm", "svg", "xml", "js", "css", "py", "java", "sh" ->
          ContentTypes.create(MediaTypes.TEXT_PLAIN, HttpCharsets.UTF_8); // shown as text, never rendered
      default -> ContentTypes.APPLICATION_OCTET_STREAM;
    };
  }

  /** Relative, non-empty, with normal components only (no {@code .}, {@code ..}, empty parts or backslashes). */
  static boolean isSafeRelative(String rel) {
    if (rel == null || rel.isEmpty() || rel.startsWith("/") || rel.contains("\\") || rel.indexOf('\0') >= 0) {
      return false;
    }
    for (String part : rel.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) return false;
    }
    return true;
  }

  /** The regular file at {@code rel} under {@code root}, when it stays inside the root after symlinks. */
  static Optional<Path> resolve(Path root, String rel) {
    if (root == null || !isSafeRelative(rel)) return Optional.empty();
    try {
      Path base = root.toRealPath();
      Path real = base.resolve(rel).toRealPath();
      return real.startsWith(base) && Files.isRegularFile(real) ? Optional.of(real) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * An outbox entry as a transcript entry: {@code type} (the kind), the text without its tags (plus a note for each
   * tag not sent), and the files split into {@code images} and {@code attachments}.
   */
  static ObjectNode entryOf(String kind, String text, String workspaceRoot) {
    return entryOf(kind, text, workspaceRoot, List.of());
  }

  /** As above, with the choices offered with the entry ({@code options[]} of {@code {label, value}}). */
  static ObjectNode entryOf(String kind, String text, String workspaceRoot, List<ReplyOption> options) {
    Path root = workspaceRoot == null ? null : Path.of(workspaceRoot);
    WorkspaceAttachments.Extracted ex = WorkspaceAttachments.extract(text, root);
    ObjectNode e = Json.object();
    e.put("type", kind);
    StringBuilder body = new StringBuilder(ex.text());
    for (String note : ex.notes()) body.append(body.length() == 0 ? "" : "\n\n").append(note);
    e.put("text", body.toString());
    ArrayNode images = e.putArray("images");
    ArrayNode files = e.putArray("attachments");
    Path base = null;
    try {
      base = root == null ? null : root.toRealPath();
    } catch (IOException ignored) {
      // no workspace on disk: no files either
    }
    for (Path f : ex.files()) {
      if (base == null || !f.startsWith(base)) continue; // outside known roots: omitted (spec 2.5)
      String rel = base.relativize(f).toString().replace('\\', '/');
      String kindOfFile = kindOf(f.getFileName().toString());
      ObjectNode ref = Json.object();
      ref.put("source", "workspace");
      ref.put("path", rel);
      ref.put("kind", kindOfFile);
      ref.put("caption", f.getFileName().toString());
      (kindOfFile.equals("image") ? images : files).add(ref);
    }
    ArrayNode choices = e.putArray("options");
    for (ReplyOption o : options) choices.addObject().put("label", o.label()).put("value", o.value());
    return e;
  }
}
