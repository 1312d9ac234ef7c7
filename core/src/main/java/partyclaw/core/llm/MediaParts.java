package partyclaw.core.llm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ContentPart;
import partyclaw.core.transcript.MediaKinds;

/**
 * Turns a user message's media parts into provider content parts at request time (runtime.md §3.6): media the
 * model takes natively is read, base64-encoded (images over 2000 px first scaled down to PNG) and embedded; media it
 * cannot take is copied to {@code <workspace>/.context_attachments/by-hash/<kind>-<hash>.<ext>} and replaced by a
 * text pointer naming the helper tool when one is configured. Reads files: call it off the actor threads.
 */
public final class MediaParts {
  private MediaParts() {}

  static {
    // a daemon has no display; image scaling must never look for one
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
  }

  /** Inline images wider or taller than this are scaled down (runtime.md §3.2). */
  static final int MAX_IMAGE_SIDE = 2000;
  /** Encoded media kept between requests, so a long conversation with images is not re-read on every step. */
  private static final long CACHE_CHARS = 64L * 1024 * 1024;

  private record CacheKey(Path path, long size, long modified) {}

  /** A file's bytes as sent: MIME type and base64. */
  public record Encoded(String mediaType, String base64) {
    public String dataUrl() {
      return "data:" + mediaType + ";base64," + base64;
    }
  }

  private static final Map<CacheKey, Encoded> CACHE = new LinkedHashMap<>(16, 0.75f, true);
  private static long cachedChars;

  /** Whether any message of the request carries media (then it must be encoded off the actor thread). */
  static boolean anyParts(ChatRequest request) {
    for (ChatMessage m : request.messages()) if (m.hasParts()) return true;
    return false;
  }

  /** The content array of a user message with parts, in Chat Completions or Responses shape. */
  static ArrayNode content(ChatMessage message, Path root, ModelTraits traits, boolean responses) {
    ArrayNode out = Json.array();
    StringBuilder text = new StringBuilder(message.content() == null ? "" : message.content());
    ArrayNode media = Json.array();
    for (ContentPart part : message.parts()) {
      Path file = resolve(root, part.path());
      if (traits.can(part.capability())) {
        Encoded encoded;
        try {
          encoded = load(file, part);
        } catch (IOException | RuntimeException e) {
          note(text, "[" + part.kind() + " " + display(part) + " could not be read (" + e.getMessage()
              + "); it is not attached]");
          continue;
        }
        note(text, "[" + part.kind() + " " + display(part) + " (" + file + ") is attached below and directly "
            + (part.type().equals(ContentPart.AUDIO) ? "audible" : "visible") + " to you]");
        media.add(encode(part, encoded, responses));
      } else {
        note(text, pointer(root, file, part, traits.helperTools().get(part.kind())));
      }
    }
    ObjectNode first = out.addObject();
    first.put("type", responses ? "input_text" : "text").put("text", text.toString());
    out.addAll(media);
    return out;
  }

  private static void note(StringBuilder text, String line) {
    if (text.length() > 0) text.append("\n\n");
    text.append(line);
  }

  private static String display(ContentPart part) {
    return part.name() == null || part.name().isBlank() ? "file" : part.name();
  }

  /** One part read from {@code file} and encoded for Chat Completions or (with {@code responses}) the Responses API. */
  public static ObjectNode encodedPart(ContentPart part, Path file, boolean responses) throws IOException {
    return encode(part, load(file, part), responses);
  }

  private static ObjectNode encode(ContentPart part, Encoded encoded, boolean responses) {
    ObjectNode node = Json.object();
    switch (part.type()) {
      case ContentPart.IMAGE -> {
        if (responses) {
          node.put("type", "input_image").put("image_url", encoded.dataUrl());
        } else {
          node.put("type", "image_url").putObject("image_url").put("url", encoded.dataUrl());
        }
      }
      case ContentPart.FILE -> {
        String name = display(part);
        if (responses) {
          node.put("type", "input_file").put("filename", name).put("file_data", encoded.dataUrl());
        } else {
          node.put("type", "file").putObject("file").put("filename", name).put("file_data", encoded.dataUrl());
        }
      }
      default -> {
        String format = MediaKinds.audioFormat(part.path());
        node.put("type", "input_audio").putObject("input_audio").put("data", encoded.base64())
            .put("format", format == null ? "mp3" : format);
      }
    }
    return node;
  }

