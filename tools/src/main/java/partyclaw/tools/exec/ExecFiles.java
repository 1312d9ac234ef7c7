package partyclaw.tools.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import partyclaw.core.tool.ToolException;

/**
 * Where an exec's full output lives: {@code <workspace>/.partyclaw/exec/<exec_id>.stdout|.stderr}, kept after
 * the process ends so the model can read it with file_read. Paths are reported relative to the workspace.
 */
record ExecFiles(Path stdout, Path stderr, String stdoutRelative, String stderrRelative) {
  static final String DIR = ".partyclaw/exec";

  static ExecFiles under(Path workspaceRoot, String execId) {
    Path dir = workspaceRoot.resolve(DIR);
    return new ExecFiles(dir.resolve(execId + ".stdout"), dir.resolve(execId + ".stderr"),
        DIR + "/" + execId + ".stdout", DIR + "/" + execId + ".stderr");
  }

  void create() throws ToolException {
    try {
      Files.createDirectories(stdout.getParent());
      if (!Files.exists(stdout)) Files.createFile(stdout);
      if (!Files.exists(stderr)) Files.createFile(stderr);
    } catch (IOException e) {
      throw new ToolException("failed to create the exec output files under " + stdout.getParent()
          + "; check that the workspace is writable");
    }
  }
}
