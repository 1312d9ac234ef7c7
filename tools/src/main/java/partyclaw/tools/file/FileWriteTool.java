package partyclaw.tools.file;

import partyclaw.tools.remote.RemoteHosts;
import partyclaw.tools.remote.RemoteFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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

/** {@code file_write}: overwrite (atomically) or append a UTF-8 text file (tools.md §3.1). */
public final class FileWriteTool implements Tool {
  @Override
  public String name() {
    return "file_write";
  }

  @Override
  public String description() {
    return "Write a UTF-8 text file, creating parent directories. mode \"overwrite\" (default) replaces the "
        + "whole file; mode \"append\" adds content at the end.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("file_path", "Path of the file, absolute or relative to the workspace.")
        .string("content", "Text to write.")
        .stringEnum("mode", "overwrite (default) or append.", "overwrite", "append")
        .remote()
        .required("file_path", "content")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String raw = Args.requireString(args, "file_path", "path");
    String content = Args.requireString(args, "content");
    String mode = Args.optString(args, "mode").orElse("overwrite");
    Args.requireUtf8Encoding(args);
    java.util.Optional<String> remote = RemoteHosts.target(args);
    if (remote.isPresent()) {
      return RemoteFiles.call(ctx, remote.get(), "write", Json.object().put("file_path", raw).put("content", content)
          .put("mode", mode));
    }
    Path path = WorkspacePaths.resolve(ctx, raw);
    if (Files.isDirectory(path)) throw new ToolException(path + " is a directory; give a file path to write");
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);

    FileWrites.createParents(path);
    try {
      if (mode.equals("append")) AtomicFiles.append(path, bytes);
      else AtomicFiles.write(path, bytes);
    } catch (IOException e) {
      throw new ToolException("failed to write " + path);
    }
    ObjectNode out = Json.object();
    out.put("file_path", path.toString());
    out.put("mode", mode);
    out.put("bytes_written", bytes.length);
    return out;
  }
}
