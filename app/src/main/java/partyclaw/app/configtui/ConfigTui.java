package partyclaw.app.configtui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.graphics.TextGraphics;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import java.io.IOException;
import java.util.List;

/** Runs a {@link ConfigEditor} on the real terminal with lanterna. */
final class ConfigTui {
  private ConfigTui() {}

  static void run(ConfigEditor editor) throws IOException {
    DefaultTerminalFactory factory = new DefaultTerminalFactory(System.out, System.in,
        java.nio.charset.StandardCharsets.UTF_8).setForceTextTerminal(true);
    Terminal terminal = factory.createTerminal();
    Screen screen = new TerminalScreen(terminal);
    screen.startScreen();
    screen.setCursorPosition(null);
    try {
      while (!editor.quit()) {
        draw(screen, editor);
        KeyStroke stroke = screen.readInput();
        Key key = translate(stroke);
        if (key != null) editor.handle(key);
      }
    } finally {
      screen.stopScreen();
    }
  }

  private static void draw(Screen screen, ConfigEditor editor) throws IOException {
    TerminalSize resized = screen.doResizeIfNecessary();
    TerminalSize size = resized != null ? resized : screen.getTerminalSize();
    List<String> lines = editor.render(size.getColumns(), size.getRows());
    screen.clear();
    TextGraphics g = screen.newTextGraphics();
    for (int r = 0; r < lines.size() && r < size.getRows(); r++) {
      String line = lines.get(r);
      g.putString(0, r, line.length() > size.getColumns() ? line.substring(0, size.getColumns()) : line);
    }
    screen.refresh(Screen.RefreshType.COMPLETE);
  }

  static Key translate(KeyStroke s) {
    if (s == null) return null;
    KeyType t = s.getKeyType();
    if (t == KeyType.EOF) return Key.ch('q');
    return switch (t) {
      case ArrowUp -> Key.of(Key.Type.UP);
      case ArrowDown -> Key.of(Key.Type.DOWN);
      case ArrowLeft -> Key.of(Key.Type.LEFT);
      case ArrowRight -> Key.of(Key.Type.RIGHT);
      case Enter -> Key.of(Key.Type.ENTER);
      case Escape -> Key.of(Key.Type.ESC);
      case Backspace -> Key.of(Key.Type.BACKSPACE);
      case Character -> s.isCtrlDown() ? null : Key.ch(s.getCharacter());
      default -> null;
    };
  }
}
