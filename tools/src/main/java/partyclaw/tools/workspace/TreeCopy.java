package partyclaw.tools.workspace;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Copies a file or directory tree without following links, within {@link CopyLimits} shared by every
 * {@link #copy} call of one instance. Special files (pipes, sockets, devices) are skipped: reading a pipe could
 * block the tool forever.
 */
final class TreeCopy {
  static final Set<PosixFilePermission> READ_ONLY_DIR = PosixFilePermissions.fromString("r-xr-xr-x");
  static final Set<PosixFilePermission> READ_ONLY_FILE = PosixFilePermissions.fromString("r--r--r--");
  static final Set<PosixFilePermission> READ_ONLY_EXECUTABLE = READ_ONLY_DIR;

  /** What becomes of symbolic links. */
  enum Links {
    /**
     * For a mount: a link into the copied tree is recreated as a relative link, so it points into the copy; a link
     * leading outside (or nowhere) is skipped, so the copy never reaches the live source or anything beyond it.
     */
    CONFINED_TO_SOURCE,
    /** For a move: the link is moved as it is (nothing is read through it). */
    AS_IS
  }

  /** The copy would pass its limits; what was copied so far is left for the caller to remove. */
  static final class TooLarge extends Exception {
    TooLarge() {
      super(null, null, false, false);
    }
  }

  private final CopyLimits limits;
  private final Links links;
  private final boolean readOnly;
  private final Path sourceRoot;
  private long bytes;
  private long entries;
  private int skipped;

  /**
   * @param sourceRoot real path of the tree links must stay in ({@link Links#CONFINED_TO_SOURCE})
   * @param readOnly give every copied file and directory read-only permission bits
   */
  TreeCopy(CopyLimits limits, Links links, boolean readOnly, Path sourceRoot) {
    this.limits = limits;
    this.links = links;
    this.readOnly = readOnly;
    this.sourceRoot = sourceRoot;
  }

  /** Entries left out: special files, and links outside the source under {@link Links#CONFINED_TO_SOURCE}. */
  int skipped() {
    return skipped;
  }

  /** Copies {@code source} (which must not exist at {@code target} yet) to {@code target}. */
  void copy(Path source, Path target) throws IOException, TooLarge {
    try {
      Files.walkFileTree(source, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          count(0);
          Files.createDirectory(target.resolve(source.relativize(dir).toString()));
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Path dst = target.resolve(source.relativize(file).toString());
          if (attrs.isSymbolicLink()) {
            copyLink(file, dst);
          } else if (attrs.isRegularFile()) {
            count(attrs.size());
            Files.copy(file, dst, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            if (readOnly) Files.setPosixFilePermissions(dst, readOnlyFile(file));
          } else {
            skipped++;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          if (e != null) throw e;
          if (readOnly) Files.setPosixFilePermissions(target.resolve(source.relativize(dir).toString()), READ_ONLY_DIR);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (LimitReached e) {
      throw new TooLarge();
    }
  }

  private void copyLink(Path link, Path dst) throws IOException {
    if (links == Links.AS_IS) {
      count(0);
      Files.copy(link, dst, LinkOption.NOFOLLOW_LINKS);
      return;
    }
    Path real;
    try {
      real = link.toRealPath();
    } catch (IOException dangling) {
      skipped++;
      return;
    }
    if (!real.startsWith(sourceRoot)) {
      skipped++;
      return;
    }
    count(0);
    Files.createSymbolicLink(dst, link.getParent().relativize(real));
  }

  private void count(long size) {
    entries++;
    bytes += size;
    if (entries > limits.maxEntries() || bytes > limits.maxBytes()) throw new LimitReached();
  }

  private static Set<PosixFilePermission> readOnlyFile(Path file) throws IOException {
    boolean executable = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
        .contains(PosixFilePermission.OWNER_EXECUTE);
    return executable ? READ_ONLY_EXECUTABLE : READ_ONLY_FILE;
  }

  /** Unwinds the file walk (whose visitor may only throw IOException or unchecked exceptions). */
  private static final class LimitReached extends RuntimeException {
    LimitReached() {
      super(null, null, false, false);
    }
  }
}
