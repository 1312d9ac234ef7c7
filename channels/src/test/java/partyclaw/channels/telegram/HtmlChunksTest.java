package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.testkit.TelegramHtml;

class HtmlChunksTest {

  static String words(int chars) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (sb.length() < chars) {
      sb.append(i % 17 == 16 ? "\n\n" : i % 5 == 4 ? "\n" : " ").append("word").append(i++);
    }
    return sb.substring(1, chars + 1);
  }

  private static String joinedVisible(List<String> chunks) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String c : chunks) {
      String visible = TelegramHtml.visibleText(c); // every chunk is valid HTML on its own
      assertTrue(visible.length() <= OutboundParts.MESSAGE_LIMIT, "chunk of " + visible.length());
      sb.append(visible);
    }
    return sb.toString();
  }

  @Test
  void tenThousandCharactersBecomeThreeMessagesThatJoinToTheText() throws Exception {
    String text = words(10_000);
    String html = TelegramMarkdown.toHtml(text);
    List<String> chunks = HtmlChunks.split(html, OutboundParts.MESSAGE_LIMIT);
    assertEquals(3, chunks.size());
    assertEquals(text, joinedVisible(chunks));
    // cuts fall on the preferred boundaries: a chunk ends with a separator, not inside a word
    assertTrue(chunks.get(0).endsWith("\n") || chunks.get(0).endsWith(" "), chunks.get(0).substring(chunks.get(0).length() - 20));
  }

  @Test
  void prefersBlankLineThenLineThenSpaceInTheSecondHalf() {
    String para = "a".repeat(60) + "\n\n" + "b".repeat(20) + "\n" + "c".repeat(10) + " " + "d".repeat(30);
    List<String> chunks = HtmlChunks.split(para, 100);
    assertEquals("a".repeat(60) + "\n\n", chunks.get(0).substring(0, 62));
    assertTrue(chunks.get(0).endsWith("\n") || chunks.get(0).endsWith(" "));
  }

  @Test
  void preSplitInTwoIsClosedAndReopened() throws Exception {
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < 600; i++) code.append("line ").append(i).append(" of the code\n");
    String html = TelegramMarkdown.toHtml("intro\n\n```python\n" + code + "```\n\noutro");
    List<String> chunks = HtmlChunks.split(html, OutboundParts.MESSAGE_LIMIT);
    assertTrue(chunks.size() >= 3, "chunks: " + chunks.size());
    assertTrue(chunks.get(0).endsWith("</code></pre>"), "first chunk closes the block");
    assertTrue(chunks.get(1).startsWith("<pre><code class=\"language-python\">"), "next chunk reopens it");
    assertEquals(TelegramHtml.visibleText(html), joinedVisible(chunks));
  }

  @Test
  void formattingSpanningTheCutIsBalancedInEveryChunk() throws Exception {
    String md = "**" + "bold words ".repeat(800) + "** and _" + "italic ".repeat(200) + "_ [link](https://e.com/"
        + "x".repeat(10) + ") &amp; <tag>";
    String html = TelegramMarkdown.toHtml(md);
    List<String> chunks = HtmlChunks.split(html, 1000);
    assertTrue(chunks.size() > 5);
    assertEquals(TelegramHtml.visibleText(html), joinedVisible(chunks));
  }

  @Test
  void surrogatePairsAndEntitiesAreNeverCut() throws Exception {
    String emoji = "😀".repeat(3000); // 6000 UTF-16 units, no spaces
    List<String> chunks = HtmlChunks.split(TelegramMarkdown.toHtml(emoji), OutboundParts.MESSAGE_LIMIT);
    assertEquals(2, chunks.size());
    for (String c : chunks) {
      assertFalse(Character.isLowSurrogate(c.charAt(0)), "chunk starts inside a pair");
      assertFalse(Character.isHighSurrogate(c.charAt(c.length() - 1)), "chunk ends inside a pair");
    }
    assertEquals(emoji, joinedVisible(chunks));
    List<String> amps = HtmlChunks.split(TelegramMarkdown.toHtml("&".repeat(250)), 100);
    assertEquals("&".repeat(250), joinedVisible(amps));
  }

  @Test
  void shortTextIsOneChunkAndVisibleLengthCountsEntitiesOnce() {
    assertEquals(List.of("<b>hi</b> &amp;"), HtmlChunks.split("<b>hi</b> &amp;", 4096));
    assertEquals(4, HtmlChunks.visibleLength("<b>hi</b> &amp;"));
    assertEquals("hi &", HtmlChunks.visibleText("<b>hi</b> &amp;"));
    assertThrows(IllegalArgumentException.class, () -> HtmlChunks.split("x", 1));
  }
}
