package partyclaw.channels.dingtalk;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import partyclaw.channels.common.WorkspaceAttachments;

/**
 * What one outbox entry becomes on a DingTalk webhook: plain {@code text} messages (no Markdown, no splitting,
 * spec 2.2 / 2.3). Files named by {@code <attachment>} tags are not uploaded (DingTalk webhooks cannot take them):
 * the message lists their workspace paths under the reference's notice.
 */
final class WebhookTexts {
  static final String STREAM_ATTACHMENTS = "Generated attachments are not uploaded to DingTalk yet:";
  static final String ROBOT_IMAGES = "Generated images are not uploaded to DingTalk robot webhooks yet:";
  static final String ROBOT_ATTACHMENTS = "Generated attachments are not uploaded to DingTalk robot webhooks yet:";
  private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "webp", "bmp");

  private WebhookTexts() {}

  /** Stream bot: one message, parts joined with blank lines; an empty one is a single space. */
  static List<String> forStream(String text, Path workspaceRoot) {
    WorkspaceAttachments.Extracted x = WorkspaceAttachments.extract(text, workspaceRoot);
    List<String> parts = new ArrayList<>();
    if (!x.text().isEmpty()) parts.add(x.text());
    if (!x.files().isEmpty()) parts.add(STREAM_ATTACHMENTS + "\n" + String.join("\n", shown(x.files(), workspaceRoot)));
    if (!x.notes().isEmpty()) parts.add(String.join("\n", x.notes()));
    String content = String.join("\n\n", parts);
    return List.of(content.isEmpty() ? " " : content);
  }

  /** Robot: the images notice first, then the text with the attachments notice, joined by newlines; empty: nothing. */
  static List<String> forRobot(String text, Path workspaceRoot) {
    WorkspaceAttachments.Extracted x = WorkspaceAttachments.extract(text, workspaceRoot);
    List<Path> images = x.files().stream().filter(WebhookTexts::isImage).toList();
    List<Path> others = x.files().stream().filter(f -> !isImage(f)).toList();
    List<String> messages = new ArrayList<>();
    if (!images.isEmpty()) messages.add(ROBOT_IMAGES + "\n" + String.join("\n", shown(images, workspaceRoot)));
    List<String> lines = new ArrayList<>();
    if (!x.text().isEmpty()) lines.add(x.text());
    if (!others.isEmpty()) {
      lines.add(ROBOT_ATTACHMENTS);
      lines.addAll(shown(others, workspaceRoot));
    }
    lines.addAll(x.notes());
    if (!lines.isEmpty()) messages.add(String.join("\n", lines));
    return messages;
  }

  /** Paths as the agent named them: relative to the workspace. */
  private static List<String> shown(List<Path> files, Path root) {
    List<String> out = new ArrayList<>();
    for (Path f : files) {
      String shown = f.toString();
      try {
        Path base = root.toRealPath();
        if (f.startsWith(base)) shown = base.relativize(f).toString();
      } catch (Exception e) {
        // the absolute path is shown then
      }
      out.add(shown);
    }
    return out;
  }

  private static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot >= 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
