package partyclaw.tools.file;

import partyclaw.tools.remote.RemoteHosts;
import partyclaw.tools.remote.RemoteFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.core.util.AtomicFiles;
import partyclaw.tools.support.Schema;
import partyclaw.tools.support.WorkspacePaths;

/**
 * {@code edit}: exact-text replacement in a file, written atomically (tools.md §3.1). The replacement needs the
 * whole text in memory (and a second copy while it is rewritten), so, unlike the reference, files larger than
 * {@link #MAX_FILE_BYTES} are refused with an error naming the limit rather than risking the daemon's heap; the
 * error points to apply_patch, which git applies without holding the file in the daemon.
 */
public final class EditTool implements Tool {
  /** 10 MiB: far above any source file, far below what a small daemon's heap can spare for one call. */
  static final int MAX_FILE_BYTES = 10 * 1024 * 1024;

  @Override
  public String name() {
    return "edit";
  }

  @Override
  public String description() {
    return "Replace exact text in a file. old_text must match exactly once unless replace_all is true. "
        + "With create_if_missing, a missing file is created with new_text as its content. Files larger than "
        + MAX_FILE_BYTES + " bytes are refused; use apply_patch for those.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("path", "Path of the file, absolute or relative to the workspace.")
        .string("old_text", "Exact text to replace.")
        .string("new_text", "Replacement text.")
        .bool("replace_all", "Replace every occurrence instead of requiring exactly one.")
        .bool("create_if_missing", "Create the file with new_text if it does not exist.")
        .remote()
        .required("path", "old_text", "new_text")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String raw = Args.requireString(args, "path");
    String oldText = Args.requireString(args, "old_text");
    String newText = Args.requireString(args, "new_text");
    boolean replaceAll = Args.optBoolean(args, "replace_all", false);
    boolean createIfMissing = Args.optBoolean(args, "create_if_missing", false);
    Args.requireUtf8Encoding(args);
    java.util.Optional<String> remote = RemoteHosts.target(args);
    if (remote.isPresent()) {
      return RemoteFiles.call(ctx, remote.get(), "edit", Json.object().put("path", raw).put("old_text", oldText)
          .put("new_text", newText).put("replace_all", replaceAll).put("create_if_missing", createIfMissing));
    }
    Path path = WorkspacePaths.resolve(ctx, raw);

    if (!Files.exists(path) && createIfMissing) {
      byte[] bytes = newText.getBytes(StandardCharsets.UTF_8);
      FileWrites.createParents(path);
      write(path, bytes);
      return result(path, true, 1, bytes.length);
    }
    if (Files.isDirectory(path)) throw new ToolException(path + " is a directory, not a file");
    String text = readUtf8(path);
    if (oldText.isEmpty()) {
      throw new ToolException("old_text must not be empty; give the exact text to replace");
    }
    int count = countOccurrences(text, oldText);
    if (count == 0) throw new ToolException("old_text was not found in " + path);
    if (count > 1 && !replaceAll) {
      throw new ToolException("old_text matched " + count + " locations in " + path
          + "; include more surrounding context or set replace_all=true");
    }
    // Literal replacement: String.replace takes no regex and no '$' group references.
    String updated = replaceAll ? text.replace(oldText, newText) : replaceFirst(text, oldText, newText);
    byte[] bytes = updated.getBytes(StandardCharsets.UTF_8);
    write(path, bytes);
    return result(path, false, replaceAll ? count : 1, bytes.length);
  }

  private static ObjectNode result(Path path, boolean created, int replacements, int bytesWritten) {
    ObjectNode out = Json.object();
    out.put("path", path.toString());
    out.put("created", created);
    out.put("replacements", replacements);
    out.put("bytes_written", bytesWritten);
    return out;
  }

  private static void write(Path path, byte[] bytes) throws ToolException {
    try {
      AtomicFiles.write(path, bytes);
    } catch (IOException e) {
      throw new ToolException("failed to write " + path);
    }
  }

  private static String readUtf8(Path path) throws ToolException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      // Bounded read: the size on disk can change (or lie, for a device) between a stat and the read.
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw new ToolException("failed to read " + path);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new ToolException(path + " is " + sizeOf(path, bytes.length) + " bytes, which exceeds the edit limit of "
          + MAX_FILE_BYTES + " bytes; use apply_patch to change a file this large");
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ToolException("failed to read " + path + " (it is not valid UTF-8 text)");
    }
  }

  /** The size on disk if it can be told, else "more than" what was read. */
  private static String sizeOf(Path path, int read) {
    try {
      long size = Files.size(path);
      if (size >= read) return Long.toString(size);
    } catch (IOException ignored) {
      // fall through
    }
    return "more than " + MAX_FILE_BYTES;
  }

  static int countOccurrences(String text, String needle) {
    int count = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) count++;
    return count;
  }

  private static String replaceFirst(String text, String needle, String replacement) {
    int i = text.indexOf(needle);
    return text.substring(0, i) + replacement + text.substring(i + needle.length());
  }
}
