package partyclaw.channels.telegram;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import partyclaw.channels.common.WorkspaceAttachments;

/**
 * What one outbox entry becomes on Telegram, in sending order: HTML text chunks, then files. A short text rides
 * as the caption of the first file. {@code <attachment>} tags are resolved by {@link WorkspaceAttachments}.
 */
public final class OutboundParts {
  public static final int MESSAGE_LIMIT = 4096;
  public static final int CAPTION_LIMIT = 1024;
  private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "webp", "bmp");

  private OutboundParts() {}

  public sealed interface Part permits Text, File, Album {}

  /** Photos sent at once with {@code sendMediaGroup}; at most {@link #ALBUM_SIZE}, at least two. */
  public record Album(List<Path> photos, String captionHtml) implements Part {
    public Album {
      photos = List.copyOf(photos);
    }
  }

  /** Photos per sendMediaGroup (config-and-channels.md §2.1: several images go in chunks of 5). */
  public static final int ALBUM_SIZE = 5;

  /** One sendMessage: Telegram HTML of at most {@link #MESSAGE_LIMIT} visible characters. */
  public record Text(String html) implements Part {}

  /** One sendPhoto / sendDocument; {@code captionHtml} may be null. */
  public record File(Path path, boolean image, String captionHtml) implements Part {}

  /** Parts for {@code text} (Markdown with attachment tags) of a conversation whose workspace is {@code root}. */
  public static List<Part> of(String text, Path workspaceRoot) {
    WorkspaceAttachments.Extracted extracted = WorkspaceAttachments.extract(text, workspaceRoot);
    List<Path> files = extracted.files();
    String markdown = extracted.text();
    if (!extracted.notes().isEmpty()) {
      markdown = (markdown.isEmpty() ? "" : markdown + "\n\n") + String.join("\n", extracted.notes());
    }
    String html = TelegramMarkdown.toHtml(markdown);

    List<Part> parts = new ArrayList<>();
    boolean captioned = !files.isEmpty() && !html.isEmpty() && HtmlChunks.visibleLength(html) <= CAPTION_LIMIT;
    if (!captioned && !html.isEmpty()) {
      for (String chunk : HtmlChunks.split(html, MESSAGE_LIMIT)) parts.add(new Text(chunk));
    }
    List<Path> images = files.stream().filter(OutboundParts::isImage).toList();
    List<Path> others = files.stream().filter(f -> !isImage(f)).toList();
    String caption = captioned ? html : null;
    if (images.size() >= 2) {
      // several images go as albums of up to five; a lone one left over goes as a photo
      for (int from = 0; from < images.size(); from += ALBUM_SIZE) {
        List<Path> chunk = images.subList(from, Math.min(images.size(), from + ALBUM_SIZE));
        parts.add(chunk.size() == 1 ? new File(chunk.get(0), true, caption) : new Album(chunk, caption));
        caption = null;
      }
      for (Path f : others) parts.add(new File(f, false, null));
      return parts;
    }
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      parts.add(new File(f, isImage(f), captioned && i == 0 ? html : null));
    }
    return parts;
  }

  static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot >= 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
