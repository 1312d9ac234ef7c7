package partyclaw.channels.cli;

import java.io.PrintStream;
import partyclaw.actors.outbox.TextDelta;

/**
 * What the command line prints: with {@code live} (stdout is a terminal) the model's text as it streams, then only
 * a blank line when the reply equals what streamed, or the whole reply under it when it differs (attachment tags
 * taken out, another round's text); without {@code live} (piped) whole blocks only, so scripts read one block per
 * message. Used from the channel actor only.
 */
final class LivePrinter {
  private final PrintStream out;
  private final boolean live;
  private String key;
  private final StringBuilder streamed = new StringBuilder();
  private boolean printedAny;

  LivePrinter(PrintStream out, boolean live) {
    this.out = out;
    this.live = live;
  }

  void delta(TextDelta d) {
    if (!live) return;
    String k = d.turnId() + "#" + d.round() + "#" + d.attempt();
    if (!k.equals(key)) {
      if (printedAny) out.print("\n\n"); // a new round or a retry starts a fresh block
      key = k;
      streamed.setLength(0);
    }
    streamed.append(d.text());
    printedAny = true;
    out.print(d.text());
    out.flush();
  }

  /** A delivered message: completes the streamed block, or prints the message as a block of its own. */
  void message(String text) {
    if (printedAny) {
      boolean same = streamed.toString().strip().equals(text.strip());
      out.print(same ? "\n\n" : "\n\n" + text + "\n\n");
      reset();
    } else {
      out.println(text);
      out.println();
    }
    out.flush();
  }

  private void reset() {
    key = null;
    streamed.setLength(0);
    printedAny = false;
  }
}
