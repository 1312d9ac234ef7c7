package partyclaw.tools.search;

import partyclaw.tools.remote.RemoteHosts;
import partyclaw.tools.remote.RemoteFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/** {@code glob}: files whose path relative to the base matches a glob, newest first, at most 100 (tools.md §3.1). */
public final class GlobTool implements Tool {
  @Override
  public String name() {
    return "glob";
  }

  @Override
  public String description() {
    return "Find files by glob pattern (matched against the path relative to path; * and ** may cross "
        + "directories). Returns absolute file names, most recently modified first, at most 100.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("pattern", "Glob pattern, e.g. **/*.java or src/{a,b}/*.md.")
        .string("path", "Base directory (default: the workspace).")
        .remote()
        .required("pattern")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String pattern = Args.requireString(args, "pattern");
    String rawBase = Args.optString(args, "path").orElse(".");
    java.util.Optional<String> remote = RemoteHosts.target(args);
    if (remote.isPresent()) {
      return RemoteFiles.call(ctx, remote.get(), "glob", Json.object().put("pattern", pattern).put("path", rawBase));
    }
    GlobPattern glob = GlobPattern.compile(pattern);
    Path base = SearchResults.base(ctx, rawBase);
    List<FileWalk.Found> matches = new ArrayList<>();
    try {
      for (FileWalk.Found f : FileWalk.regularFiles(base)) if (glob.matches(f.relative())) matches.add(f);
    } catch (IOException e) {
      throw new ToolException("failed to walk " + base);
    }
    ObjectNode out = Json.object();
    out.put("pattern", pattern);
    out.put("path", base.toString());
    SearchResults.fill(out, matches);
    return out;
  }
}
