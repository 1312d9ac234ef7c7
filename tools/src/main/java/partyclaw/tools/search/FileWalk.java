package partyclaw.tools.search;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The directory walk shared by glob and grep: regular files only, symlinks never followed (so a link
 * cannot lead a search out of the workspace), unreadable directories skipped.
 */
final class FileWalk {
  /** A regular file found under the base: absolute path, '/'-separated path relative to the base, mtime. */
  record Found(Path path, String relative, long modifiedMillis) {}

  /** Newest first, then by path component by component (as the reference's PathBuf ordering does). */
  static final Comparator<Found> NEWEST_FIRST = Comparator.comparingLong(Found::modifiedMillis).reversed()
      .thenComparing(Found::path, FileWalk::compareComponents);

  private FileWalk() {}

  static List<Found> regularFiles(Path base) throws IOException {
    List<Found> out = new ArrayList<>();
    Files.walkFileTree(base, Collections.emptySet(), Integer.MAX_VALUE, new FileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          String rel = base.relativize(file).toString().replace('\\', '/');
          out.add(new Found(file, rel, attrs.lastModifiedTime().toMillis()));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) {
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
        return FileVisitResult.CONTINUE;
      }
    });
    return out;
  }

  static int compareComponents(Path a, Path b) {
    int n = Math.min(a.getNameCount(), b.getNameCount());
    for (int i = 0; i < n; i++) {
      int c = a.getName(i).toString().compareTo(b.getName(i).toString());
      if (c != 0) return c;
    }
    return Integer.compare(a.getNameCount(), b.getNameCount());
  }
}
