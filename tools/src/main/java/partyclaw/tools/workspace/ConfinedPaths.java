package partyclaw.tools.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import partyclaw.core.tool.ToolException;

/**
 * Canonicalised paths inside one workspace root (tools.md §1.4, host tools): {@code ..} and symlinks are resolved
 * and the result must stay under the root's real path, else {@code path escapes workspace root}.
 */
final class ConfinedPaths {
  private ConfinedPaths() {}

  /** An existing path, every symlink followed (what a listing looks at). */
  static Path existing(Path realRoot, String raw) throws ToolException {
    Path lexical = lexical(realRoot, raw);
    if (!Files.exists(lexical, LinkOption.NOFOLLOW_LINKS)) {
      // A parent that escapes is reported as such even when the rest is missing.
      inside(realRoot, raw);
      throw new ToolException("path does not exist: " + raw);
    }
    Path real;
    try {
      real = lexical.toRealPath();
    } catch (IOException e) {
      throw new ToolException("path does not exist: " + raw + " (a broken symlink)");
    }
    return check(realRoot, real, raw);
  }

  /**
   * An existing entry named by {@code raw}: its parent canonicalised, its last component not followed, so a
   * symlink is the link itself (what a move takes). Never the root itself.
   */
  static Path existingEntry(Path realRoot, String raw) throws ToolException {
    Path lexical = lexical(realRoot, raw);
    if (lexical.getParent() == null) throw escapes(raw);
    if (lexical.equals(realRoot)) {
      throw new ToolException("path must name something inside the workspace, not its root: " + raw);
    }
    Path parent = inside(realRoot, lexical.getParent(), raw);
    Path entry = parent.resolve(lexical.getFileName().toString());
    if (!Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) throw new ToolException("path does not exist: " + raw);
    return check(realRoot, entry, raw);
  }

  /** A path that may not exist yet: the real path of its deepest existing ancestor plus the rest. */
  static Path inside(Path realRoot, String raw) throws ToolException {
    return inside(realRoot, lexical(realRoot, raw), raw);
  }

  /** {@link #inside(Path, String)} of an already normalised absolute path; errors name {@code raw}. */
  private static Path inside(Path realRoot, Path lexical, String raw) throws ToolException {
    Path existing = lexical;
    Path rest = null;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      Path name = existing.getFileName();
      rest = rest == null ? name : name.resolve(rest);
      existing = existing.getParent();
    }
    if (existing == null) throw escapes(raw);
    Path real;
    try {
      real = existing.toRealPath();
    } catch (IOException e) {
      // A broken symlink on the way: its target is unknown, so it cannot be shown to be inside.
      throw escapes(raw);
    }
    return check(realRoot, rest == null ? real : real.resolve(rest).normalize(), raw);
  }

  /** Workspace-relative form with '/' separators, "." for the root. */
  static String relative(Path realRoot, Path p) {
    String rel = realRoot.relativize(p).toString().replace('\\', '/');
    return rel.isEmpty() ? "." : rel;
  }

  private static Path lexical(Path realRoot, String raw) throws ToolException {
    try {
      Path given = Path.of(raw.isEmpty() ? "." : raw);
      return (given.isAbsolute() ? given : realRoot.resolve(given)).normalize();
    } catch (InvalidPathException e) {
      throw new ToolException("invalid path " + raw + ": " + e.getReason());
    }
  }

  private static Path check(Path realRoot, Path p, String raw) throws ToolException {
    if (!p.startsWith(realRoot)) throw escapes(raw);
    return p;
  }

  private static ToolException escapes(String raw) {
    return new ToolException("path escapes workspace root: " + raw);
  }
}
