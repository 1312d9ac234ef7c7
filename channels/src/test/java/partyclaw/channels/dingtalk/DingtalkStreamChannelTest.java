package partyclaw.channels.dingtalk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.actors.conversation.ConversationEntity;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.core.config.DingtalkChannelConfig;
import partyclaw.testkit.DingtalkStreamAck;

class DingtalkStreamChannelTest extends DingtalkTestSupport {
  static final Duration WAIT = Duration.ofSeconds(15);

  ActorRef<ChannelMessage> startChannel(String secret) {
    DingtalkChannelConfig cfg = new DingtalkChannelConfig(channelId, null, "UNUSED", null, "UNUSED", fake.baseUrl());
    return track(kit.spawn(DingtalkChannel.create(cfg, CLIENT_ID, secret, router, conversations::of, fast())));
  }

  ActorRef<ChannelMessage> startChannel() {
    ActorRef<ChannelMessage> ch = startChannel(CLIENT_SECRET);
    fake.awaitConnections(1, WAIT);
    return ch;
  }

  @Test
  void aSingleChatMessageReachesItsConversationIsAckedAndAnsweredThroughTheSessionWebhook() throws Exception {
    ActorRef<ChannelMessage> channel = startChannel();
    String frame = fake.pushCallback(fake.textMessage("1", "cidSingle==", "staff7", "Alice", "msg-1", "  hello  ", "s1"));

    ConversationEntity.SubmitUserMessage m = conversations.await(conv("staff7"), 1, WAIT).get(0);
    assertEquals("dingtalk:msg-1", m.messageId());
    assertEquals("hello", m.text());
    assertEquals("staff7", m.senderId());
    assertEquals("Alice", m.senderName());
    DingtalkStreamAck ack = fake.awaitAck(frame, WAIT);
    assertEquals(200, ack.code());
    assertEquals("{\"response\":null}", ack.data());

    TestProbe<DeliveryReport> probe = deliver(channel, conv("staff7"), 1, "hi **Alice**");
    assertEquals(new DeliveryReport.Delivered(1), probe.receiveMessage(WAIT));
    assertEquals(List.of("hi **Alice**"), fake.texts("session:s1"));
  }

  @Test
  void aGroupMessageBelongsToTheGroupConversation() throws Exception {
    startChannel();
    fake.pushCallback(fake.textMessage("2", "cidGroup42", "staff7", "Alice", "msg-g", "@bot hi", "g1"));
    assertEquals("@bot hi", conversations.await(conv("cidGroup42"), 1, WAIT).get(0).text());
  }

  @Test
  void theAckWaitsUntilTheConversationJournaledTheMessage() throws Exception {
    startChannel();
    conversations.ackDisabled = true;
    String frame = fake.pushCallback(fake.textMessage("1", "c", "staff1", "A", "msg-slow", "slow", "s"));
    conversations.await(conv("staff1"), 1, WAIT);
    // several ask timeouts pass without an acknowledgement from the conversation: no ack to the gateway either
    fake.await(() -> conversations.submissions() >= 3 ? true : null, WAIT, () -> "the submission asked again");
    assertTrue(fake.acks().stream().noneMatch(a -> a.messageId().equals(frame)), fake.acks().toString());
    conversations.ackDisabled = false;
    assertEquals(200, fake.awaitAck(frame, WAIT).code());
    assertEquals(1, conversations.accepted(conv("staff1")).size());
  }

  @Test
  void aRedeliveredMessageIsAcknowledgedAndNotSubmittedTwice() throws Exception {
    startChannel();
    ObjectNode data = fake.textMessage("1", "c", "staff2", "B", "msg-dup", "once", "s2");
    String first = fake.pushCallback(data);
    fake.awaitAck(first, WAIT);
    int submitted = conversations.submissions();
    String again = fake.pushCallback(data);
    assertEquals(200, fake.awaitAck(again, WAIT).code());
    assertEquals(submitted, conversations.submissions(), "a message already handled is not submitted again");
    assertEquals(1, conversations.accepted(conv("staff2")).size());
  }

  @Test
  void pingIsAnsweredWithItsOpaque() {
    startChannel();
    String ping = fake.ping("opaque-123");
    DingtalkStreamAck ack = fake.awaitAck(ping, WAIT);
    assertEquals(200, ack.code());
    assertEquals("{\"opaque\":\"opaque-123\"}", ack.data());
    assertEquals("application/json", ack.frame().path("headers").path("contentType").asText());
  }

