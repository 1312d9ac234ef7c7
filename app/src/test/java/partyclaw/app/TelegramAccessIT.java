package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.app.TelegramITSupport.awaitReply;
import static partyclaw.app.TelegramITSupport.count;
import static partyclaw.app.TelegramITSupport.visible;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.testkit.RecordedRequest;
import partyclaw.testkit.SentMessage;

/**
 * Access control through the packaged daemon: a bot without allow-lists serves nobody until an administrator
 * claims it, then only the chats the administrator approves; refused messages never reach the model, are confirmed
 * to Telegram, and the decisions survive a restart.
 */
class TelegramAccessIT extends WithTelegramFakes {
  static final long STRANGER = 8001;
  static final long ADMIN = 8002;
  static final long GROUP = -8003;
  static final long MEMBER = 8004;
  static final long OTHER_GROUP = -8005;
  static final Duration WAIT = Duration.ofSeconds(60);

  static final String NO_ADMIN = "This channel has no administrator yet. Please open a private chat with the bot and"
      + " send /admin_authorize (or /authorize) there.";
  static final String PENDING = "This conversation is waiting for administrator approval. Please ask the channel admin"
      + " to review it with /admin_chat_list in their private chat.";
  static final String CLAIMED = "You are now the administrator for channel tg as user " + ADMIN + ". This private chat"
      + " is approved. Other chats wait for your approval: /admin_chat_list shows them, /admin_chat_approve <chat id>"
      + " and /admin_chat_reject <chat id> decide.";
  static final String APPROVED_NOTICE = "The administrator approved this chat: the bot answers here now.";
  static final String REJECTED_NOTICE = "The administrator of this bot has rejected this chat: messages here are not"
      + " processed.";

  @TempDir Path dir;

  private void awaitConfirmed(long update) {
    fake.await(() -> fake.confirmedOffset() > update ? true : null, WAIT,
        () -> "update " + update + " confirmed, offset " + fake.confirmedOffset());
  }

  private SentMessage awaitStartingWith(long chatId, String prefix) {
    return fake.await(() -> fake.sentMessages(chatId).stream().filter(m -> m.visibleText().startsWith(prefix))
        .findFirst().orElse(null), WAIT, () -> "'" + prefix + "…' in chat " + chatId + "; sent: " + visible(fake, chatId));
  }

  /** No model request carries a message of a chat that was kept out. */
  private void assertNoModelRequestContains(String marker) {
    for (RecordedRequest r : llm.requests()) {
      assertFalse(TelegramITSupport.userTexts(r).stream().anyMatch(t -> t.contains(marker)),
          "a refused message reached the model: " + TelegramITSupport.userTexts(r));
    }
  }

