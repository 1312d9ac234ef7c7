package partyclaw.tools.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
import partyclaw.tools.support.WorkspacePaths;

/**
 * {@code workspace_content_move} (tools.md §4.1): moves paths from one of the caller's earlier workspaces into the
 * current one, each to {@code <target_dir>/<basename>}. Unlike the reference, which copies and deletes path by
 * path with no rollback, nothing is lost on a failure: every path is first copied into a hidden staging directory
 * next to the targets, the copies are renamed into place only when all of them succeeded, and the sources are
 * deleted last. A target that already exists is refused up front rather than merged into.
 */
public final class WorkspaceContentMoveTool implements Tool {
  private final WorkspaceAccess access;
  private final CopyLimits limits;

  public WorkspaceContentMoveTool() {
    this(WorkspaceRegistry::shared, CopyLimits.DEFAULT);
  }

  public WorkspaceContentMoveTool(Function<Workdir, WorkspaceRegistry> registries, CopyLimits limits) {
    this.access = new WorkspaceAccess(registries);
    this.limits = limits;
  }

  @Override
  public String name() {
    return "workspace_content_move";
  }

  @Override
  public String description() {
    return "Move files or directories from one of this conversation's earlier workspaces into the current "
        + "workspace (each lands at <target_dir>/<its name>), removing them from the old one. Optionally update "
        + "either workspace's summary to say what moved.";
  }

  @Override
  public ObjectNode parameters() {
    ObjectNode schema = Schema.object()
        .string("source_workspace_id", "Workspace to move from (from workspaces_list).")
        .string("target_dir", "Directory in the current workspace to move into, created if missing. Default: "
            + "the workspace root.")
        .string("source_summary_update", "New summary of the source workspace.")
        .string("target_summary_update", "New summary of the current workspace.")
        .required("source_workspace_id", "paths")
        .build();
    ObjectNode paths = ((ObjectNode) schema.get("properties")).putObject("paths");
    paths.put("type", "array");
    paths.putObject("items").put("type", "string");
    paths.put("description", "Paths to move, relative to the source workspace root.");
    return schema;
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  private record Move(String raw, Path source, Path target) {}

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    String sourceId = Args.requireNonEmpty(args, "source_workspace_id");
    List<String> rawPaths = paths(args);
    String targetDirArg = WorkspaceAccess.optNonEmpty(args, "target_dir").orElse(".");
    Optional<String> sourceSummary = WorkspaceAccess.optNonEmpty(args, "source_summary_update");
    Optional<String> targetSummary = WorkspaceAccess.optNonEmpty(args, "target_summary_update");
    String current = WorkspaceAccess.currentId(ctx);
    if (sourceId.equals(current)) throw new ToolException("source workspace must differ from the current workspace");
    Path sourceRoot = access.ownedFiles(ctx, sourceId);
    Path currentRoot = WorkspacePaths.realRoot(ctx);
    List<Move> moves = plan(sourceRoot, currentRoot, rawPaths, targetDirArg);
    Path targetDir = moves.get(0).target().getParent();

    Path staging = targetDir.resolve(".workspace-move-" + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(targetDir);
      Files.createDirectory(staging);
      copyAll(moves, staging, sourceRoot, sourceId);
      placeAll(moves, staging);
    } catch (IOException e) {
      throw new ToolException("could not create " + targetDirArg + " in the current workspace: " + e.getMessage()
          + "; nothing was moved");
    } finally {
      TreeDelete.deleteQuietly(staging);
    }
    // Every copy is in place; only now do the sources go. A source that cannot be deleted is still a success
    // (nothing is lost), reported so the model knows it is still there.
    List<String> warnings = new ArrayList<>();
    for (Move m : moves) {
      try {
        TreeDelete.delete(m.source());
      } catch (IOException e) {
        warnings.add("copied " + m.raw() + " but could not remove it from workspace " + sourceId + ": "
            + e.getMessage());
      }
    }
    WorkspaceRegistry registry = access.registry(ctx);
    access.ensureCurrentRecorded(ctx);
    WorkspaceAccess.registryWrite(() -> {
      registry.markModified(sourceId);
      registry.markModified(current);
      sourceSummary.ifPresent(s -> registry.updateSummary(sourceId, s));
      targetSummary.ifPresent(s -> registry.updateSummary(current, s));
    });

    ObjectNode out = Json.object();
    out.put("source_workspace_id", sourceId);
    out.put("target_workspace_id", current);
    ArrayNode moved = out.putArray("moved_paths");
    for (Move m : moves) {
      moved.addObject().put("source", ConfinedPaths.relative(sourceRoot, m.source()))
          .put("target", ConfinedPaths.relative(currentRoot, m.target()));
    }
    if (!warnings.isEmpty()) {
      ArrayNode w = out.putArray("warnings");
      warnings.forEach(w::add);
    }
    return out;
  }

