package partyclaw.tools.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.core.workdir.Workdir;
import partyclaw.core.workspace.WorkspaceRegistry;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/**
 * {@code workspace_content_list} (tools.md §4.1): a shallow inventory of one of the caller's workspaces. Entries
 * are sorted by path, depth-first; links are listed (as {@code symlink}) but not followed.
 */
public final class WorkspaceContentListTool implements Tool {
  static final long DEFAULT_DEPTH = 2;
  static final long DEFAULT_LIMIT = 100;
  static final long MAX_LIMIT = 500;
  private final WorkspaceAccess access;

  public WorkspaceContentListTool() {
    this(WorkspaceRegistry::shared);
  }

  public WorkspaceContentListTool(Function<Workdir, WorkspaceRegistry> registries) {
    this.access = new WorkspaceAccess(registries);
  }

  @Override
  public String name() {
    return "workspace_content_list";
  }

  @Override
  public String description() {
    return "List the files of one of this conversation's workspaces (ids from workspaces_list) without mounting "
        + "it.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("workspace_id", "Workspace to list.")
        .string("path", "Directory inside that workspace, relative to its root. Default: the root.")
        .integer("depth", "Nesting levels below path: 0 lists only direct children. Default 2.")
        .integer("limit", "Most entries to return, 1-500. Default 100.")
        .required("workspace_id")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    String id = Args.requireNonEmpty(args, "workspace_id");
    String rawPath = WorkspaceAccess.optNonEmpty(args, "path").orElse(".");
    long depth = WorkspaceAccess.lenientInt(args, "depth", DEFAULT_DEPTH);
    int limit = (int) Math.max(1, Math.min(MAX_LIMIT, WorkspaceAccess.lenientInt(args, "limit", DEFAULT_LIMIT)));
    Path root = access.ownedFiles(ctx, id);
    Path base = ConfinedPaths.existing(root, rawPath);

    List<Path> found = new ArrayList<>();
    boolean truncated;
    if (Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
      truncated = walk(base, 0, depth, limit, found);
    } else {
      found.add(base);
      truncated = false;
    }
    ObjectNode out = Json.object();
    out.put("workspace_id", id);
    out.put("path", ConfinedPaths.relative(root, base));
    ArrayNode entries = out.putArray("entries");
    for (Path p : found) entries.add(entry(root, p));
    if (truncated) out.put("truncated", true);
    return out;
  }

  /** Pre-order walk with children sorted by name; returns true when {@code limit} cut it short. */
  private static boolean walk(Path dir, long level, long depth, int limit, List<Path> found) {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) children.add(p);
    } catch (IOException e) {
      // An unreadable directory is listed without its content.
      return false;
    }
    children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    for (Path child : children) {
      if (found.size() >= limit) return true;
      found.add(child);
      if (level < depth && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)
          && walk(child, level + 1, depth, limit, found)) {
        return true;
      }
    }
    return false;
  }

  private static ObjectNode entry(Path root, Path p) {
    ObjectNode e = Json.object();
    e.put("path", ConfinedPaths.relative(root, p));
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      e.put("entry_type", a.isDirectory() ? "dir" : a.isSymbolicLink() ? "symlink" : "file");
      if (!a.isDirectory() && !a.isSymbolicLink()) e.put("size_bytes", a.size());
      e.put("modified_at", a.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.MILLIS).toString());
    } catch (IOException ex) {
      // Removed while listing: keep its path, leave the details out.
      e.put("entry_type", "file");
    }
    return e;
  }
}
