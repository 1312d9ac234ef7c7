package partyclaw.tools.file;

import partyclaw.tools.remote.RemoteHosts;
import partyclaw.tools.remote.RemoteFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;
import partyclaw.tools.support.TextLines;
import partyclaw.tools.support.WorkspacePaths;

/** {@code file_read}: a numbered line window of a UTF-8 text file (tools.md §3.1). */
public final class FileReadTool implements Tool {
  static final int MAX_LINE_CHARS = 2000;
  static final long MAX_BYTES = 262_144;
  static final long DEFAULT_LIMIT = 2000;

  @Override
  public String name() {
    return "file_read";
  }

  @Override
  public String description() {
    return "Read a UTF-8 text file. Returns numbered lines (\"<line>: <text>\") from offset (1-based, default 1) "
        + "for up to limit lines (default 2000). Lines longer than 2000 characters are cut, and at most 256 KiB "
        + "of content is returned; files over 256 KiB need offset and/or limit.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("file_path", "Path of the file, absolute or relative to the workspace.")
        .integer("offset", "1-based line number to start from.")
        .integer("limit", "Maximum number of lines to return.")
        .remote()
        .required("file_path")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String raw = Args.requireString(args, "file_path", "path");
    Args.requireUtf8Encoding(args);
    Optional<String> remote = RemoteHosts.target(args);
    Optional<Long> offset = Args.optNonNegativeInt(args, "offset");
    Optional<Long> offsetLines = Args.optNonNegativeInt(args, "offset_lines");
    Optional<Long> limitArg = Args.optNonNegativeInt(args, "limit");
    Optional<Long> limitLines = Args.optNonNegativeInt(args, "limit_lines");
    // offset_lines is 0-based; offset:0 still reads from line 1 but is echoed as start_line 0.
    long startLine = offset.orElseGet(() -> offsetLines.map(o -> o + 1).orElse(1L));
    long limit = limitArg.or(() -> limitLines).orElse(DEFAULT_LIMIT);
    boolean windowed = offset.isPresent() || offsetLines.isPresent() || limitArg.isPresent() || limitLines.isPresent();

    if (remote.isPresent()) {
      return RemoteFiles.call(ctx, remote.get(), "read", Json.object().put("file_path", raw)
          .put("start_line", startLine).put("limit", limit).put("windowed", windowed));
    }
    Path path = WorkspacePaths.resolve(ctx, raw);
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new ToolException("failed to stat " + path);
    }
    if (attrs.isDirectory()) throw new ToolException(path + " is a directory, not a file");
    if (attrs.size() > MAX_BYTES && !windowed) {
      throw new ToolException(path + " is " + attrs.size() + " bytes, which exceeds the direct-read limit of "
          + MAX_BYTES + " bytes; provide offset and/or limit");
    }

    Window w = new Window(Math.max(startLine, 1) - 1, limit);
    try (Reader r = new InputStreamReader(Files.newInputStream(path), StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))) {
      TextLines.forEach(r, MAX_LINE_CHARS, w::accept);
    } catch (IOException e) {
      throw new ToolException("failed to read " + path);
    }

    ObjectNode out = Json.object();
    out.put("file_path", path.toString());
    out.put("start_line", startLine);
    out.put("end_line", w.firstIndex + w.returned);
    out.put("total_lines", w.total);
    out.put("content", w.content.toString());
    boolean byLines = w.firstIndex + w.returned < w.total && !w.byBytes;
    if (byLines || w.byBytes || w.longLines) out.put("truncated", true);
    if (byLines) out.put("truncated_by_lines", true);
    if (w.byBytes) out.put("truncated_by_bytes", true);
    if (w.longLines) out.put("truncated_long_lines", true);
    return out;
  }

  /** Collects the requested lines while counting all of them (total_lines needs the whole file). */
  private static final class Window {
    final long firstIndex;
    final long limit;
    final StringBuilder content = new StringBuilder();
    long contentBytes;
    long total;
    long returned;
    boolean byBytes;
    boolean longLines;

    Window(long firstIndex, long limit) {
      this.firstIndex = firstIndex;
      this.limit = limit;
    }

    void accept(String line) {
      long index = total++;
      if (index < firstIndex || returned >= limit || byBytes) return;
      String text = line;
      if (text.length() > MAX_LINE_CHARS) {
        text = text.substring(0, MAX_LINE_CHARS) + "...";
        longLines = true;
      }
      String rendered = (index + 1) + ": " + text;
      long bytes = rendered.getBytes(StandardCharsets.UTF_8).length + (returned > 0 ? 1 : 0);
      if (contentBytes + bytes > MAX_BYTES) {
        byBytes = true;
        return;
      }
      if (returned > 0) content.append('\n');
      content.append(rendered);
      contentBytes += bytes;
      returned++;
    }
  }
}
