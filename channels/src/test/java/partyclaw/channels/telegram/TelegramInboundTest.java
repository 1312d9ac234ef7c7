package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.actors.conversation.ConversationEntity;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.Deliver;
import partyclaw.core.config.TelegramChannelConfig;
import partyclaw.testkit.SentMessage;
import partyclaw.testkit.TelegramFailure;

class TelegramInboundTest extends TelegramTestSupport {
  static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void privateMessageReachesItsConversationAndTheOffsetMovesOn() throws Exception {
    startChannel();
    long update = fake.message(501, "private", 501).from("Ada", "ada").text("hello bot").inject();
    ConversationEntity.SubmitUserMessage m = conversations.await(conv(501), 1, WAIT).get(0);
    assertEquals("tg:" + update, m.messageId());
    assertEquals("hello bot", m.text());
    assertEquals("501", m.senderId());
    assertEquals("Ada", m.senderName());
    fake.await(() -> fake.confirmedOffset() > update ? true : null, WAIT, () -> "offset past " + update);
    assertEquals(TelegramCommands.MENU.size(), fake.commands("all_private_chats").size());
    assertEquals(TelegramCommands.MENU.size(), fake.commands("all_group_chats").size());
  }

  @Test
  void removingTheBotFromAGroupClosesItsConversation() throws Exception {
    startChannel();
    long group = -7001;
    fake.setMemberCount(group, 5);
    fake.message(group, "supergroup", 12).leftChatMember(12).inject(); // someone else leaving: nothing happens
    long update = fake.message(group, "supergroup", 12).leftChatMember(fake.botId()).inject();
    fake.await(() -> fake.confirmedOffset() > update ? true : null, WAIT, () -> "offset past " + update);
    assertEquals(List.of("telegram bot was removed from the chat"), conversations.closed(conv(group)));
    assertEquals(List.of(), conversations.accepted(conv(group)));
  }

  @Test
  void bigGroupsOnlyHearWhatIsAddressedToTheBot() throws Exception {
    ActorRef<ChannelMessage> channel = startChannel();
    long group = -1001;
    fake.setMemberCount(group, 5);
    fake.injectMessage(group, "supergroup", 11, "just chatting");
    fake.injectMessage(group, "supergroup", 11, "hey @" + fake.botUsername() + " what's up");
    fake.injectMessage(group, "supergroup", 12, "/help@" + fake.botUsername());
    fake.injectMessage(group, "supergroup", 12, "@" + fake.botUsername() + " /status now");
    fake.injectMessage(group, "supergroup", 12, "/status@some_other_bot");
    List<ConversationEntity.SubmitUserMessage> got = conversations.await(conv(group), 3, WAIT);
    assertEquals(List.of("hey @" + fake.botUsername() + " what's up", "/help", "/status now"),
        got.stream().map(ConversationEntity.SubmitUserMessage::text).toList());

    // a reply to one of the bot's own messages counts as addressed
    TestProbe<partyclaw.actors.outbox.DeliveryReport> confirm = kit.createTestProbe();
    channel.tell(new Deliver(conv(group), 1, "reply", "I am here", dir.toString(), confirm.ref()));
    SentMessage bots = fake.awaitSentMessages(group, 1, WAIT).get(0);
    fake.message(group, "supergroup", 13).text("thanks!").replyTo(bots.messageId()).inject();
    long last = fake.injectMessage(group, "supergroup", 13, "not for you");
    assertEquals("thanks!", conversations.await(conv(group), 4, WAIT).get(3).text());
    // every update decided on (the offset moves past an update only once it was accepted or ignored)
    fake.await(() -> fake.confirmedOffset() > last ? true : null, WAIT, () -> "offset past " + last);
    assertEquals(4, conversations.accepted(conv(group)).size(), "un-addressed messages are ignored");
  }

  @Test
  void smallGroupsAreLikePrivateChats() throws Exception {
    startChannel();
    fake.setMemberCount(-2002, 2);
    fake.injectMessage(-2002, "group", 21, "no mention needed");
    assertEquals("no mention needed", conversations.await(conv(-2002), 1, WAIT).get(0).text());
  }