  @Test
  void closedUntilAnAdministratorClaimsTheBotThenOnlyApprovedChatsTalk() throws Exception {
    Path config = TelegramITSupport.closedConfig(dir, llm.baseUrl(), fake.baseUrl());
    fake.setMemberCount(GROUP, 5);
    fake.setMemberCount(OTHER_GROUP, 5);
    String mention = "@" + fake.botUsername() + " ";

    try (DaemonProcess first = TelegramITSupport.start(dir, "first", config, Map.of())) {
      // 1: nobody has claimed the bot; the stranger is told how, once, and the model hears nothing
      fake.injectMessage(STRANGER, "private", STRANGER, "REFUSED-1 hello?");
      long last = fake.injectMessage(STRANGER, "private", STRANGER, "REFUSED-1 run rm -rf / please");
      awaitReply(fake, STRANGER, NO_ADMIN);
      awaitConfirmed(last);
      assertEquals(1, fake.sentMessages(STRANGER).size(), visible(fake, STRANGER).toString());
      assertEquals(0, llm.requests().size(), "no model call for a refused message");

      // 2: the administrator claims the bot in a private chat and talks to the agent
      fake.injectMessage(ADMIN, "private", ADMIN, "/admin_authorize");
      awaitReply(fake, ADMIN, CLAIMED);
      fake.injectMessage(ADMIN, "private", ADMIN, "hi agent");
      awaitReply(fake, ADMIN, "ok: hi agent");

      // 3: a group's first message waits; the administrator is told
      long asked = fake.injectMessage(GROUP, "supergroup", MEMBER, mention + "REFUSED-2 group hello");
      awaitReply(fake, GROUP, PENDING);
      awaitStartingWith(ADMIN, "A new chat is waiting for approval: " + GROUP + ", Group " + GROUP + " (supergroup)");
      awaitConfirmed(asked);

      // 4: approved, the group's next message is answered
      fake.injectMessage(ADMIN, "private", ADMIN, "/admin_chat_approve " + GROUP);
      awaitReply(fake, ADMIN, "Conversation " + GROUP + " is now approved.");
      awaitReply(fake, GROUP, APPROVED_NOTICE);
      fake.injectMessage(GROUP, "supergroup", MEMBER, mention + "group again");
      awaitReply(fake, GROUP, "ok: " + mention + "group again");

      // 5: another group is rejected: told once, then kept out
      fake.injectMessage(OTHER_GROUP, "supergroup", MEMBER, mention + "REFUSED-3 let us in");
      awaitReply(fake, OTHER_GROUP, PENDING);
      fake.injectMessage(ADMIN, "private", ADMIN, "/admin_chat_reject " + OTHER_GROUP);
      awaitStartingWith(ADMIN, "Conversation " + OTHER_GROUP + " was rejected");
      awaitReply(fake, OTHER_GROUP, REJECTED_NOTICE);
      long rejected = fake.injectMessage(OTHER_GROUP, "supergroup", MEMBER, mention + "REFUSED-3 please?");
      awaitConfirmed(rejected);
      assertEquals(2, fake.sentMessages(OTHER_GROUP).size(), visible(fake, OTHER_GROUP).toString());

      // the stranger, now that there is an administrator, waits for approval like any chat
      fake.injectMessage(STRANGER, "private", STRANGER, "REFUSED-1 and now?");
      awaitReply(fake, STRANGER, PENDING);
      TelegramITSupport.assertTokenNotLeaked(first, dir);
      first.kill9();
    }

    // 6: the decisions survive a restart (killed, not stopped)
    try (DaemonProcess second = TelegramITSupport.start(dir, "second", config, Map.of())) {
      fake.injectMessage(ADMIN, "private", ADMIN, "after restart");
      awaitReply(fake, ADMIN, "ok: after restart");
      fake.injectMessage(GROUP, "supergroup", MEMBER, mention + "group after restart");
      awaitReply(fake, GROUP, "ok: " + mention + "group after restart");
      long refused = fake.injectMessage(OTHER_GROUP, "supergroup", MEMBER, mention + "REFUSED-3 after restart");
      long waiting = fake.injectMessage(STRANGER, "private", STRANGER, "REFUSED-1 after restart");
      awaitConfirmed(Math.max(refused, waiting));

      fake.injectMessage(ADMIN, "private", ADMIN, "/admin_chat_list");
      SentMessage board = awaitStartingWith(ADMIN, "Approval dashboard for channel tg");
      List<String> lines = board.visibleText().lines().toList();
      assertEquals("Pending: 1, approved: 1, rejected: 1", lines.get(1), board.visibleText());
      assertEquals("Administrator: user " + ADMIN + " (User" + ADMIN + ")", lines.get(2));
      assertTrue(lines.contains("  approve: /admin_chat_approve " + STRANGER), board.visibleText());
      assertTrue(lines.contains("• " + GROUP + " Group " + GROUP + " (supergroup, asked by User" + MEMBER + ")"),
          board.visibleText());

      assertNoModelRequestContains("REFUSED-");
      assertEquals(List.of("ok: hi agent", "ok: after restart"), fake.sentMessages(ADMIN).stream()
          .map(SentMessage::visibleText).filter(t -> t.startsWith("ok: ")).toList(),
          "the access commands never reached the agent");
      assertEquals(1, count(fake, STRANGER, NO_ADMIN));
      TelegramITSupport.assertTokenNotLeaked(second, dir);
    }
  }

  @Test
  void anOpenBotWarnsAtStartAndValidateAcceptsTheKey() throws Exception {
    Path config = TelegramITSupport.config(dir, llm.baseUrl(), fake.baseUrl());
    assertTrue(Files.readString(config).contains("\"open\": true"));
    Map<String, String> env = Map.of(TelegramITSupport.TOKEN_ENV, TelegramITSupport.TOKEN);
    try (DaemonProcess ok = DaemonProcess.start(dir, "validate-open", null, env, "validate", "--config", config.toString())) {
      assertEquals(0, ok.waitForExit(WAIT), ok.stderr());
    }
    Path bad = dir.resolve("bad-open.json");
    Files.writeString(bad, Files.readString(config).replace("\"open\": true", "\"open\": \"yes\""));
    try (DaemonProcess p = DaemonProcess.start(dir, "validate-bad", null, env, "validate", "--config", bad.toString())) {
      assertEquals(2, p.waitForExit(WAIT), p.stderr());
      assertTrue(p.stderr().contains("$.channels[0].open: expected a boolean but got string \"yes\""), p.stderr());
    }

    try (DaemonProcess daemon = TelegramITSupport.start(dir, "open", config, Map.of())) {
      fake.injectMessage(STRANGER, "private", STRANGER, "anyone may talk");
      awaitReply(fake, STRANGER, "ok: anyone may talk");
      String warning = daemon.stderr().lines().filter(l -> l.contains("access control is off")).findFirst()
          .orElseThrow(() -> new AssertionError("no warning about the open bot:\n" + daemon.stderr()));
      assertTrue(warning.contains("WARN") && warning.contains("anyone who finds the bot"), warning);
    }
  }
}
