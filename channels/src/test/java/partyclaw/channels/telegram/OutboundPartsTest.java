package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboundPartsTest {
  @TempDir Path dir;

  @Test
  void shortTextBecomesTheCaptionOfTheFirstFile() throws Exception {
    Path ws = Files.createDirectories(dir.resolve("ws"));
    Files.writeString(ws.resolve("chart.png"), "png");
    Files.writeString(ws.resolve("report.txt"), "txt");
    List<OutboundParts.Part> parts = OutboundParts.of(
        "Here **it** is <attachment>chart.png</attachment> and <attachment> report.txt </attachment>", ws);
    assertEquals(2, parts.size());
    OutboundParts.File photo = assertInstanceOf(OutboundParts.File.class, parts.get(0));
    assertTrue(photo.image());
    assertEquals("Here <b>it</b> is  and", photo.captionHtml());
    OutboundParts.File doc = assertInstanceOf(OutboundParts.File.class, parts.get(1));
    assertTrue(!doc.image() && doc.captionHtml() == null);
  }

  @Test
  void pathsOutsideTheWorkspaceAreNotSentAndTheTextSaysSo() throws Exception {
    Path ws = Files.createDirectories(dir.resolve("ws"));
    Files.writeString(dir.resolve("secret.txt"), "s");
    Files.createSymbolicLink(ws.resolve("link.txt"), dir.resolve("secret.txt"));
    List<OutboundParts.Part> parts = OutboundParts.of(
        "a <attachment>../secret.txt</attachment> b <attachment>link.txt</attachment> <attachment>nope.txt</attachment>", ws);
    assertEquals(1, parts.size());
    String text = HtmlChunks.visibleText(assertInstanceOf(OutboundParts.Text.class, parts.get(0)).html());
    assertTrue(text.contains("../secret.txt` was not sent") || text.contains("../secret.txt was not sent"), text);
    assertTrue(text.contains("outside the conversation workspace"), text);
    assertTrue(text.contains("no such file in the workspace"), text);
  }

  @Test
  void longTextGoesAsMessagesBeforeTheFile() throws Exception {
    Path ws = Files.createDirectories(dir.resolve("ws"));
    Files.writeString(ws.resolve("a.pdf"), "pdf");
    List<OutboundParts.Part> parts = OutboundParts.of("x ".repeat(800) + "<attachment>a.pdf</attachment>", ws);
    assertInstanceOf(OutboundParts.Text.class, parts.get(0));
    assertNull(assertInstanceOf(OutboundParts.File.class, parts.get(parts.size() - 1)).captionHtml());
  }
}
