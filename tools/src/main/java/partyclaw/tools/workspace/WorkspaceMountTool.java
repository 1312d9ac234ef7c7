package partyclaw.tools.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
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
 * {@code workspace_mount} (tools.md §4.1): puts a read-only copy of one of the caller's workspaces at
 * {@code mounts/<mount_name>} in the current one. Departures from the reference (runtime.md §9 items 6, 29):
 * {@code mount_name} is validated, an existing entry of that name is replaced only when it is a mount this tool
 * made (recorded in the registry under the current workspace), the copy is read-only in both sandbox modes (the
 * reference's subprocess mode hands out a writable live symlink), and the mount stays until replaced: nothing
 * empties {@code mounts/} between steps.
 */
public final class WorkspaceMountTool implements Tool {
  static final String MOUNTS_DIR = "mounts";
  private static final Pattern MOUNT_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private final WorkspaceAccess access;
  private final CopyLimits limits;

  public WorkspaceMountTool() {
    this(WorkspaceRegistry::shared, CopyLimits.DEFAULT);
  }

  public WorkspaceMountTool(Function<Workdir, WorkspaceRegistry> registries, CopyLimits limits) {
    this.access = new WorkspaceAccess(registries);
    this.limits = limits;
  }

  @Override
  public String name() {
    return "workspace_mount";
  }

  @Override
  public String description() {
    return "Copy one of this conversation's earlier workspaces, read-only, into mounts/<mount_name> of the current "
        + "workspace so its files can be read. Mounting again under the same name refreshes the copy.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("workspace_id", "Workspace to mount (from workspaces_list).")
        .string("mount_name", "Directory name under mounts/: letters, digits, '.', '_', '-'. Default "
            + "workspace-<first 8 characters of the id>.")
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
    String mountName = WorkspaceAccess.optNonEmpty(args, "mount_name")
        .orElse("workspace-" + id.substring(0, Math.min(8, id.length())));
    if (!MOUNT_NAME.matcher(mountName).matches() || mountName.equals(".") || mountName.equals("..")) {
      throw new ToolException("mount_name must be 1-64 letters, digits, '.', '_' or '-' (not . or ..): "
          + Json.write(mountName));
    }
    String current = WorkspaceAccess.currentId(ctx);
    if (id.equals(current)) throw new ToolException("cannot mount the current workspace into itself");
    Path source = access.ownedFiles(ctx, id);
    Path mounts = mountsDir(ctx);
    Path target = mounts.resolve(mountName);
    WorkspaceRegistry registry = access.registry(ctx);
    boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
    if (exists) requireOurMount(registry, current, mountName, target);

    TreeCopy copy = new TreeCopy(limits, TreeCopy.Links.CONFINED_TO_SOURCE, true, source);
    Path fresh = mounts.resolve("." + mountName + "." + UUID.randomUUID() + ".tmp");
    try {
      copy.copy(source, fresh);
    } catch (TreeCopy.TooLarge e) {
      TreeDelete.deleteQuietly(fresh);
      throw new ToolException("workspace " + id + " is too large to mount (more than " + limits.describe()
          + "); list it with workspace_content_list and bring over what you need with workspace_content_move");
    } catch (IOException e) {
      TreeDelete.deleteQuietly(fresh);
      throw new ToolException("could not copy workspace " + id + " to " + MOUNTS_DIR + "/" + mountName + ": "
          + e.getMessage());
    }
    // Recorded before it appears, so a crash in between leaves a record (harmless) rather than an unknown copy
    // that a later mount would refuse to replace.
    access.ensureCurrentRecorded(ctx);
    WorkspaceAccess.registryWrite(() -> registry.recordMount(current, mountName, id));
    try {
      replace(mounts, target, fresh, exists);
    } catch (IOException e) {
      TreeDelete.deleteQuietly(fresh);
      throw new ToolException("could not put the copy of workspace " + id + " at " + MOUNTS_DIR + "/" + mountName
          + ": " + e.getMessage());
    }
    WorkspaceAccess.registryWrite(() -> registry.markModified(current));

    ObjectNode out = Json.object();
    out.put("workspace_id", id);
    out.put("mount_name", mountName);
    out.put("mount_path", MOUNTS_DIR + "/" + mountName);
    out.put("read_only", true);
    if (copy.skipped() > 0) out.put("skipped_entries", copy.skipped());
    return out;
  }

  /** {@code mounts/} of the current workspace: created if missing, and never followed if it is a link. */
  private static Path mountsDir(ToolContext ctx) throws ToolException {
    Path mounts = WorkspacePaths.realRoot(ctx).resolve(MOUNTS_DIR);
    if (Files.exists(mounts, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(mounts, LinkOption.NOFOLLOW_LINKS)) {
      throw new ToolException(MOUNTS_DIR + " in the current workspace is not a directory; move it away to mount "
          + "workspaces");
    }
    try {
      Files.createDirectories(mounts);
    } catch (IOException e) {
      throw new ToolException("could not create " + MOUNTS_DIR + " in the current workspace: " + e.getMessage());
    }
    return mounts;
  }

  /**
   * An existing {@code mounts/<name>} may be replaced only if it is our mount: recorded under the current
   * workspace, still a directory, and still read-only (a writable one was changed by someone since).
   */
  private static void requireOurMount(WorkspaceRegistry registry, String current, String name, Path target)
      throws ToolException {
    boolean recorded = registry.mounts(current).stream().anyMatch(m -> m.mountName().equals(name));
    boolean pristine;
    try {
      pristine = Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)
          && !Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS)
              .contains(PosixFilePermission.OWNER_WRITE);
    } catch (IOException | UnsupportedOperationException e) {
      pristine = false;
    }
    if (!recorded || !pristine) {
      throw new ToolException(MOUNTS_DIR + "/" + name + " already exists and is not a mount made by "
          + "workspace_mount; choose another mount_name or move it away first");
    }
  }

  /** Swaps the fresh copy in: the old mount is renamed aside first, so the name is never half-filled. */
  private static void replace(Path mounts, Path target, Path fresh, boolean exists) throws IOException {
    if (!exists) {
      Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    Path old = mounts.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".old");
    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    try {
      Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
      throw e;
    }
    TreeDelete.deleteQuietly(old);
  }
}
