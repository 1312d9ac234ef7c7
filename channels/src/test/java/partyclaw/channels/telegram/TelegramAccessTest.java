package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.actors.conversation.ConversationEntity;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.core.config.TelegramChannelConfig;
import partyclaw.testkit.SentMessage;

/** Access control through the channel: the fake Bot API in, the fake conversations and the sent notices out. */
class TelegramAccessTest extends TelegramTestSupport {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final long ADMIN = 902;
  static final long GROUP = -9001;
  static final long MEMBER = 903;

  TelegramChannelConfig closed() {
    return config(List.of(), List.of(), false);
  }

  static String visible(String html) {
    return HtmlChunks.visibleText(html);
  }

  List<String> sent(long chatId) {
    return fake.sentMessages(chatId).stream().map(SentMessage::visibleText).toList();
  }

  void awaitOffsetPast(long update) {
    fake.await(() -> fake.confirmedOffset() > update ? true : null, WAIT, () -> "offset past " + update);
  }

  List<String> awaitSent(long chatId, int n) {
    return fake.awaitSentMessages(chatId, n, WAIT).stream().map(SentMessage::visibleText).toList();
  }

  @Test
  void withoutAdministratorAStrangerIsToldOnceAndNothingReachesAConversation() throws Exception {
    startChannel(closed());
    fake.injectMessage(901, "private", 901, "hello");
    fake.injectMessage(901, "private", 901, "anyone there?");
    long last = fake.injectMessage(901, "private", 901, "/status");
    awaitOffsetPast(last);
    assertEquals(List.of(visible(AccessTexts.NO_ADMIN)), awaitSent(901, 1));
    assertEquals("HTML", fake.sentMessages(901).get(0).parseMode());
    assertEquals(1, fake.sentMessages(901).size(), "refused messages are confirmed, the notice is not repeated");
    assertFalse(conversations.touched(conv(901)), "no conversation is even looked up");

    // the access commands come first in the menu, as in the reference
    List<String> menu = fake.commands("all_private_chats").findValuesAsText("command");
    assertEquals(TelegramCommands.MENU.size() + 4, menu.size());
    assertEquals(List.of("admin_authorize", "admin_chat_list", "admin_chat_approve", "admin_chat_reject"), menu.subList(0, 4));
  }

  @Test
  void theAdministratorClaimsTheBotAndDecidesOnAGroup() throws Exception {
    ActorRef<ChannelMessage> channel = startChannel(closed());
    fake.setMemberCount(GROUP, 5);
    fake.injectMessage(ADMIN, "private", ADMIN, "/admin_authorize");
    assertEquals(List.of(visible(AccessTexts.claimed(channelId, ADMIN))), awaitSent(ADMIN, 1));
    fake.injectMessage(ADMIN, "private", ADMIN, "hello agent");
    assertEquals("hello agent", conversations.await(conv(ADMIN), 1, WAIT).get(0).text());

    // a group's first addressed message waits; the administrator hears of it once
    fake.injectMessage(GROUP, "supergroup", MEMBER, "@" + fake.botUsername() + " hi");
    assertEquals(List.of(visible(AccessTexts.PENDING)), awaitSent(GROUP, 1));
    String news = awaitSent(ADMIN, 2).get(1);
    assertTrue(news.startsWith("A new chat is waiting for approval: " + GROUP + ", Group " + GROUP + " (supergroup)"), news);
    long waiting = fake.injectMessage(GROUP, "supergroup", MEMBER, "@" + fake.botUsername() + " still waiting");
    awaitOffsetPast(waiting);
    assertEquals(1, fake.sentMessages(GROUP).size());
    assertEquals(2, fake.sentMessages(ADMIN).size());
    assertFalse(conversations.touched(conv(GROUP)));

    fake.injectMessage(ADMIN, "private", ADMIN, "/admin_chat_list");
    String board = awaitSent(ADMIN, 3).get(2);
    assertTrue(board.contains("Pending: 1, approved: 0, rejected: 0\n"), board);
    assertTrue(board.contains("approve: /admin_chat_approve " + GROUP), board);

    fake.injectMessage(ADMIN, "private", ADMIN, "/admin_chat_approve " + GROUP);
    assertEquals(visible(AccessTexts.approved(GROUP)), awaitSent(ADMIN, 4).get(3));
    assertEquals(visible(AccessTexts.APPROVED_NOTICE), awaitSent(GROUP, 2).get(1));
    fake.injectMessage(GROUP, "supergroup", MEMBER, "@" + fake.botUsername() + " now?");
    assertEquals("@" + fake.botUsername() + " now?", conversations.await(conv(GROUP), 1, WAIT).get(0).text());

    fake.injectMessage(ADMIN, "private", ADMIN, "/admin_chat_reject " + GROUP);
    assertEquals(visible(AccessTexts.rejected(GROUP, false)), awaitSent(ADMIN, 5).get(4));
    assertEquals(visible(AccessTexts.REJECTED), awaitSent(GROUP, 3).get(2));
    fake.await(() -> conversations.closed(conv(GROUP)).isEmpty() ? null : true, WAIT, () -> "the group's close");
    assertEquals(List.of("the telegram administrator rejected the chat"), conversations.closed(conv(GROUP)));
    long refused = fake.injectMessage(GROUP, "supergroup", MEMBER, "@" + fake.botUsername() + " and now?");
    awaitOffsetPast(refused);
    assertEquals(3, fake.sentMessages(GROUP).size(), "the rejection was told already");
    assertEquals(1, conversations.accepted(conv(GROUP)).size());

    // the administrator's access commands never reach the conversation
    assertEquals(List.of("hello agent"),
        conversations.accepted(conv(ADMIN)).stream().map(ConversationEntity.SubmitUserMessage::text).toList());

    // the decisions outlive the channel
    stopChannel(channel);
    startChannel(closed());
    fake.injectMessage(ADMIN, "private", ADMIN, "after restart");
    assertEquals("after restart", conversations.await(conv(ADMIN), 2, WAIT).get(1).text());
    long after = fake.injectMessage(GROUP, "supergroup", MEMBER, "@" + fake.botUsername() + " after restart");
    awaitOffsetPast(after);
    assertEquals(1, conversations.accepted(conv(GROUP)).size());
  }

  @Test
  void aSecondClaimantLearnsWhoTheAdministratorIs() throws Exception {
    startChannel(closed());
    fake.injectMessage(ADMIN, "private", ADMIN, "/admin_authorize");
    awaitSent(ADMIN, 1);
    fake.injectMessage(904, "private", 904, "/authorize");
    assertEquals(List.of("This channel already has an administrator registered as user " + ADMIN + " (User" + ADMIN + ")."),
        awaitSent(904, 1));
    fake.injectMessage(GROUP, "group", 904, "/admin_authorize");
    assertEquals(List.of(visible(AccessTexts.CLAIM_IN_GROUP)), awaitSent(GROUP, 1));
    assertEquals(List.of(visible(AccessTexts.claimed(channelId, ADMIN))), sent(ADMIN), "nobody else was announced");
  }

  @Test
  void anOpenBotServesEveryoneAndRegistersNoAccessCommands() throws Exception {
    startChannel(config(List.of(), List.of(), true));
    fake.injectMessage(905, "private", 905, "hi");
    assertEquals("hi", conversations.await(conv(905), 1, WAIT).get(0).text());
    fake.injectMessage(905, "private", 905, "/admin_chat_list");
    assertEquals(List.of(visible(AccessTexts.OPEN)), awaitSent(905, 1));
    assertEquals(TelegramCommands.MENU.size(), fake.commands("all_private_chats").size());
  }
}
