package partyclaw.channels.dingtalk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.testkit.DingtalkSigning;

/** Frames, callbacks, signatures, back-off and reply texts of the DingTalk channels. */
class DingtalkUnitsTest {
  @TempDir Path dir;

  static JsonNode json(String s) throws Exception {
    return Json.parse(s);
  }

  static BotCallback cb(String s, BotCallback.Wording w) throws Exception {
    return BotCallback.parse(json(s), w).orElseThrow();
  }

  @Test
  void identityFollowsTheSpec() throws Exception {
    assertEquals("staff", cb("{\"conversationType\":\"1\",\"senderStaffId\":\"staff\",\"senderId\":\"sid\",\"conversationId\":\"cid\"}",
        BotCallback.Wording.STREAM).conversationId());
    assertEquals("sid", cb("{\"conversationType\":\"1\",\"senderId\":\"sid\",\"conversationId\":\"cid\"}",
        BotCallback.Wording.STREAM).conversationId());
    assertEquals("cid", cb("{\"conversationType\":\"1\",\"conversationId\":\"cid\"}", BotCallback.Wording.STREAM)
        .conversationId());
    BotCallback group = cb("{\"conversationType\":\"2\",\"senderStaffId\":\"staff\",\"conversationId\":\"cid\","
        + "\"senderNick\":\"Nick\"}", BotCallback.Wording.STREAM);
    assertEquals("cid", group.conversationId());
    assertEquals("staff", group.userId());
    assertEquals("Nick", group.displayName());
    assertTrue(BotCallback.parse(json("{\"conversationType\":\"2\",\"senderStaffId\":\"s\"}"), BotCallback.Wording.STREAM).isEmpty());
  }

  @Test
  void inboundTextsFollowTheSpec() throws Exception {
    String head = "{\"conversationType\":\"2\",\"conversationId\":\"c\",";
    BotCallback.Wording s = BotCallback.Wording.STREAM;
    assertEquals("hi", cb(head + "\"msgtype\":\"text\",\"text\":{\"content\":\"  hi \"}}", s).text());
    assertEquals("spoken", cb(head + "\"msgtype\":\"audio\",\"content\":{\"recognition\":\"spoken\"}}", s).text());
    assertEquals("[DingTalk picture message]", cb(head + "\"msgtype\":\"picture\",\"content\":{\"downloadCode\":\"x\"}}", s).text());
    assertEquals("[DingTalk video message]", cb(head + "\"msgtype\":\"video\",\"content\":{}}", s).text());
    assertEquals("[DingTalk file message: a.pdf]", cb(head + "\"msgtype\":\"file\",\"content\":{\"fileName\":\"a.pdf\"}}", s).text());
    assertEquals("[DingTalk file message: unnamed file]", cb(head + "\"msgtype\":\"file\",\"content\":{}}", s).text());
    assertEquals("line one\n[image]\nline two", cb(head + "\"msgtype\":\"richText\",\"content\":{\"richText\":["
        + "{\"text\":\"line one\"},{\"type\":\"picture\",\"downloadCode\":\"d\"},{\"text\":\"line two\"}]}}", s).text());
    assertEquals("odd", cb(head + "\"msgtype\":\"weird\",\"content\":{\"unknownMsgType\":\"odd\"}}", s).text());
    assertEquals("[Unsupported DingTalk message type: weird]", cb(head + "\"msgtype\":\"weird\"}", s).text());
    BotCallback.Wording r = BotCallback.Wording.ROBOT;
    assertEquals("[DingTalk image message; attachment download queued when credentials are configured]",
        cb(head + "\"msgtype\":\"picture\",\"content\":{\"downloadCode\":\"x\"}}", r).text());
    assertEquals("[DingTalk file message: a.pdf; attachment download queued when credentials are configured]",
        cb(head + "\"msgtype\":\"file\",\"content\":{\"fileName\":\"a.pdf\",\"downloadCode\":\"y\"}}", r).text());
  }

  @Test
  void robotDownloadsAreNamedAsTheSpecSays() throws Exception {
    String head = "{\"conversationType\":\"2\",\"conversationId\":\"c\",";
    BotCallback.Wording r = BotCallback.Wording.ROBOT;
    assertEquals(List.of(new BotCallback.Download("v", "dingtalk-video.mp4")),
        cb(head + "\"msgtype\":\"video\",\"content\":{\"downloadCode\":\"v\",\"videoType\":\"mp4\"}}", r).downloads());
    assertEquals(List.of(new BotCallback.Download("p", "dingtalk-richtext-image-1.bin"),
            new BotCallback.Download("f", "dingtalk-richtext-file-2.bin")),
        cb(head + "\"msgtype\":\"richText\",\"content\":{\"richText\":[{\"text\":\"t\"},"
            + "{\"type\":\"picture\",\"pictureDownloadCode\":\"p\"},{\"type\":\"file\",\"downloadCode\":\"f\"}]}}", r).downloads());
    assertEquals(List.of(), cb(head + "\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}", r).downloads());
  }

