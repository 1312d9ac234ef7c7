package partyclaw.tools.search;

import partyclaw.tools.remote.RemoteHosts;
import partyclaw.tools.remote.RemoteFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;
import partyclaw.tools.support.WorkspacePaths;

/** {@code ls}: a recursive tree listing as plain text, at most 1000 entries (tools.md §3.1). */
public final class LsTool implements Tool {
  static final int MAX_ENTRIES = 1000;
  static final Set<String> SKIPPED_DIRS =
      Set.of("__pycache__", "node_modules", "target", "dist", "build", "coverage", "venv");

  @Override
  public String name() {
    return "ls";
  }

  @Override
  public String description() {
    return "List a directory recursively as an indented tree (directories end with /). Hidden entries and "
        + "build/dependency directories (node_modules, target, build, dist, venv, ...) are skipped; at most "
        + "1000 entries.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("path", "Directory to list, absolute or relative to the workspace.")
        .remote()
        .required("path")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String raw = Args.requireString(args, "path");
    java.util.Optional<String> remote = RemoteHosts.target(args);
    if (remote.isPresent()) {
      return RemoteFiles.call(ctx, remote.get(), "ls", partyclaw.core.json.Json.object().put("path", raw));
    }
    Path base = WorkspacePaths.resolve(ctx, raw);
    if (!Files.exists(base, LinkOption.NOFOLLOW_LINKS)) throw new ToolException(base + " does not exist");
    if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) throw new ToolException(base + " is not a directory");

    List<String> lines = new ArrayList<>();
    // Visiting each directory's children in sorted order makes the pre-order walk come out sorted by path
    // component by component, so the walk can stop at the cap without collecting the rest of the tree.
    boolean truncated = walk(base, 1, lines);

    StringBuilder out = new StringBuilder();
    if (truncated) {
      out.append("num_entries: >").append(MAX_ENTRIES).append('\n');
      out.append("truncated: true\n");
      out.append("The listing stopped at ").append(MAX_ENTRIES)
          .append(" entries; list a narrower path, or use glob/grep to find specific files.\n");
    } else {
      out.append("num_entries: ").append(lines.size()).append('\n');
    }
    out.append('\n');
    out.append("- ").append(base).append(base.toString().endsWith("/") ? "" : "/").append('\n');
    for (String line : lines) out.append(line).append('\n');
    return TextNode.valueOf(out.toString());
  }

  /** Returns true when the cap was hit. */
  private static boolean walk(Path dir, int depth, List<String> lines) {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) children.add(p);
    } catch (IOException e) {
      return false;
    }
    children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    for (Path child : children) {
      String name = child.getFileName().toString();
      if (name.startsWith(".")) continue;
      boolean isDir = Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
      if (isDir && SKIPPED_DIRS.contains(name)) continue;
      if (lines.size() >= MAX_ENTRIES) return true;
      lines.add("  ".repeat(depth) + "- " + name + (isDir ? "/" : ""));
      if (isDir && walk(child, depth + 1, lines)) return true;
    }
    return false;
  }
}
