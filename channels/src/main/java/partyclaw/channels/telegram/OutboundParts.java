package partyclaw.channels.telegram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one outbox entry becomes on Telegram, in sending order: HTML text chunks, then files. A short text rides
 * as the caption of the first file. {@code <attachment>} paths must resolve inside the workspace (symlinks
 * included); others are not sent and a note in the text says why.
 */
public final class OutboundParts {
  public static final int MESSAGE_LIMIT = 4096;
  public static final int CAPTION_LIMIT = 1024;
  private static final Pattern ATTACHMENT = Pattern.compile("<attachment>\\s*(.*?)\\s*</attachment>", Pattern.DOTALL);
  private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "webp", "bmp");

  private OutboundParts() {}

  public sealed interface Part permits Text, File {}

  /** One sendMessage: Telegram HTML of at most {@link #MESSAGE_LIMIT} visible characters. */
  public record Text(String html) implements Part {}

  /** One sendPhoto / sendDocument; {@code captionHtml} may be null. */
  public record File(Path path, boolean image, String captionHtml) implements Part {}

  /** Parts for {@code text} (Markdown with attachment tags) of a conversation whose workspace is {@code root}. */
  public static List<Part> of(String text, Path workspaceRoot) {
    List<Path> files = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Matcher m = ATTACHMENT.matcher(text == null ? "" : text);
    StringBuilder clean = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(clean, "");
      String given = m.group(1);
      String problem = resolve(workspaceRoot, given, files);
      if (problem != null) notes.add("(Attachment `" + given + "` was not sent: " + problem + ".)");
    }
    m.appendTail(clean);
    String markdown = clean.toString().strip();
    if (!notes.isEmpty()) markdown = (markdown.isEmpty() ? "" : markdown + "\n\n") + String.join("\n", notes);
    String html = TelegramMarkdown.toHtml(markdown);

    List<Part> parts = new ArrayList<>();
    boolean captioned = !files.isEmpty() && !html.isEmpty() && HtmlChunks.visibleLength(html) <= CAPTION_LIMIT;
    if (!captioned && !html.isEmpty()) {
      for (String chunk : HtmlChunks.split(html, MESSAGE_LIMIT)) parts.add(new Text(chunk));
    }
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      parts.add(new File(f, isImage(f), captioned && i == 0 ? html : null));
    }
    return parts;
  }

  /** Adds the file to {@code files} and returns null, or returns why it cannot be sent. */
  private static String resolve(Path root, String given, List<Path> files) {
    if (given.isEmpty()) return "the path is empty";
    if (root == null) return "the conversation has no workspace";
    try {
      Path base = root.toAbsolutePath().normalize();
      Path candidate = base.resolve(given).normalize();
      if (!candidate.startsWith(base)) return "it is outside the conversation workspace";
      if (!Files.isRegularFile(candidate)) return "no such file in the workspace";
      Path real = candidate.toRealPath();
      if (!real.startsWith(base.toRealPath())) return "it is outside the conversation workspace";
      files.add(real);
      return null;
    } catch (IOException | RuntimeException e) {
      return "it cannot be read (" + e.getClass().getSimpleName() + ")";
    }
  }

  static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot >= 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
