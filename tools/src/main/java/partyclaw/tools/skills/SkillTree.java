package partyclaw.tools.skills;

import java.io.IOException;
import partyclaw.core.util.FileTrees;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import partyclaw.core.tool.ToolException;

/** Copying and deleting skill directories without ever following a symlink out of them. */
final class SkillTree {
  static final long MAX_BYTES = 10L * 1024 * 1024;

  private SkillTree() {}

  /**
   * Copies the directory {@code from} to the new directory {@code to}, durably (files and directories are
   * fsynced, so a rename of {@code to} after a crash never exposes empty files). Refuses symlinks, special
   * files and more than {@link #MAX_BYTES} of content; on refusal {@code to} may hold a partial copy, which the
   * caller deletes.
   */
  static void copy(Path from, Path to) throws ToolException, IOException {
    long[] total = {0};
    ToolException[] refused = {null};
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        if (attrs.isSymbolicLink()) return refuse(symlink(dir));
        Files.createDirectory(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (attrs.isSymbolicLink()) return refuse(symlink(file));
        if (!attrs.isRegularFile()) {
          return refuse(new ToolException("the staged skill contains " + file
              + ", which is not a regular file or directory; remove it"));
        }
        total[0] += attrs.size();
        if (total[0] > MAX_BYTES) {
          return refuse(new ToolException("the staged skill " + from + " is larger than 10 MB; keep large data "
              + "out of the skill directory"));
        }
        Path target = to.resolve(from.relativize(file).toString());
        Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.READ)) {
          ch.force(true);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) throw e;
        syncDirectory(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      private FileVisitResult refuse(ToolException e) {
        refused[0] = e;
        return FileVisitResult.TERMINATE;
      }
    });
    if (refused[0] != null) throw refused[0];
  }

  /** Deletes {@code root} and everything under it; a symlink is removed itself, never its target. */
  static void delete(Path root) throws IOException {
    FileTrees.delete(root);
  }

  /** Makes a directory's entries (new files, renames) durable; best effort where the OS cannot open one. */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // not every platform can fsync a directory; the data files themselves are already synced
    }
  }

  private static ToolException symlink(Path p) {
    return new ToolException("the staged skill contains a symlink: " + p + "; replace it with a real file or "
        + "directory");
  }
}