  @Test
  void framesAreParsedAndAcknowledgedAsTheProtocolSays() throws Exception {
    StreamFrames.Frame f = StreamFrames.parse("{\"type\":\"CALLBACK\",\"headers\":{\"messageId\":\"m1\",\"topic\":"
        + "\"/v1.0/im/bot/messages/get\"},\"data\":\"{\\\"msgId\\\":\\\"x\\\"}\"}");
    assertTrue(f.isCallback());
    assertEquals("x", f.data().path("msgId").asText());
    assertEquals("{\"code\":200,\"message\":\"OK\",\"headers\":{\"messageId\":\"m1\",\"contentType\":\"application/json\"},"
        + "\"data\":\"{\\\"response\\\":null}\"}", StreamFrames.ok(f));
    JsonNode err = json(StreamFrames.error(f, "bad"));
    assertEquals(500, err.path("code").asInt());
    assertEquals("internal error", err.path("message").asText());
    assertEquals("{\"message\":\"bad\"}", err.path("data").asText());
    StreamFrames.Frame ping = StreamFrames.parse("{\"type\":\"SYSTEM\",\"headers\":{\"messageId\":\"p\",\"topic\":\"ping\"},"
        + "\"data\":\"{\\\"opaque\\\":\\\"o-1\\\"}\"}");
    assertEquals("{\"opaque\":\"o-1\"}", json(StreamFrames.pong(ping)).path("data").asText());
    StreamFrames.Frame noData = StreamFrames.parse("{\"type\":\"CALLBACK\",\"headers\":{\"topic\":\"/v1.0/im/bot/messages/get\"},\"data\":\"{oops\"}");
    assertNull(noData.data());
    assertNull(StreamFrames.parse("not json"));
    assertNull(StreamFrames.parse("[1,2]"));
    assertEquals("maintenance", StreamFrames.disconnectReason(StreamFrames.parse(
        "{\"headers\":{\"topic\":\"disconnect\"},\"data\":\"{\\\"reason\\\":\\\"maintenance\\\"}\"}")));
  }

  @Test
  void signaturesAreCheckedWithTheirWindow() {
    RobotSignature sig = new RobotSignature("s3cret-app", Duration.ofHours(1));
    long now = 1_700_000_000_000L;
    assertTrue(sig.verify(Long.toString(now), DingtalkSigning.sign(now, "s3cret-app"), now));
    long edge = now - 3_600_000L;
    assertTrue(sig.verify(Long.toString(edge), DingtalkSigning.sign(edge, "s3cret-app"), now));
    long stale = edge - 1;
    assertFalse(sig.verify(Long.toString(stale), DingtalkSigning.sign(stale, "s3cret-app"), now));
    long future = now + 3_600_001L;
    assertFalse(sig.verify(Long.toString(future), DingtalkSigning.sign(future, "s3cret-app"), now));
    assertFalse(sig.verify(Long.toString(now), DingtalkSigning.sign(now, "other"), now));
    assertFalse(sig.verify(Long.toString(now), DingtalkSigning.sign(now + 1, "s3cret-app"), now));
    assertFalse(sig.verify(null, DingtalkSigning.sign(now, "s3cret-app"), now));
    assertFalse(sig.verify("soon", "x", now));
    assertFalse(sig.verify(Long.toString(now), "", now));
  }

  @Test
  void reconnectBackoffDoublesToTheCapAndResetsAfterACleanClose() {
    ReconnectBackoff b = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    List<Long> waits = new java.util.ArrayList<>();
    for (int i = 0; i < 7; i++) waits.add(b.afterFailure().toSeconds());
    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L), waits);
    assertEquals(Duration.ofSeconds(1), b.afterCleanClose());
    assertEquals(Duration.ofSeconds(1), b.afterFailure());
    assertEquals(Duration.ofSeconds(2), b.afterFailure());
  }

  @Test
  void replyTextsListAttachmentsInsteadOfUploadingThem() throws Exception {
    Files.createDirectories(dir.resolve("out"));
    Files.writeString(dir.resolve("out/report.pdf"), "pdf");
    Files.writeString(dir.resolve("chart.png"), "png");
    String text = "Done.\n<attachment>out/report.pdf</attachment><attachment>chart.png</attachment>";
    assertEquals(List.of("Done.\n\n" + WebhookTexts.STREAM_ATTACHMENTS + "\nout/report.pdf\nchart.png"),
        WebhookTexts.forStream(text, dir));
    assertEquals(List.of(WebhookTexts.ROBOT_IMAGES + "\nchart.png",
        "Done.\n" + WebhookTexts.ROBOT_ATTACHMENTS + "\nout/report.pdf"), WebhookTexts.forRobot(text, dir));
    assertEquals(List.of(" "), WebhookTexts.forStream("", dir));
    assertEquals(List.of(), WebhookTexts.forRobot("  ", dir));
  }

  @Test
  void listenAddressesAreParsed() {
    assertEquals(new ListenAddress("127.0.0.1", 35888), ListenAddress.parse("127.0.0.1:35888"));
    assertEquals(new ListenAddress("::1", 80), ListenAddress.parse("[::1]:80"));
    for (String bad : List.of("", "localhost", ":80", "host:", "host:x", "host:70000")) {
      try {
        ListenAddress.parse(bad);
        throw new AssertionError("accepted " + bad);
      } catch (IllegalArgumentException expected) {
        assertTrue(expected.getMessage().contains("'"), expected.getMessage());
      }
    }
  }
}
