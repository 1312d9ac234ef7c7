package partyclaw.channels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import partyclaw.actors.outbox.TextDelta;

class LivePrinterTest {
  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static TextDelta d(int round, String text) {
    return new TextDelta("cli:local", "t1", round, 1, text);
  }

  @Test
  void onATerminalTheTextStreamsAndTheSameReplyOnlyEndsTheBlock() {
    LivePrinter p = new LivePrinter(out, true);
    p.delta(d(1, "Hel"));
    assertEquals("Hel", printed());
    p.delta(d(1, "lo there"));
    p.message("Hello there");
    assertEquals("Hello there\n\n", printed());
  }

  @Test
  void aReplyThatDiffersFromWhatStreamedIsPrintedWhole() {
    LivePrinter p = new LivePrinter(out, true);
    p.delta(d(1, "Looking it up"));
    p.delta(d(2, "Found: 42 <attachment>a.txt</attachment>"));
    p.message("Found: 42");
    assertEquals("Looking it up\n\nFound: 42 <attachment>a.txt</attachment>\n\nFound: 42\n\n", printed());
    p.message("a tell without streaming");
    assertEquals("Looking it up\n\nFound: 42 <attachment>a.txt</attachment>\n\nFound: 42\n\n"
        + "a tell without streaming\n\n", printed());
  }

  @Test
  void pipedStdoutGetsWholeBlocksOnly() {
    LivePrinter p = new LivePrinter(out, false);
    p.delta(d(1, "Hel"));
    p.delta(d(1, "lo"));
    assertEquals("", printed());
    p.message("Hello");
    assertEquals("Hello" + System.lineSeparator() + System.lineSeparator(), printed());
  }
}
