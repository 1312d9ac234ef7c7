package partyclaw.tools.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;

/**
 * Confines every path a tool touches to the conversation workspace. Unlike the reference (which relies on
 * its sandbox), the check is done here: after normalising {@code ..} and resolving the symlinks of the
 * deepest existing ancestor, the path must lie under the workspace's real root.
 */
public final class WorkspacePaths {
  private WorkspacePaths() {}

  /** The workspace root with its symlinks resolved (the root the containment check uses). */
  public static Path realRoot(ToolContext ctx) throws ToolException {
    Path root = ctx.workspaceRoot().toAbsolutePath().normalize();
    try {
      return root.toRealPath();
    } catch (IOException e) {
      throw new ToolException("the conversation workspace " + root + " is not accessible; ask the operator to check it");
    }
  }

  /**
   * Resolves {@code raw} (relative to the workspace, or absolute) to its real location inside the workspace.
   * Components that do not exist yet are appended to the real path of their deepest existing ancestor.
   */
  public static Path resolve(ToolContext ctx, String raw) throws ToolException {
    Path root = realRoot(ctx);
    Path lexical;
    try {
      Path given = Path.of(raw.isEmpty() ? "." : raw);
      lexical = (given.isAbsolute() ? given : ctx.workspaceRoot().toAbsolutePath().resolve(given)).normalize();
    } catch (InvalidPathException e) {
      throw new ToolException("invalid path " + raw + ": " + e.getReason());
    }
    Path real = realOfExistingPrefix(lexical);
    if (!real.startsWith(root)) throw outside(raw, root);
    return real;
  }

  public static ToolException outside(String raw, Path root) {
    return new ToolException("path " + raw + " is outside the conversation workspace " + root
        + "; use a path under the workspace (relative paths are resolved against it)");
  }

  /** Path relative to the workspace root, with '/' separators, as exec output paths are reported. */
  public static String relativize(ToolContext ctx, Path p) throws ToolException {
    return realRoot(ctx).relativize(p).toString().replace('\\', '/');
  }

  private static Path realOfExistingPrefix(Path lexical) {
    return realOfExistingPrefix(lexical, 0);
  }

  private static Path realOfExistingPrefix(Path lexical, int linkHops) {
    Path existing = lexical;
    Path rest = null;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      Path name = existing.getFileName();
      rest = rest == null ? name : name.resolve(rest);
      existing = existing.getParent();
    }
    if (existing == null) return lexical;
    Path real;
    try {
      real = existing.toRealPath();
    } catch (IOException e) {
      // A dangling symlink (or a loop): writing through it would land at its target, so judge the target.
      real = danglingTarget(existing, linkHops + 1);
    }
    return rest == null ? real : real.resolve(rest).normalize();
  }

  private static Path danglingTarget(Path link, int linkHops) {
    // Past the kernel's own hop limit the link can never be opened; report a location that fails the check.
    if (linkHops > 40) return Path.of("/").resolve("unresolvable-symlink-loop");
    try {
      if (Files.isSymbolicLink(link)) {
        Path target = Files.readSymbolicLink(link);
        Path abs = (target.isAbsolute() ? target : link.getParent().resolve(target)).normalize();
        return realOfExistingPrefix(abs, linkHops);
      }
    } catch (IOException | UnsupportedOperationException ignored) {
      // fall through: the lexical location is the best answer left
    }
    return link;
  }
}
