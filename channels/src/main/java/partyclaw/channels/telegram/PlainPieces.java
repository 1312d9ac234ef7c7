package partyclaw.channels.telegram;

import java.util.List;

/** Plain text cut into pieces of at most {@code limit} characters, at blank lines, line ends or spaces where possible. */
final class PlainPieces {
  private PlainPieces() {}

  /** The pieces, joined, are exactly {@code text}; none is blank. */
  static List<String> of(String text, int limit) {
    String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    return HtmlChunks.split(escaped, limit).stream().map(HtmlChunks::visibleText).toList();
  }
}