  /**
   * The text that stands for media the model cannot take: where a copy is kept and what to do with it. The copy
   * under {@code .context_attachments} survives the original being moved or deleted by tools.
   */
  static String pointer(Path root, Path file, ContentPart part, String helperTool) {
    Path saved = file;
    if (root != null && Files.isRegularFile(file)) {
      try {
        saved = saveCopy(root, file, part);
      } catch (IOException | UncheckedIOException e) {
        saved = file;
      }
    } else if (!Files.isRegularFile(file)) {
      return "[Attachment no longer available: kind=" + part.kind() + ", path=" + file + ", original_name="
          + display(part) + "]";
    }
    String how = helperTool == null
        ? "this model cannot view it directly; use tools to inspect the file"
        : "this model cannot view it directly; use " + helperTool + " to ask the " + part.kind()
            + " helper model about it";
    return "[Attachment: kind=" + part.kind() + ", path=" + saved + ", original_name=" + display(part)
        + ", media_type=" + part.mediaType() + " — " + how + "]";
  }

  static Path saveCopy(Path root, Path file, ContentPart part) throws IOException {
    String hash = sha256(file).substring(0, 16);
    String ext = ContentPart.extension(file.toString());
    Path dir = root.resolve(".context_attachments").resolve("by-hash");
    Path target = dir.resolve(part.kind() + "-" + hash + (ext.isEmpty() ? "" : "." + ext));
    if (Files.isRegularFile(target)) return target;
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".copy", ".part");
    try {
      Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return target;
  }

  public static Path resolve(Path root, String path) {
    Path p = Path.of(path);
    if (p.isAbsolute() || root == null) return p.normalize();
    return root.resolve(p).normalize();
  }

  /** The file's bytes as sent: images over {@link #MAX_IMAGE_SIDE} scaled to PNG, everything else as it is. */
  public static Encoded load(Path file, ContentPart part) throws IOException {
    CacheKey key = new CacheKey(file.toAbsolutePath(), Files.size(file), Files.getLastModifiedTime(file).toMillis());
    synchronized (CACHE) {
      Encoded hit = CACHE.get(key);
      if (hit != null) return hit;
    }
    byte[] bytes = Files.readAllBytes(file);
    String type = part.mediaType();
    if (part.type().equals(ContentPart.IMAGE)) {
      byte[] scaled = scaledPng(bytes);
      if (scaled != null) {
        bytes = scaled;
        type = "image/png";
      }
    }
    Encoded encoded = new Encoded(type, Base64.getEncoder().encodeToString(bytes));
    synchronized (CACHE) {
      CACHE.put(key, encoded);
      cachedChars += encoded.base64().length();
      var it = CACHE.entrySet().iterator();
      while (cachedChars > CACHE_CHARS && it.hasNext()) {
        cachedChars -= it.next().getValue().base64().length();
        it.remove();
      }
    }
    return encoded;
  }

  /** PNG bytes of the image scaled to fit {@link #MAX_IMAGE_SIDE}; null when it already fits or cannot be decoded. */
  static byte[] scaledPng(byte[] bytes) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
    if (image == null) return null;
    int w = image.getWidth();
    int h = image.getHeight();
    if (Math.max(w, h) <= MAX_IMAGE_SIDE) return null;
    double scale = MAX_IMAGE_SIDE / (double) Math.max(w, h);
    int nw = Math.max(1, (int) Math.round(w * scale));
    int nh = Math.max(1, (int) Math.round(h * scale));
    BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, nw, nh, null);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(out, "png", png);
    return png.toByteArray();
  }

  private static String sha256(Path file) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (var in = Files.newInputStream(file)) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
