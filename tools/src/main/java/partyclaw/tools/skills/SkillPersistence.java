package partyclaw.tools.skills;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import partyclaw.core.json.Json;
import partyclaw.core.skills.SkillException;
import partyclaw.core.skills.SkillManifest;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.tools.support.WorkspacePaths;

/**
 * Persists a skill staged at {@code <workspace>/.skills/<name>/} into the global store (runtime.md §5,
 * tools.md §3.6). The new version is copied next to the target first and swapped in by renames, so the
 * store never shows a half-copied skill under its real name; a crash between the renames leaves the old
 * version aside under a hidden name, and the next persist puts it back.
 */
final class SkillPersistence {
  static final String STAGING_DIR = ".skills";
  static final String LOCK_FILE = ".lock";
  private static final String NEW_PREFIX = ".new.";
  private static final String OLD_PREFIX = ".old.";
  /** One monitor per store: a file lock alone cannot exclude two threads of the same JVM. */
  private static final ConcurrentMap<Path, Object> STORE_MONITORS = new ConcurrentHashMap<>();

  private SkillPersistence() {}

  static ObjectNode persist(ToolContext ctx, String name, boolean update) throws ToolException {
    Path staged = stagedDir(ctx, name);
    SkillManifest manifest = stagedManifest(staged, name);
    Path store = ctx.workdir().skillsStore();
    try {
      Files.createDirectories(store);
    } catch (IOException e) {
      throw new ToolException("cannot create the skills store " + store + "; ask the operator to check it");
    }
    synchronized (STORE_MONITORS.computeIfAbsent(store, k -> new Object())) {
      try (FileChannel ch = FileChannel.open(store.resolve(LOCK_FILE), StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        recoverInterrupted(store);
        swapIn(staged, store, name, update);
      } catch (IOException e) {
        throw new ToolException("failed to persist skill '" + name + "' into " + store + " ("
            + e.getClass().getSimpleName() + ")");
      }
    }
    ObjectNode out = Json.object();
    out.put("name", manifest.name());
    out.put("description", manifest.description());
    out.put("persisted", true);
    out.put("created", !update);
    out.put("updated", update);
    return out;
  }

  private static Path stagedDir(ToolContext ctx, String name) throws ToolException {
    Path staging = WorkspacePaths.realRoot(ctx).resolve(STAGING_DIR);
    Path staged = staging.resolve(name);
    if (Files.isSymbolicLink(staging)) {
      throw new ToolException(staging + " is a symlink; stage skills in a real directory");
    }
    if (Files.isSymbolicLink(staged)) {
      throw new ToolException("the staged skill " + staged + " is a symlink; stage it as a real directory");
    }
    if (!Files.isDirectory(staged, LinkOption.NOFOLLOW_LINKS)) {
      throw new ToolException("no staged skill at " + staged + "; write " + staged.resolve("SKILL.md")
          + " (and any references/, scripts/, assets/) first");
    }
    return staged;
  }

  private static SkillManifest stagedManifest(Path staged, String name) throws ToolException {
    Path file = staged.resolve("SKILL.md");
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new ToolException(file + " is missing; a skill needs a SKILL.md with name and description front matter");
    }
    SkillManifest m;
    try {
      m = SkillManifest.parse(file);
    } catch (SkillException e) {
      throw new ToolException(e.getMessage());
    }
    if (!m.name().equals(name)) {
      throw new ToolException(file + ": name \"" + m.name() + "\" does not match skill_name \"" + name + "\"");
    }
    return m;
  }

  /** Runs under the store lock. */
  private static void swapIn(Path staged, Path store, String name, boolean update)
      throws ToolException, IOException {
    Path target = store.resolve(name);
    boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
    if (!update && exists) throw new ToolException("skill '" + name + "' already exists; use skill_update instead");
    if (update && !exists) throw new ToolException("cannot update unknown skill '" + name + "'; create it first");

    String id = UUID.randomUUID().toString();
    Path fresh = store.resolve(NEW_PREFIX + id + "." + name);
    try {
      SkillTree.copy(staged, fresh);
    } catch (ToolException | IOException e) {
      SkillTree.delete(fresh);
      throw e;
    }
    if (update) {
      Path old = store.resolve(OLD_PREFIX + id + "." + name);
      rename(target, old);
      rename(fresh, target);
      SkillTree.syncDirectory(store);
      SkillTree.delete(old);
    } else {
      rename(fresh, target);
      SkillTree.syncDirectory(store);
    }
  }

  /**
   * Clears what an interrupted persist left behind (runs under the store lock, so nothing is in progress):
   * partial copies are deleted; an old version moved aside goes back if its name is empty, else it is deleted.
   */
  private static void recoverInterrupted(Path store) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(store, ".{new,old}.*")) {
      for (Path p : ds) {
        String entry = p.getFileName().toString();
        if (entry.startsWith(NEW_PREFIX)) {
          SkillTree.delete(p);
          continue;
        }
        String[] parts = entry.split("\\.", 4); // "", "old", uuid, name
        Path original = parts.length == 4 ? store.resolve(parts[3]) : null;
        if (original != null && SkillManifest.isValidName(parts[3])
            && !Files.exists(original, LinkOption.NOFOLLOW_LINKS)) {
          rename(p, original);
        } else {
          SkillTree.delete(p);
        }
      }
    }
  }

  private static void rename(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }
}