  private static List<String> paths(JsonNode args) throws ToolException {
    JsonNode v = args.get("paths");
    String bad = "paths must be a non-empty array of non-empty strings";
    if (v == null || !v.isArray() || v.isEmpty()) throw new ToolException(bad);
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual() || item.asText().trim().isEmpty()) throw new ToolException(bad);
      out.add(item.asText().trim());
    }
    return out;
  }

  /** Resolves and checks every path and target before anything is written. */
  private static List<Move> plan(Path sourceRoot, Path currentRoot, List<String> rawPaths, String targetDirArg)
      throws ToolException {
    Path targetDir = ConfinedPaths.inside(currentRoot, targetDirArg);
    if (Files.exists(targetDir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(targetDir)) {
      throw new ToolException("target_dir is not a directory in the current workspace: " + targetDirArg);
    }
    List<Move> moves = new ArrayList<>();
    for (String raw : rawPaths) {
      Path source = ConfinedPaths.existingEntry(sourceRoot, raw);
      Path target = targetDir.resolve(source.getFileName().toString());
      for (Move m : moves) {
        if (m.source().startsWith(source) || source.startsWith(m.source())) {
          throw new ToolException("paths overlap: " + m.raw() + " and " + raw + "; list each file or directory once");
        }
        if (m.target().equals(target)) {
          throw new ToolException("paths " + m.raw() + " and " + raw + " would both land at "
              + ConfinedPaths.relative(currentRoot, target) + "; move them in separate calls with different "
              + "target_dir");
        }
      }
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new ToolException("target already exists in the current workspace: "
            + ConfinedPaths.relative(currentRoot, target) + "; choose another target_dir or move it away first");
      }
      moves.add(new Move(raw, source, target));
    }
    return moves;
  }

  private void copyAll(List<Move> moves, Path staging, Path sourceRoot, String sourceId) throws ToolException {
    TreeCopy copy = new TreeCopy(limits, TreeCopy.Links.AS_IS, false, sourceRoot);
    for (Move m : moves) {
      try {
        copy.copy(m.source(), staging.resolve(m.target().getFileName().toString()));
      } catch (TreeCopy.TooLarge e) {
        throw new ToolException("the paths to move are larger than one move may copy (" + limits.describe()
            + "); nothing was moved: move fewer or smaller paths per call");
      } catch (IOException e) {
        throw new ToolException("could not copy " + m.raw() + " from workspace " + sourceId + ": " + e.getMessage()
            + "; nothing was moved");
      }
    }
  }

  /** Renames the staged copies into place; if one rename fails, the ones already placed go back to staging. */
  private static void placeAll(List<Move> moves, Path staging) throws ToolException {
    List<Move> placed = new ArrayList<>();
    for (Move m : moves) {
      try {
        Files.move(staging.resolve(m.target().getFileName().toString()), m.target(), StandardCopyOption.ATOMIC_MOVE);
        placed.add(m);
      } catch (IOException e) {
        for (Move p : placed) {
          try {
            Files.move(p.target(), staging.resolve(p.target().getFileName().toString()),
                StandardCopyOption.ATOMIC_MOVE);
          } catch (IOException ignored) {
            // it stays as an extra copy in the current workspace; the source is untouched either way
          }
        }
        throw new ToolException("could not put " + m.raw() + " at its target in the current workspace: "
            + e.getMessage() + "; nothing was moved");
      }
    }
  }
}
