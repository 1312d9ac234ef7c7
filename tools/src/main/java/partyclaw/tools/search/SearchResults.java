package partyclaw.tools.search;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.tools.support.WorkspacePaths;

/** Base resolution and the shared result tail of glob and grep: count, cap of 100, absolute names. */
final class SearchResults {
  static final int MAX_FILES = 100;

  private SearchResults() {}

  static Path base(ToolContext ctx, String raw) throws ToolException {
    Path base = WorkspacePaths.resolve(ctx, raw);
    if (!Files.exists(base, LinkOption.NOFOLLOW_LINKS)) throw new ToolException(base + " does not exist");
    return base;
  }

  static void fill(ObjectNode out, List<FileWalk.Found> matches) {
    matches.sort(FileWalk.NEWEST_FIRST);
    out.put("num_files", matches.size());
    if (matches.size() > MAX_FILES) out.put("truncated", true);
    ArrayNode names = out.putArray("filenames");
    for (int i = 0; i < Math.min(MAX_FILES, matches.size()); i++) names.add(matches.get(i).path().toString());
  }
}
