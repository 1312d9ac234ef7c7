package partyclaw.channels.dingtalk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.actors.conversation.ConversationEntity;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.core.config.DingtalkRobotChannelConfig;
import partyclaw.testkit.DingtalkSigning;

class DingtalkRobotChannelTest extends DingtalkTestSupport {
  static final Duration WAIT = Duration.ofSeconds(15);
  static final String APP_KEY = "robot-app-key";
  static final String APP_SECRET = "robot-app-secret-value";
  static final String PATH = "/dingtalk/robot";
  private final HttpClient client = HttpClient.newHttpClient();
  private int port;

  ActorRef<ChannelMessage> startRobot(String appSecret) throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    fake.setApp(APP_KEY, APP_SECRET);
    DingtalkRobotChannelConfig cfg = new DingtalkRobotChannelConfig(channelId, null, "UNUSED", null, "UNUSED", null,
        "UNUSED", "127.0.0.1:" + port, PATH, fake.baseUrl());
    ActorRef<ChannelMessage> ch = track(kit.spawn(DingtalkRobotChannel.create(cfg,
        new DingtalkRobotChannel.Secrets(fake.robotWebhook("robot-token"), APP_KEY, appSecret), router,
        conversations::of, fast())));
    if (appSecret != null) awaitListening();
    return ch;
  }

  private void awaitListening() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        post("/nothing", "{}", null, null);
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) throw new AssertionError("robot callback server not listening", e);
        Thread.sleep(50);
      }
    }
  }

  HttpResponse<String> post(String path, String body, Long timestamp, String sign) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (timestamp != null) b.header("timestamp", Long.toString(timestamp));
    if (sign != null) b.header("sign", sign);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> signedPost(String body) throws Exception {
    long now = System.currentTimeMillis();
    return post(PATH, body, now, DingtalkSigning.sign(now, APP_SECRET));
  }

  @Test
  void aSignedCallbackIsAcceptedAfterItsConversationTookItAndTheReplyGoesToTheSessionWebhook() throws Exception {
    ActorRef<ChannelMessage> channel = startRobot(APP_SECRET);
    ObjectNode msg = fake.textMessage("1", "cid1", "staff1", "Alice", "m-1", "hello robot", "rs1");
    HttpResponse<String> r = signedPost(msg.toString());
    assertEquals(200, r.statusCode());
    assertEquals("{\"success\":true}", r.body());
    ConversationEntity.SubmitUserMessage m = conversations.accepted(conv("staff1")).get(0);
    assertEquals("dingtalk-robot-m-1", m.messageId());
    assertEquals("hello robot", m.text());

    TestProbe<DeliveryReport> probe = deliver(channel, conv("staff1"), 1, "hi there");
    assertEquals(new DeliveryReport.Delivered(1), probe.receiveMessage(WAIT));
    assertEquals(List.of("hi there"), fake.texts("session:rs1"));
  }

  @Test
  void badStaleOrMissingSignaturesGet403AndReachNoConversation() throws Exception {
    startRobot(APP_SECRET);
    String body = fake.textMessage("1", "cid1", "staff2", "B", "m-2", "sneaky", "rs2").toString();
    long now = System.currentTimeMillis();
    long stale = now - Duration.ofHours(1).toMillis() - 5_000;
    List<HttpResponse<String>> refused = List.of(
        post(PATH, body, now, DingtalkSigning.sign(now, "another-secret")),
        post(PATH, body, stale, DingtalkSigning.sign(stale, APP_SECRET)),
        post(PATH, body, null, null),
        post(PATH, body, now, null),
        post(PATH, "not even json", now, "garbage"));
    for (HttpResponse<String> r : refused) {
      assertEquals(403, r.statusCode());
      assertEquals("invalid signature", r.body());
    }
    assertEquals(0, conversations.submissions());
  }

  @Test
  void otherPathsBadJsonAndOversizedBodiesAreRefused() throws Exception {
    startRobot(APP_SECRET);
    long now = System.currentTimeMillis();
    String sign = DingtalkSigning.sign(now, APP_SECRET);
    HttpResponse<String> notFound = post("/elsewhere", "{}", now, sign);
    assertEquals(404, notFound.statusCode());
    assertEquals("not found", notFound.body());
    HttpResponse<String> badJson = post(PATH + "?x=1", "{oops", now, sign);
    assertEquals(400, badJson.statusCode());
    assertEquals("invalid json", badJson.body());
    HttpResponse<String> big = post(PATH, "{\"a\":\"" + "x".repeat(1024 * 1024) + "\"}", now, sign);
    assertEquals(413, big.statusCode());
    assertEquals(0, conversations.submissions());
  }

  @Test
  void aPictureIsDownloadedIntoTheWorkspace() throws Exception {
    startRobot(APP_SECRET);
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    fake.addFile("code-pic", png);
    ObjectNode msg = fake.textMessage("1", "cid1", "staff3", "C", "m-3", "", "rs3");
    msg.put("msgtype", "picture").remove("text");
    msg.putObject("content").put("downloadCode", "code-pic");
    assertEquals(200, signedPost(msg.toString()).statusCode());
    ConversationEntity.SubmitUserMessage m = conversations.accepted(conv("staff3")).get(0);
    assertEquals("[DingTalk image message" + BotCallback.ROBOT_DOWNLOAD_SUFFIX + "]", m.text());
    assertEquals(1, m.attachments().size());
    assertTrue(m.attachments().get(0).matches("upload/[0-9a-f-]{36}-dingtalk-image\\.bin"), m.attachments().toString());
    assertArrayEquals(png, Files.readAllBytes(conversations.workspace(conv("staff3")).resolve(m.attachments().get(0))));
    assertEquals(1, fake.tokensIssued());
    assertEquals(List.of("code-pic"), fake.fileLookups());
  }

  @Test
  void sendOnlyRobotUsesTheConfiguredWebhookAndARefusalIsUndeliverable() throws Exception {
    ActorRef<ChannelMessage> channel = startRobot(null);
    TestProbe<DeliveryReport> probe = deliver(channel, conv("anyone"), 3, "announcement");
    assertEquals(new DeliveryReport.Delivered(3), probe.receiveMessage(WAIT));
    assertEquals(List.of("announcement"), fake.texts("robot:robot-token"));

    fake.failWebhooks(1, 310000);
    TestProbe<DeliveryReport> refused = deliver(channel, conv("anyone"), 4, "no keyword");
    DeliveryReport report = refused.receiveMessage(WAIT);
    assertTrue(report instanceof DeliveryReport.Undeliverable u && u.reason().contains("errcode 310000")
        && !u.reason().contains("robot-token"), report.toString());
  }
}
