package partyclaw.app.configtui;

import java.io.IOException;
import java.nio.file.Path;

/** Opens the document and runs the editor on the terminal. */
public final class ConfigEditorMain {
  private ConfigEditorMain() {}

  public static void run(Path file) throws IOException {
    ConfigDocument doc = ConfigDocument.open(file);
    ConfigTui.run(new ConfigEditor(doc));
  }
}
