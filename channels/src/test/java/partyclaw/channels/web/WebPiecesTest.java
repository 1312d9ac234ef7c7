package partyclaw.channels.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;

/** Keys, tokens, attachment paths and the channel's transcript store. */
class WebPiecesTest {
  @TempDir Path dir;

  @Test
  void conversationKeysFollowTheSpec() {
    assertTrue(ConversationKeys.fresh().matches("web-[0-9a-f]{32}"));
    assertEquals(Optional.empty(), ConversationKeys.problem("alice"));
    assertEquals(Optional.of("conversation_key must not be blank"), ConversationKeys.problem("  "));
    assertEquals(Optional.of("conversation_key is longer than 128 bytes"), ConversationKeys.problem("é".repeat(65)));
    assertEquals(Optional.empty(), ConversationKeys.problem("é".repeat(64)));
    assertEquals(Optional.of("conversation_key must not contain control characters"),
        ConversationKeys.problem("a\nb"));
  }

  @Test
  void tokenComparisonIsExact() {
    WebAuth auth = new WebAuth("s3cret");
    assertTrue(auth.matches("s3cret"));
    assertFalse(auth.matches("s3cre"));
    assertFalse(auth.matches("s3cret "));
    assertFalse(auth.matches(null));
    assertEquals("WebAuth[token set]", auth.toString());
  }

  @Test
  void attachmentPathsMustBeRelativeNormalAndInside() throws Exception {
    Path root = Files.createDirectories(dir.resolve("ws"));
    Files.writeString(root.resolve("a.txt"), "a");
    Files.createDirectories(root.resolve("sub"));
    Files.writeString(root.resolve("sub/b.png"), "b");
    Files.writeString(dir.resolve("outside.txt"), "x");
    Files.createSymbolicLink(root.resolve("link.txt"), dir.resolve("outside.txt"));
    assertEquals(Optional.of(root.resolve("a.txt").toRealPath()), Attachments.resolve(root, "a.txt"));
    assertEquals(Optional.of(root.resolve("sub/b.png").toRealPath()), Attachments.resolve(root, "sub/b.png"));
    for (String bad : List.of("", "/etc/passwd", "../outside.txt", "sub/../a.txt", "./a.txt", "sub//b.png",
        "sub\\b.png", "link.txt", "missing.txt", "sub")) {
      assertEquals(Optional.empty(), Attachments.resolve(root, bad), bad);
    }
    assertEquals("image", Attachments.kindOf("x.PNG"));
    assertEquals("pdf", Attachments.kindOf("x.pdf"));
    assertEquals("file", Attachments.kindOf("x.html"));
    assertEquals("text/plain; charset=UTF-8", Attachments.contentType("page.html").toString());
  }

  @Test
  void outgoingTextLosesItsTagsAndKeepsItsFiles() throws Exception {
    Path root = Files.createDirectories(dir.resolve("ws"));
    Files.writeString(root.resolve("chart.png"), "png");
    Files.writeString(root.resolve("data.csv"), "1,2");
    ObjectNode e = Attachments.entryOf("reply", "Here <attachment>chart.png</attachment> and"
        + " <attachment>data.csv</attachment> <attachment>../etc</attachment>", root.toString());
    assertEquals("Here  and\n\n(Attachment `../etc` was not sent: it is outside the conversation workspace.)",
        e.path("text").asText());
    assertEquals("[{\"source\":\"workspace\",\"path\":\"chart.png\",\"kind\":\"image\",\"caption\":\"chart.png\"}]",
        e.path("images").toString());
    assertEquals("[{\"source\":\"workspace\",\"path\":\"data.csv\",\"kind\":\"file\",\"caption\":\"data.csv\"}]",
        e.path("attachments").toString());
  }

  @Test
  void optionsOfAnOutboxEntryReachTheClientAsLabelAndValue() {
    ObjectNode e = Attachments.entryOf("command", "Pick one", null, java.util.List.of(
        new partyclaw.actors.outbox.ReplyOption("low", "/think low"),
        new partyclaw.actors.outbox.ReplyOption("high", "/think high")));
    assertEquals("[{\"label\":\"low\",\"value\":\"/think low\"},{\"label\":\"high\",\"value\":\"/think high\"}]",
        e.path("options").toString());
  }

  @Test
  void transcriptsPageNewestFirstSurviveARestartAndIgnoreResends() throws Exception {
    Path store = dir.resolve("web");
    WebTranscripts t = new WebTranscripts(store);
    for (int i = 1; i <= 5; i++) {
      t.appendLocal("k", "user", "question " + i);
      ObjectNode reply = Json.object().put("type", "reply").put("text", "answer " + i);
      assertTrue(t.appendDelivered("k", i, reply).isPresent());
    }
    assertTrue(t.appendDelivered("k", 3, Json.object().put("type", "reply").put("text", "again")).isEmpty());
    // a crash left a torn line: it is skipped, and the next entry still starts on a line of its own
    Path file;
    try (var files = Files.list(store)) {
      file = files.findFirst().orElseThrow();
    }
    Files.writeString(file, "{\"seq\":11,\"ty", java.nio.file.StandardOpenOption.APPEND);
    WebTranscripts again = new WebTranscripts(store);
    ObjectNode page = again.page("k", 0, 3);
    assertEquals(10, page.path("total").asInt());
    assertEquals("[10,9,8]", seqs(page));
    assertEquals("answer 5", page.path("entries").get(0).path("summary").asText());
    assertEquals("[2,1]", seqs(again.page("k", 8, 3)));
    assertFalse(again.page("k", 8, 3).path("has_more").asBoolean());
    again.appendLocal("k", "user", "after the crash");
    assertEquals(11, new WebTranscripts(store).page("k", 0, 1).path("entries").get(0).path("seq").asInt());
    assertEquals(List.of("question 1", "answer 1"),
        again.detail("k", 1, 2).orElseThrow().stream().map(n -> n.path("text").asText()).toList());
    assertEquals(Optional.empty(), again.detail("nobody", 1, 2));

    again.ensure("empty one");
    List<ObjectNode> all = again.summaries();
    assertEquals(2, all.size());
    assertEquals("k", all.get(0).path("conversation_key").asText());
    assertEquals(11, all.get(0).path("entry_count").asInt());
    assertEquals("empty one", all.get(1).path("conversation_key").asText());
    assertEquals("k", again.entityKey("k"));
    assertTrue(again.delete("k"));
    assertEquals(1, again.summaries().size());
    assertFalse(again.delete("k"));
    // the key's next conversation is a new entity; the deleted one's messages no longer map to the key
    assertEquals("k~g1", again.entityKey("k"));
    assertEquals(Optional.of("k"), again.currentKeyOf("k~g1"));
    assertEquals(Optional.empty(), again.currentKeyOf("k"));
    assertEquals("k~g1", new WebTranscripts(store).entityKey("k"));
    assertEquals(Optional.of("conversation_key must not end in ~g<number> (reserved for conversations under a"
        + " deleted key)"), ConversationKeys.problem("k~g1"));
  }

  private static String seqs(ObjectNode page) {
    StringBuilder b = new StringBuilder("[");
    page.path("entries").forEach(e -> b.append(b.length() > 1 ? "," : "").append(e.path("seq").asInt()));
    return b.append(']').toString();
  }
}
