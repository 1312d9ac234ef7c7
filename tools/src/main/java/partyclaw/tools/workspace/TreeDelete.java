package partyclaw.tools.workspace;

import java.io.IOException;
import java.nio.file.Path;
import partyclaw.core.util.FileTrees;

/**
 * Deletes a tree without following links. Read-only directories (a mount copy) are made writable first, since
 * their entries could not be removed otherwise.
 */
final class TreeDelete {
  private TreeDelete() {}

  static void delete(Path p) throws IOException {
    FileTrees.delete(p);
  }

  /** Deletes quietly: for cleaning up after a failure that is already being reported. */
  static void deleteQuietly(Path p) {
    try {
      delete(p);
    } catch (IOException ignored) {
      // the original failure is what the caller reports
    }
  }
}