  @Test
  void aCallbackWithoutDataGetsA500AckAndOtherTopicsA200() {
    startChannel();
    String bad = fake.pushFrame("CALLBACK", FakeDingtalkServerTopics.BOT, "not json");
    DingtalkStreamAck ack = fake.awaitAck(bad, WAIT);
    assertEquals(500, ack.code());
    assertEquals("internal error", ack.message());
    String other = fake.pushFrame("EVENT", "/v1.0/some/event", "{}");
    assertEquals(200, fake.awaitAck(other, WAIT).code());
  }

  @Test
  void aDisconnectFrameIsFollowedByAReconnectAndMessagesGoOn() throws Exception {
    startChannel();
    fake.disconnect("server restart");
    fake.awaitConnections(2, WAIT);
    String frame = fake.pushCallback(fake.textMessage("1", "c", "staff3", "C", "msg-after", "after", "s3"));
    conversations.await(conv("staff3"), 1, WAIT);
    assertEquals(2, fake.awaitAck(frame, WAIT).connection());
    assertEquals(2, fake.opens(), "one open-connection call per connection");
  }

  @Test
  void aDroppedSocketIsReconnectedAndAnUnackedMessageIsNotLost() throws Exception {
    startChannel();
    conversations.ackDisabled = true;
    String frame = fake.pushCallback(fake.textMessage("1", "c", "staff4", "D", "msg-drop", "survives", "s4"));
    conversations.await(conv("staff4"), 1, WAIT);
    fake.dropSocket();
    fake.awaitConnections(2, WAIT);
    conversations.ackDisabled = false;
    fake.await(() -> fake.unackedCallbacks().isEmpty() ? true : null, WAIT, () -> "the message acknowledged");
    assertEquals(1, conversations.accepted(conv("staff4")).size());
    assertTrue(fake.acks().stream().anyMatch(a -> a.messageId().equals(frame) && a.code() == 200));
  }

  @Test
  void aReplyWithoutSessionWebhookWaitsUntilTheUserWritesAgain() throws Exception {
    ActorRef<ChannelMessage> channel = startChannel();
    TestProbe<DeliveryReport> probe = deliver(channel, conv("staff5"), 7, "cron says hi");
    // not delivered, not undeliverable: held here, so the conversation need not re-send it every few seconds
    assertEquals(new DeliveryReport.Deferred(7, WebhookOutbox.WAITING_RESEND, "no DingTalk session webhook yet"),
        probe.receiveMessage(WAIT));
    probe.expectNoMessage(Duration.ofMillis(700));
    assertTrue(fake.webhookPosts().isEmpty());
    fake.pushCallback(fake.textMessage("1", "c", "staff5", "E", "msg-back", "I'm back", "s5"));
    assertEquals(new DeliveryReport.Delivered(7), probe.receiveMessage(WAIT));
    assertEquals(List.of("cron says hi"), fake.texts("session:s5"));
  }

  @Test
  void aSessionWebhookThatRefusesIsForgottenAndTheReplyWaitsForTheNextOne() throws Exception {
    ActorRef<ChannelMessage> channel = startChannel();
    fake.pushCallback(fake.textMessage("1", "c", "staff6", "F", "msg-a", "first", "old"));
    conversations.await(conv("staff6"), 1, WAIT);
    fake.failWebhooks(1, 400013);
    TestProbe<DeliveryReport> probe = deliver(channel, conv("staff6"), 1, "answer");
    probe.expectNoMessage(Duration.ofMillis(700));
    fake.pushCallback(fake.textMessage("1", "c", "staff6", "F", "msg-b", "second", "new"));
    assertEquals(new DeliveryReport.Delivered(1), probe.receiveMessage(WAIT));
    assertEquals(List.of("answer"), fake.texts("session:new"));
    assertEquals(List.of(), fake.texts("session:old"));
  }

  @Test
  void aWrongSecretKeepsRetryingWithBackoff() {
    startChannel("wrong-secret");
    fake.await(() -> fake.opens() >= 3 ? true : null, WAIT, () -> "three open attempts");
    assertEquals(0, fake.connectionCount());
  }
}
