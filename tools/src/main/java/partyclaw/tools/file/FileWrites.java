package partyclaw.tools.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import partyclaw.core.tool.ToolException;

/** Steps shared by the tools that create files. */
final class FileWrites {
  private FileWrites() {}

  static void createParents(Path path) throws ToolException {
    Path dir = path.getParent();
    if (dir == null) return;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ToolException("failed to create " + dir);
    }
  }
}
