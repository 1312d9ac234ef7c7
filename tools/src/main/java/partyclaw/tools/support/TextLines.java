package partyclaw.tools.support;

import java.io.IOException;
import java.io.Reader;
import java.util.function.Consumer;

/**
 * Splits text like Rust's {@code str::lines}, which the reference uses everywhere: on '\n', dropping one
 * trailing '\r' per line, with no empty last line after a final newline. (BufferedReader would also split
 * on a lone '\r', which progress bars print constantly.)
 */
public final class TextLines {
  private TextLines() {}

  /**
   * Streams the lines of {@code in}. A line longer than {@code keepChars} is handed over cut to
   * {@code keepChars + 1} characters: enough to tell it was long without holding it all in memory.
   */
  public static void forEach(Reader in, int keepChars, Consumer<String> sink) throws IOException {
    char[] buf = new char[8192];
    StringBuilder line = new StringBuilder();
    boolean pending = false;
    boolean dropped = false;
    int n;
    while ((n = in.read(buf)) > 0) {
      for (int i = 0; i < n; i++) {
        char c = buf[i];
        if (c == '\n') {
          emit(line, dropped, sink);
          pending = false;
          dropped = false;
        } else {
          if (line.length() <= keepChars) line.append(c);
          else dropped = true;
          pending = true;
        }
      }
    }
    if (pending) emit(line, dropped, sink);
  }

  private static void emit(StringBuilder line, boolean dropped, Consumer<String> sink) {
    int len = line.length();
    if (!dropped && len > 0 && line.charAt(len - 1) == '\r') line.setLength(len - 1);
    sink.accept(line.toString());
    line.setLength(0);
  }
}
