package partyclaw.tools.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.workdir.Workdir;
import partyclaw.core.workspace.WorkspaceIds;
import partyclaw.core.workspace.WorkspaceRecord;
import partyclaw.core.workspace.WorkspaceRegistry;
import partyclaw.tools.support.Args;

/**
 * What the workspace tools share: the registry, the caller's current workspace, and the isolation rule.
 *
 * <p>Isolation (a deliberate departure from the reference, which lets any conversation reach every workspace id,
 * runtime.md §9 item 7): a conversation sees, lists, mounts and moves from only the workspaces it owns, i.e. whose
 * registry record names it as {@code ownerConversation}. Anything else is reported exactly like an unknown id,
 * {@code workspace <id> not found}, so a caller cannot even learn that another conversation's workspace exists.
 */
final class WorkspaceAccess {
  private final Function<Workdir, WorkspaceRegistry> registries;

  WorkspaceAccess(Function<Workdir, WorkspaceRegistry> registries) {
    this.registries = registries;
  }

  WorkspaceRegistry registry(ToolContext ctx) {
    return registries.apply(ctx.workdir());
  }

  /** The current workspace's id: the name of the directory above its {@code files/} root. */
  static String currentId(ToolContext ctx) {
    Path parent = ctx.workspaceRoot().getParent();
    return parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
  }

  /** The caller's record of {@code id}, if it owns it. */
  Optional<WorkspaceRecord> owned(ToolContext ctx, String id) {
    if (!WorkspaceIds.valid(id)) return Optional.empty();
    WorkspaceRegistry registry = registry(ctx);
    return registry.get(id).filter(r -> r.ownedBy(ctx.conversationId()));
  }

  /** Real path of the files root of a workspace the caller owns, or {@code workspace <id> not found}. */
  Path ownedFiles(ToolContext ctx, String id) throws ToolException {
    if (owned(ctx, id).isEmpty()) throw notFound(id);
    Path files = ctx.workdir().workspaceFiles(id);
    if (!Files.isDirectory(files, LinkOption.NOFOLLOW_LINKS)) throw notFound(id);
    try {
      return files.toRealPath();
    } catch (IOException e) {
      throw notFound(id);
    }
  }

  boolean filesExist(ToolContext ctx, String id) {
    return Files.isDirectory(ctx.workdir().workspaceFiles(id), LinkOption.NOFOLLOW_LINKS);
  }

  /** Makes sure the current workspace has a record (the runtime normally creates it before the turn). */
  void ensureCurrentRecorded(ToolContext ctx) throws ToolException {
    String current = currentId(ctx);
    registryWrite(() -> {
      if (registry(ctx).get(current).isEmpty()) registry(ctx).touch(current, ctx.conversationId());
    });
  }

  static ToolException notFound(String id) {
    return new ToolException("workspace " + id + " not found");
  }

  /** A registry write; its failure is one line for the model. */
  static void registryWrite(Runnable write) throws ToolException {
    try {
      write.run();
    } catch (UncheckedIOException e) {
      throw new ToolException("could not update the workspace registry: " + e.getCause().getMessage());
    } catch (IllegalArgumentException e) {
      throw new ToolException(e.getMessage());
    }
  }

  /** An optional host-tool string (tools.md §1.2): trimmed, and rejected if present but empty. */
  static Optional<String> optNonEmpty(JsonNode args, String key) throws ToolException {
    return Args.has(args, key) ? Optional.of(Args.requireNonEmpty(args, key)) : Optional.empty();
  }

  /** Host tools fall back to the default for a malformed number (tools.md §1.2). */
  static long lenientInt(JsonNode args, String key, long dflt) {
    JsonNode v = args.get(key);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) return dflt;
    return v.asLong();
  }

  static boolean lenientBool(JsonNode args, String key, boolean dflt) {
    JsonNode v = args.get(key);
    return v != null && v.isBoolean() ? v.asBoolean() : dflt;
  }
}
