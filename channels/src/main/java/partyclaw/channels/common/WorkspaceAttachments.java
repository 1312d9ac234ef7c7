package partyclaw.channels.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code <attachment>path</attachment>} tags of an outgoing text, resolved against the conversation's
 * workspace. A path is sent only when it names a regular file inside the workspace after {@code ..} and symlinks
 * are resolved; every other tag becomes a note saying why, so the user learns the file did not come.
 */
public final class WorkspaceAttachments {
  private static final Pattern TAG = Pattern.compile("<attachment>\\s*(.*?)\\s*</attachment>", Pattern.DOTALL);

  private WorkspaceAttachments() {}

  /**
   * {@code text}: the text with the tags removed (stripped); {@code files}: real paths inside the workspace, in tag
   * order; {@code notes}: one Markdown line per tag that is not sent.
   */
  public record Extracted(String text, List<Path> files, List<String> notes) {}

  public static Extracted extract(String text, Path workspaceRoot) {
    List<Path> files = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Matcher m = TAG.matcher(text == null ? "" : text);
    StringBuilder clean = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(clean, "");
      String given = m.group(1);
      String problem = resolve(workspaceRoot, given, files);
      if (problem != null) notes.add("(Attachment `" + given + "` was not sent: " + problem + ".)");
    }
    m.appendTail(clean);
    return new Extracted(clean.toString().strip(), List.copyOf(files), List.copyOf(notes));
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
}