  @Test
  void allowListsRefuseOncePerChatAndNothingElse() throws Exception {
    startChannel(config(List.of(), List.of(31L)));
    fake.injectMessage(32, "private", 32, "let me in");
    fake.injectMessage(32, "private", 32, "please");
    long last = fake.injectMessage(31, "private", 31, "I am allowed");
    assertEquals("I am allowed", conversations.await(conv(31), 1, WAIT).get(0).text());
    List<SentMessage> refusals = fake.awaitSentMessages(32, 1, WAIT);
    // both refused messages were handled (a refusal is sent before its update is confirmed)
    fake.await(() -> fake.confirmedOffset() > last ? true : null, WAIT, () -> "offset past " + last);
    assertEquals(1, fake.sentMessages(32).size(), "one refusal per chat");
    assertEquals(AccessTexts.NOT_ALLOWED, refusals.get(0).text());
    assertTrue(conversations.accepted(conv(32)).isEmpty());
  }

  @Test
  void albumIsOneMessageWithEveryFileInTheWorkspace() throws Exception {
    startChannel();
    List<byte[]> photos = List.of(new byte[] {1, 2, 3}, new byte[] {4, 5}, new byte[] {6});
    fake.injectAlbum(41, "private", 41, "three pictures", photos);
    fake.injectMessage(41, "private", 41, "after the album");
    List<ConversationEntity.SubmitUserMessage> got = conversations.await(conv(41), 2, WAIT);
    ConversationEntity.SubmitUserMessage album = got.get(0);
    assertEquals("three pictures", album.text());
    assertEquals(3, album.attachments().size());
    assertTrue(album.messageId().matches("tg:album:41:album\\d+:\\d+"), album.messageId());
    for (int i = 0; i < 3; i++) {
      String rel = album.attachments().get(i);
      assertTrue(rel.startsWith("upload/") && rel.endsWith(".jpg"), rel);
      assertArrayEquals(photos.get(i), Files.readAllBytes(conversations.workspace(conv(41)).resolve(rel)));
    }
    assertEquals("after the album", got.get(1).text(), "order within a chat is kept");
  }

  @Test
  void aFailedMemberCountLookupIsAskedAgainAndTheMessageWaitsInsteadOfBeingIgnored() throws Exception {
    startChannel();
    fake.setMemberCount(-3003, 2);
    fake.failNext("getChatMemberCount", 2, TelegramFailure.serverError());
    long update = fake.injectMessage(-3003, "group", 33, "small group, flaky lookup");
    assertEquals("small group, flaky lookup", conversations.await(conv(-3003), 1, WAIT).get(0).text());
    assertEquals(List.of(500, 500, 200), fake.calls("getChatMemberCount").stream().map(c -> c.status()).toList());
    fake.await(() -> fake.confirmedOffset() > update ? true : null, WAIT, () -> "offset past " + update);
  }

  @Test
  void albumItemsArrivingAfterTheMergeWindowAreTheirOwnMessage() throws Exception {
    startChannel();
    fake.message(42, "private", 42).photo(new byte[] {1}).mediaGroup("late-album").caption("two now").inject();
    fake.message(42, "private", 42).photo(new byte[] {2}).mediaGroup("late-album").inject();
    ConversationEntity.SubmitUserMessage first = conversations.await(conv(42), 1, WAIT).get(0);
    assertEquals(2, first.attachments().size());
    long late = fake.message(42, "private", 42).photo(new byte[] {3}).mediaGroup("late-album").inject();
    ConversationEntity.SubmitUserMessage second = conversations.await(conv(42), 2, WAIT).get(1);
    assertEquals(1, second.attachments().size());
    assertEquals("tg:album:42:late-album:" + late, second.messageId());
    assertEquals(0, conversations.duplicates(), "the late item is not taken for a redelivery of the album");
  }

  @Test
  void aMessageSentRightAfterABatchIsFetchedWithoutThePollInterval() throws Exception {
    TelegramChannelConfig base = config(List.of(), List.of());
    // An hour between polls would show at once; the interval only applies after an empty poll.
    TelegramChannelConfig slow = new TelegramChannelConfig(base.id(), null, "UNUSED_ENV", fake.baseUrl(), 20, 3_600_000,
        List.of(), List.of(), true);
    fake.injectMessage(43, "private", 43, "first");
    startChannel(slow);
    conversations.await(conv(43), 1, WAIT);
    fake.injectMessage(43, "private", 43, "right after");
    assertEquals("right after", conversations.await(conv(43), 2, WAIT).get(1).text());
  }

  @Test
  void buttonPressBecomesAMessageFromThePresser() throws Exception {
    startChannel();
    long update = fake.injectCallback(51, 51, 7, "/agent main");
    ConversationEntity.SubmitUserMessage m = conversations.await(conv(51), 1, WAIT).get(0);
    assertEquals("/agent main", m.text());
    assertEquals("tg:" + update, m.messageId());
    fake.awaitCalls("answerCallbackQuery", 1, WAIT);
  }

