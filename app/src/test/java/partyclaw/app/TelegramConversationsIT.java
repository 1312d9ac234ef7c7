package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.app.TelegramITSupport.awaitReply;
import static partyclaw.app.TelegramITSupport.count;
import static partyclaw.app.TelegramITSupport.requestFor;
import static partyclaw.app.TelegramITSupport.userTexts;
import static partyclaw.app.TelegramITSupport.visible;
import static partyclaw.app.TelegramITSupport.workspaceRoot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.FakeTelegramServer;
import partyclaw.testkit.RecordedRequest;
import partyclaw.testkit.SentMessage;
import partyclaw.testkit.TelegramFailure;

/** One daemon with a Telegram channel; each test talks in its own chats. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelegramConversationsIT {
  @TempDir static Path dir;
  FakeLlmServer llm;
  FakeTelegramServer fake;
  DaemonProcess daemon;

  @BeforeAll
  void start() throws Exception {
    llm = TelegramITSupport.llm();
    fake = TelegramITSupport.telegram();
    daemon = TelegramITSupport.start(dir, "daemon", TelegramITSupport.config(dir, llm.baseUrl(), fake.baseUrl()), Map.of());
  }

  @AfterAll
  void stop() throws Exception {
    try {
      TelegramITSupport.assertTokenNotLeaked(daemon, dir);
    } finally {
      daemon.close();
      fake.close();
      llm.close();
    }
  }

  @Test
  void twoGroupsAndAPrivateChatAreThreeIndependentConversations() throws Exception {
    long priv = 3001;
    long bigGroup = -3002;
    long smallGroup = -3003;
    fake.setMemberCount(smallGroup, 2);
    String mention = "@" + fake.botUsername() + " ";
    fake.injectMessage(priv, "private", priv, "alpha one");
    fake.injectMessage(bigGroup, "supergroup", 31, mention + "beta one");
    fake.injectMessage(smallGroup, "group", 32, "gamma one");
    awaitReply(fake, priv, "ok: alpha one");
    awaitReply(fake, bigGroup, "ok: " + mention + "beta one");
    awaitReply(fake, smallGroup, "ok: gamma one");

    fake.injectMessage(priv, "private", priv, "alpha two");
    fake.injectMessage(bigGroup, "supergroup", 33, mention + "beta two");
    fake.injectMessage(smallGroup, "group", 32, "gamma two");
    awaitReply(fake, priv, "ok: alpha two");
    awaitReply(fake, bigGroup, "ok: " + mention + "beta two");
    awaitReply(fake, smallGroup, "ok: gamma two");

    RecordedRequest a = requestFor(llm, "alpha two");
    RecordedRequest b = requestFor(llm, mention + "beta two");
    RecordedRequest c = requestFor(llm, "gamma two");
    assertEquals(List.of("alpha one", "alpha two"), userTexts(a));
    assertEquals(List.of(mention + "beta one", mention + "beta two"), userTexts(b));
    assertEquals(List.of("gamma one", "gamma two"), userTexts(c));
    assertEquals(3, Set.of(workspaceRoot(a), workspaceRoot(b), workspaceRoot(c)).size(), "three workspaces");
  }

  @Test
  void bigGroupAnswersAMentionButNotPlainChatter() throws Exception {
    long group = -3101;
    fake.injectMessage(group, "supergroup", 41, "plain chatter among humans");
    fake.injectMessage(group, "supergroup", 42, "what do you think @" + fake.botUsername());
    awaitReply(fake, group, "ok: what do you think @" + fake.botUsername());
    // same chat, handled in order: the plain message was decided on before the mention
    assertEquals(1, fake.sentMessages(group).size(), visible(fake, group).toString());
    assertTrue(llm.requests().stream().noneMatch(r -> r.lastUserText().contains("plain chatter")));
  }

  @Test
  void longReplyArrivesAsThreeMessagesAndBrokenMarkdownStillArrives() throws Exception {
    long chat = 3201;
    fake.injectMessage(chat, "private", chat, "LONG please");
    fake.awaitSentMessages(chat, 3, TelegramITSupport.REPLY_WAIT);
    // No wait for a stray fourth part: the chat is answered in order, so one would come before the next reply and
    // be message 4 below, which must be the next reply.
    fake.injectMessage(chat, "private", chat, "BROKEN please");
    List<SentMessage> sent = fake.awaitSentMessages(chat, 4, TelegramITSupport.REPLY_WAIT);
    assertEquals(TelegramITSupport.longText(),
        String.join("", sent.subList(0, 3).stream().map(SentMessage::visibleText).toList()));
    SentMessage broken = sent.get(3);
    assertTrue(broken.visibleText().contains("unclosed bold") && broken.visibleText().contains("<b>raw</i> tags &"),
        broken.visibleText());

    // Telegram refusing the HTML: the same reply goes again as plain text
    fake.failNext("sendMessage", 1, TelegramFailure.cantParseEntities());
    fake.injectMessage(chat, "private", chat, "BROKEN again");
    SentMessage plain = fake.awaitSentMessages(chat, 5, TelegramITSupport.REPLY_WAIT).get(4);
    assertNull(plain.parseMode());
    assertEquals(broken.visibleText(), plain.text());
  }

  @Test
  void albumOfThreePhotosIsOneMessageWithThreeFilesInTheWorkspace() throws Exception {
    long chat = 3301;
    List<byte[]> photos = List.of(new byte[] {1, 1, 1}, new byte[] {2, 2}, new byte[] {3});
    fake.injectAlbum(chat, "private", chat, "my holiday", photos);
    SentMessage reply = fake.awaitSentMessages(chat, 1, TelegramITSupport.REPLY_WAIT).get(0);
    // A second message made of the album would be answered before a later message of the same chat.
    fake.injectMessage(chat, "private", chat, "anything else?");
    awaitReply(fake, chat, "ok: anything else?");
    assertEquals(2, fake.sentMessages(chat).size(), "one message, one reply: " + visible(fake, chat));
    assertTrue(reply.visibleText().startsWith("ok: my holiday"), reply.visibleText());

    RecordedRequest request = llm.requests().stream().filter(r -> r.lastUserText().startsWith("my holiday"))
        .findFirst().orElseThrow();
    List<String> users = userTexts(request);
    assertEquals(1, users.size(), users.toString());
    // the model has no image_in: each photo is a pointer to a copy the runtime saved (runtime.md §3.6)
    String prefix = "[Attachment: kind=image, path=";
    List<String> files = Arrays.stream(users.get(0).split("\n")).filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length(), l.indexOf(", original_name="))).toList();
    assertEquals(3, files.size(), users.get(0));
    Path root = Path.of(workspaceRoot(request));
    for (int i = 0; i < 3; i++) {
      assertTrue(Arrays.equals(photos.get(i), Files.readAllBytes(root.resolve(files.get(i)))), files.get(i));
    }
    assertEquals(1, count(fake, chat, reply.visibleText()));
  }
}
