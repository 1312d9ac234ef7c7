package partyclaw.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code partyclaw config <file>}: the TUI config editor (spec §5). */
@Command(name = "config", description = "Edit a config file in a terminal UI (models, channels, agent settings).")
public final class ConfigCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "<file>", description = "Config file (created as {} when missing).")
  Path file;

  @Override
  public Integer call() {
    if (System.console() == null) {
      System.err.println("`partyclaw config` requires an interactive terminal");
      return 2;
    }
    try {
      partyclaw.app.configtui.ConfigEditorMain.run(file);
      return 0;
    } catch (IOException e) {
      System.err.println("partyclaw config: " + e.getMessage());
      return 2;
    }
  }
}
