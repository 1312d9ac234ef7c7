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
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.actors.outbox.ReplyOption;
import partyclaw.actors.outbox.TurnActivity;
import partyclaw.testkit.ApiCall;
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
  void entriesTelegramWillNeverTakeAreReportedUndeliverableWithTheReasonAndNotResent() throws Exception {
    fake.failNext("sendMessage", 1, TelegramFailure.forbidden());
    deliver(7, "reply", "you blocked me");
    assertEquals(new DeliveryReport.Undeliverable(7,
            "Telegram forbids the bot to write to this chat (Forbidden: bot was blocked by the user)"),
        entity.expectMessageClass(DeliveryReport.Undeliverable.class, WAIT));
    deliver(7, "reply", "you blocked me"); // the conversation's resend, had the report been lost
    assertEquals(new DeliveryReport.Undeliverable(7,
            "Telegram forbids the bot to write to this chat (Forbidden: bot was blocked by the user)"),
        entity.expectMessageClass(DeliveryReport.Undeliverable.class, WAIT));
    assertEquals(1, fake.calls("sendMessage").size(), "refused once, never sent again");

    fake.failNext("sendMessage", 1, TelegramFailure.unauthorized());
    deliver(8, "reply", "token revoked");
    assertEquals(new DeliveryReport.Undeliverable(8,
            "Telegram rejects the bot token (401 Unauthorized): the token is wrong or was revoked"),
        entity.expectMessageClass(DeliveryReport.Undeliverable.class, WAIT));
    fake.failNext("sendMessage", 1, TelegramFailure.notFound());
    deliver(9, "reply", "no such bot");
    assertEquals(new DeliveryReport.Undeliverable(9,
            "Telegram does not know the bot (404 Not Found): the token or api_base_url is wrong"),
        entity.expectMessageClass(DeliveryReport.Undeliverable.class, WAIT));
    assertEquals(3, fake.calls("sendMessage").size());
    assertTrue(fake.sentMessages(CHAT).isEmpty());
  }

  @Test
  void aFileTelegramRefusesIsReplacedByANoteAndTheRestStillGoesOut() throws Exception {
    Files.write(workspace.resolve("huge.png"), new byte[] {1});
    fake.failNext("sendPhoto", 1, TelegramFailure.badRequest("file is too big"));
    fake.failNext("sendDocument", 1, TelegramFailure.badRequest("file is too big"));
    deliver(8, "reply", "x ".repeat(600) + "<attachment>huge.png</attachment>");
    expectConfirmed(8);
    List<SentMessage> sent = fake.sentMessages(CHAT);
    assertEquals(2, sent.size(), sent.toString());
    assertEquals("(The file huge.png could not be sent: sendDocument failed: Bad Request: file is too big)",
        sent.get(1).text());
  }

  @Test
  void aFileThatVanishedBeforeItsUploadIsRefusedForGoodNotRetried() throws Exception {
    TelegramBotApi api = new TelegramBotApi(kit.system(), fake.baseUrl(), TOKEN, 1, fast());
    java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.ExecutionException.class, () -> api.upload("sendDocument", java.util.Map.of("chat_id",
            Long.toString(CHAT)), "document", workspace.resolve("gone.csv")).toCompletableFuture()
            .get(10, java.util.concurrent.TimeUnit.SECONDS));
    TelegramApiException refused = org.junit.jupiter.api.Assertions.assertInstanceOf(TelegramApiException.class,
        e.getCause());
    // a 400: the sender replaces the file with a note to the user instead of failing the entry for a resend
    assertEquals(400, refused.status());
    assertTrue(!refused.isRetryable());
    assertEquals(0, fake.calls("sendDocument").size());
  }

  @Test
  void textTelegramRefusesGoesAgainAsPlainTextInSmallerPieces() throws Exception {
    String text = HtmlChunksTest.words(2500);
    fake.failNext("sendMessage", 1, TelegramFailure.badRequest("MESSAGE_TOO_LONG"));
    deliver(11, "reply", text);
    expectConfirmed(11);
    List<SentMessage> sent = fake.sentMessages(CHAT);
    assertEquals(3, sent.size(), sent.toString());
    for (SentMessage m : sent) assertNull(m.parseMode(), "plain text");
    assertEquals(text, String.join("", sent.stream().map(SentMessage::text).toList()));
  }

  @Test
  void textRefusedEvenInSmallerPiecesIsUndeliverableWithTheReason() throws Exception {
    fake.failNext("sendMessage", 2, TelegramFailure.badRequest("chat not found"));
    deliver(12, "reply", "**hello**");
    assertEquals(new DeliveryReport.Undeliverable(12,
            "Telegram refused part 1 of 1 even as plain text in smaller pieces (Bad Request: chat not found)"),
        entity.expectMessageClass(DeliveryReport.Undeliverable.class, WAIT));
    assertEquals(2, fake.calls("sendMessage").size(), "HTML, then plain");
  }

  @Test
  void aFloodControlBanOfAnyLengthHoldsTheChatInOrderAndNothingGoesOutEarly() throws Exception {
    int ban = 8; // longer than max-retry-after (5 s): left to the outbox, not waited out inside one send
    fake.failNext("sendMessage", 1, TelegramFailure.tooManyRequests(ban));
    deliver(20, "reply", "first");
    ApiCall refused = fake.await(() -> fake.calls("sendMessage").stream().filter(c -> c.status() == 429).findFirst()
        .orElse(null), WAIT, () -> "the 429");
    DeliveryReport.Deferred held = entity.expectMessageClass(DeliveryReport.Deferred.class, WAIT);
    assertEquals(20, held.outboundId());
    assertTrue(held.retryIn().compareTo(Duration.ofSeconds(ban - 2)) >= 0, "held for the ban: " + held.retryIn());
    // during the ban: the conversation's resend and a later entry (typing and other calls: TelegramBotApiBanTest)
    deliver(20, "reply", "first");
    deliver(21, "reply", "second");
    // other chats are not banned
    channel.tell(new Deliver(conv(CHAT + 1), 22, "reply", "elsewhere", workspace.toString(), entity.ref()));
    expectConfirmed(22);
    assertEquals(List.of(), fake.sentMessages(CHAT));
    expectConfirmed(20);
    expectConfirmed(21);
    assertEquals(List.of("first", "second"), fake.sentMessages(CHAT).stream().map(SentMessage::text).toList());
    Instant banEnds = refused.at().plusSeconds(ban);
    List<ApiCall> toChat = fake.calls(null).stream().filter(c -> c.chatId() == CHAT && c != refused).toList();
    assertEquals(2, toChat.stream().filter(c -> c.method().equals("sendMessage")).count(), toChat.toString());
    for (ApiCall c : toChat) {
      if (c.at().isBefore(refused.at())) continue;
      assertTrue(!c.at().isBefore(banEnds), c.method() + " at " + c.at() + " inside the ban ending " + banEnds);
    }
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
  void audioVoiceVideoAndAnimationGoWithTheirOwnMethods() throws Exception {
    for (String f : List.of("song.mp3", "note.ogg", "clip.mp4", "funny.gif")) Files.write(workspace.resolve(f), new byte[] {1});
    deliver(12, "reply", "<attachment>song.mp3</attachment><attachment>note.ogg</attachment>"
        + "<attachment>clip.mp4</attachment><attachment>funny.gif</attachment>");
    expectConfirmed(12);
    List<SentMessage> sent = fake.sentMessages(CHAT);
    assertEquals(List.of("sendAudio", "sendVoice", "sendVideo", "sendAnimation"),
        sent.stream().map(SentMessage::method).toList());
    assertEquals(List.of("song.mp3", "note.ogg", "clip.mp4", "funny.gif"),
        sent.stream().map(m -> m.file().fileName()).toList());
  }

  @Test
  void mediaTelegramRefusesInItsKindArrivesAsADocument() throws Exception {
    Files.write(workspace.resolve("clip.mp4"), new byte[] {1});
    fake.failNext("sendVideo", 1, TelegramFailure.badRequest("wrong file type"));
    deliver(13, "reply", "<attachment>clip.mp4</attachment>");
    expectConfirmed(13);
    List<SentMessage> sent = fake.sentMessages(CHAT);
    assertEquals(1, sent.size());
    assertEquals("sendDocument", sent.get(0).method());
  }

  @Test
  void optionsBecomeAnInlineKeyboardOnTheFirstMessageTwoPerRow() throws Exception {
    List<ReplyOption> options = List.of(new ReplyOption("low", "/think low"), new ReplyOption("medium", "/think medium"),
        new ReplyOption("high", "/think high"));
    channel.tell(new Deliver(conv(CHAT), 14, "command", HtmlChunksTest.words(6000), workspace.toString(), entity.ref(),
        options));
    expectConfirmed(14);
    List<SentMessage> sent = fake.sentMessages(CHAT);
    assertEquals(2, sent.size());
    assertEquals("{\"inline_keyboard\":[[{\"text\":\"low\",\"callback_data\":\"/think low\"},"
        + "{\"text\":\"medium\",\"callback_data\":\"/think medium\"}],"
        + "[{\"text\":\"high\",\"callback_data\":\"/think high\"}]]}", sent.get(0).replyMarkup().toString());
    assertNull(sent.get(1).replyMarkup());
  }

  @Test
  void anOptionTooLongForCallbackDataIsShownAsTextNotAsAButton() throws Exception {
    String longValue = "/snapload " + "n".repeat(60);
    channel.tell(new Deliver(conv(CHAT), 15, "command", "Saved snapshots:", workspace.toString(), entity.ref(),
        List.of(new ReplyOption("short", "/snapload short"), new ReplyOption("long", longValue))));
    expectConfirmed(15);
    SentMessage m = fake.sentMessages(CHAT).get(0);
    assertEquals("Saved snapshots:\n\n• long: send " + longValue, m.visibleText());
    assertEquals("{\"inline_keyboard\":[[{\"text\":\"short\",\"callback_data\":\"/snapload short\"}]]}",
        m.replyMarkup().toString());
  }

  @Test
  void severalImagesGoAsAlbumsOfFiveAndALoneRestAsAPhoto() throws Exception {
    StringBuilder text = new StringBuilder("Six pictures:");
    for (int i = 0; i < 6; i++) {
      Files.write(workspace.resolve("p" + i + ".png"), new byte[] {(byte) i, 1});
      text.append("<attachment>p").append(i).append(".png</attachment>");
    }
    deliver(7, "reply", text.toString());
    expectConfirmed(7);

    List<SentMessage> sent = fake.sentMessages(CHAT);
    assertEquals(List.of("sendMediaGroup", "sendMediaGroup", "sendMediaGroup", "sendMediaGroup", "sendMediaGroup",
        "sendPhoto"), sent.stream().map(SentMessage::method).toList());
    assertEquals("Six pictures:", sent.get(0).visibleText());
    assertEquals("", sent.get(1).visibleText());
    for (int i = 0; i < 6; i++) assertArrayEquals(new byte[] {(byte) i, 1}, sent.get(i).file().bytes());
    assertEquals(1, fake.calls("sendMediaGroup").size());
    assertEquals(1, fake.calls("sendPhoto").size());
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
    Thread.sleep(600); // not a precondition: three typing intervals for a wrong indicator to show up
    assertEquals(typing, fake.chatActions(CHAT).size(), "typing stops with the turn");
  }
}
