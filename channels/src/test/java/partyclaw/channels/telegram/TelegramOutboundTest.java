package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.actors.outbox.TurnActivity;
import partyclaw.testkit.SentMessage;
import partyclaw.testkit.TelegramFailure;

class TelegramOutboundTest extends TelegramTestSupport {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final long CHAT = 901;

  ActorRef<ChannelMessage> channel;
  TestProbe<DeliveryReport> entity;
  Path workspace;

  @BeforeEach
  void start() throws Exception {
    channel = startChannel();
    entity = kit.createTestProbe();
    workspace = Files.createDirectories(dir.resolve("ws"));
  }

  private void deliver(long id, String kind, String text) {
    channel.tell(new Deliver(conv(CHAT), id, kind, text, workspace.toString(), entity.ref()));
  }

  private void expectConfirmed(long id) {
    assertEquals(new DeliveryReport.Delivered(id), entity.expectMessageClass(DeliveryReport.Delivered.class, WAIT));
  }

  @Test
  void replyIsSentAsHtmlOnceAndConfirmedEveryTimeItComes() throws Exception {
    deliver(1, "reply", "**Hello** <world> & `code`");
    expectConfirmed(1);
    SentMessage m = fake.sentMessages(CHAT).get(0);
    assertEquals("HTML", m.parseMode());
    assertEquals("<b>Hello</b> &lt;world&gt; &amp; <code>code</code>", m.text());
    deliver(1, "reply", "**Hello** <world> & `code`"); // the entity's resend after a lost confirmation
    expectConfirmed(1);
    assertEquals(1, fake.sentMessages(CHAT).size());
  }

  @Test
  void longReplyArrivesAsThreeMessagesThatJoinToTheText() throws Exception {
    String text = HtmlChunksTest.words(10_000);
    deliver(2, "reply", text);
    expectConfirmed(2);
    List<SentMessage> sent = fake.sentMessages(CHAT);
    assertEquals(3, sent.size());
    assertEquals(text, String.join("", sent.stream().map(SentMessage::visibleText).toList()));
  }

  @Test
  void htmlTelegramRejectsIsSentAgainAsPlainText() throws Exception {
    fake.failNext("sendMessage", 1, TelegramFailure.cantParseEntities());
    deliver(3, "reply", "**broken** _markdown");
    expectConfirmed(3);
    SentMessage m = fake.sentMessages(CHAT).get(0);
    assertNull(m.parseMode());
    assertEquals("broken _markdown", m.text());
  }

  @Test
  void failedSendIsNotConfirmedAndTheResendContinuesWithoutRepeatingParts() throws Exception {
    String text = HtmlChunksTest.words(6000); // two parts
    fake.failNext("sendMessage", 1, TelegramFailure.tooManyRequests(1)); // waited out within the attempts
    deliver(4, "reply", text);
    expectConfirmed(4);
    assertEquals(2, fake.sentMessages(CHAT).size());

    // part 1 goes out, part 2 fails three times: not confirmed
    fake.failNext("sendMessage", 0, TelegramFailure.serverError());
    deliver(5, "reply", text);
    fake.awaitSentMessages(CHAT, 3, WAIT);
    fake.failDuring("sendMessage", Duration.ofSeconds(2), TelegramFailure.serverError());
    entity.expectNoMessage(Duration.ofSeconds(2));
    fake.clearFailures();
    deliver(5, "reply", text); // the entity's resend
    expectConfirmed(5);
    assertEquals(4, fake.sentMessages(CHAT).size(), "the part already sent is not sent again");
  }

  @Test
  void entriesTelegramWillNeverTakeAreDroppedNotResentForever() throws Exception {
    fake.failNext("sendMessage", 1, TelegramFailure.forbidden());
    deliver(7, "reply", "you blocked me");
    expectConfirmed(7);
    assertTrue(fake.sentMessages(CHAT).isEmpty());

    Files.write(workspace.resolve("huge.png"), new byte[] {1});
    fake.failNext("sendPhoto", 1, TelegramFailure.badRequest("file is too big"));
    fake.failNext("sendDocument", 1, TelegramFailure.badRequest("file is too big"));
    deliver(8, "reply", "x ".repeat(600) + "<attachment>huge.png</attachment>");
    expectConfirmed(8);
    List<SentMessage> sent = fake.sentMessages(CHAT);
    assertEquals(2, sent.size(), sent.toString());
    assertTrue(sent.get(1).text().startsWith("(The file huge.png could not be sent"), sent.get(1).text());
  }

  @Test
  void attachmentsInsideTheWorkspaceAreUploaded() throws Exception {
    Files.write(workspace.resolve("chart.png"), new byte[] {9, 8, 7});
    Files.writeString(workspace.resolve("data.csv"), "a,b");
    deliver(6, "reply", "The chart: <attachment>chart.png</attachment><attachment>data.csv</attachment>");
    expectConfirmed(6);
    List<SentMessage> sent = fake.sentMessages(CHAT);
    assertEquals("sendPhoto", sent.get(0).method());
    assertEquals("The chart:", sent.get(0).visibleText());
    assertArrayEquals(new byte[] {9, 8, 7}, sent.get(0).file().bytes());
    assertEquals("sendDocument", sent.get(1).method());
    assertEquals("data.csv", sent.get(1).file().fileName());
  }

  @Test
  void typingWhileTheTurnRunsAndOneProgressMessageEditedInPlace() throws Exception {
    String conv = conv(CHAT);
    channel.tell(new TurnActivity(conv, "t1", TurnActivity.Phase.STARTED, List.of(), null, "main"));
    fake.await(() -> fake.chatActions(CHAT).size() >= 2 ? true : null, WAIT, () -> "typing repeated");
    channel.tell(new TurnActivity(conv, "t1", TurnActivity.Phase.TOOLS,
        List.of(new TurnActivity.ToolLine("c1", "exec_start", "sleep 30", "running")), null, "main"));
    SentMessage progress = fake.awaitSentMessages(CHAT, 1, WAIT).get(0);
    assertEquals("⚙️ Working · model main\n⏳ exec_start sleep 30", progress.text());
    channel.tell(new TurnActivity(conv, "t1", TurnActivity.Phase.TOOLS,
        List.of(new TurnActivity.ToolLine("c1", "exec_start", "sleep 30", "ok")), null, "main"));
    channel.tell(new TurnActivity(conv, "t1", TurnActivity.Phase.FINISHED, List.of(), "completed", null));
    SentMessage done = fake.await(() -> {
      SentMessage m = fake.sentMessages(CHAT).get(0);
      return m.text().startsWith("✅ Done") ? m : null;
    }, WAIT, () -> "final progress text, got " + fake.sentMessages(CHAT));
    assertTrue(done.text().matches("✅ Done \\| ⏱ \\d+s"), done.text());
    assertEquals(1, fake.sentMessages(CHAT).size(), "edited in place, not sent again");
    int typing = fake.chatActions(CHAT).size();
    Thread.sleep(600);
    assertEquals(typing, fake.chatActions(CHAT).size(), "typing stops with the turn");
  }
}