  @Test
  void pollerRecoversFromErrorsFloodControlAndTimeoutsWithoutLosingMessages() throws Exception {
    fake.failNext("getMe", 2, TelegramFailure.serverError());
    fake.failNext("getUpdates", 2, TelegramFailure.serverError());
    fake.failNext("getUpdates", 1, TelegramFailure.tooManyRequests(1));
    fake.failNext("getUpdates", 1, TelegramFailure.hang(Duration.ofSeconds(20)));
    fake.failNext("getUpdates", 1, TelegramFailure.conflict());
    startChannel();
    for (int i = 0; i < 5; i++) fake.injectMessage(61, "private", 61, "msg " + i);
    List<ConversationEntity.SubmitUserMessage> got = conversations.await(conv(61), 5, Duration.ofSeconds(20));
    assertEquals(List.of("msg 0", "msg 1", "msg 2", "msg 3", "msg 4"),
        got.stream().map(ConversationEntity.SubmitUserMessage::text).toList());
    assertEquals(0, conversations.duplicates());
    List<Integer> statuses = fake.calls("getUpdates").stream().map(c -> c.status()).toList();
    // 0: the hung call is still unanswered; the poller gave up on it after its deadline and went on
    assertTrue(statuses.containsAll(List.of(500, 429, 0, 409, 200)), statuses.toString());
  }

  @Test
  void aCommandMenuTelegramRefusesDoesNotKeepTheBotDeaf() throws Exception {
    fake.failNext("setMyCommands", 2, TelegramFailure.badRequest("BOT_COMMAND_INVALID"));
    startChannel();
    fake.injectMessage(91, "private", 91, "still heard");
    assertEquals("still heard", conversations.await(conv(91), 1, WAIT).get(0).text());
  }

  @Test
  void restartReadsAgainWhatWasNotAcknowledgedAndConversationsDropTheRepeat() throws Exception {
    conversations.ackDisabled = true; // persisted but the ack is lost: a crash between the two
    ActorRef<ChannelMessage> first = startChannel();
    long update = fake.injectMessage(71, "private", 71, "exactly once");
    conversations.await(conv(71), 1, WAIT);
    Thread.sleep(200); // not a precondition: room for a wrong confirmation to show up before we check there is none
    assertTrue(fake.confirmedOffset() <= update, "not confirmed without an ack");
    stopChannel(first);

    conversations.ackDisabled = false;
    fake.injectMessage(71, "private", 71, "second");
    startChannel();
    List<ConversationEntity.SubmitUserMessage> got = conversations.await(conv(71), 2, WAIT);
    assertEquals(List.of("exactly once", "second"), got.stream().map(ConversationEntity.SubmitUserMessage::text).toList());
    assertEquals(1, conversations.duplicates(), "the redelivery was recognised, not handled twice");
    fake.await(() -> fake.pendingUpdateIds().isEmpty() ? true : null, WAIT, () -> "all updates confirmed");
  }

  @Test
  void aLargeFileIsStreamedIntoTheWorkspaceWhole() throws Exception {
    startChannel();
    byte[] big = new byte[12 * 1024 * 1024]; // beyond Akka HTTP's default 8 MB limit for a response held in memory
    new java.util.Random(7).nextBytes(big);
    fake.message(82, "private", 82).document("big.bin", "application/octet-stream", big).caption("a big one").inject();
    ConversationEntity.SubmitUserMessage m = conversations.await(conv(82), 1, Duration.ofSeconds(30)).get(0);
    assertEquals("a big one", m.text());
    assertEquals(1, m.attachments().size(), m.text());
    Path saved = conversations.workspace(conv(82)).resolve(m.attachments().get(0));
    assertArrayEquals(big, Files.readAllBytes(saved));
    try (var files = Files.list(saved.getParent())) {
      assertEquals(List.of(saved.getFileName().toString()), files.map(p -> p.getFileName().toString()).toList(),
          "no partial file left behind");
    }
  }

  @Test
  void filesThatCannotBeDownloadedStillLeaveAMessage() throws Exception {
    fake.failDuring("getFile", Duration.ofSeconds(30), TelegramFailure.badGateway());
    startChannel();
    fake.message(81, "private", 81).document("notes.txt", "text/plain", "hi".getBytes()).caption("see file").inject();
    ConversationEntity.SubmitUserMessage m = conversations.await(conv(81), 1, WAIT).get(0);
    assertTrue(m.attachments().isEmpty());
    assertTrue(m.text().startsWith("see file\n[The attached file notes.txt could not be downloaded"), m.text());
    assertTrue(!m.text().contains(TOKEN), "no token in texts");
  }
}
