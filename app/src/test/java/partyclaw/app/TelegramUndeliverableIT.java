package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.app.TelegramITSupport.awaitReply;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.testkit.ApiCall;
import partyclaw.testkit.TelegramFailure;

/**
 * Telegram refusing the bot token (401) for a reply: the reply is recorded as undeliverable and never sent again
 * (the conversation goes quiet instead of resending every few seconds), with the reason in the log and no token.
 * The bot keeps serving: once Telegram takes the token again, the next message is answered.
 */
class TelegramUndeliverableIT extends WithTelegramFakes {
  static final long CHAT = 8001;
  @TempDir Path dir;
  private List<ApiCall> sends() {
    return fake.calls("sendMessage").stream().filter(c -> c.chatId() == CHAT).toList();
  }

  @Test
  void aReplyTelegramRefusesForGoodIsNotResentAndTheBotGoesOn() throws Exception {
    Path config = TelegramITSupport.config(dir, llm.baseUrl(), fake.baseUrl());
    try (DaemonProcess daemon = TelegramITSupport.start(dir, "daemon", config, Map.of())) {
      fake.failDuring("sendMessage", Duration.ofMinutes(5), TelegramFailure.unauthorized());
      fake.injectMessage(CHAT, "private", CHAT, "hello");
      fake.await(() -> sends().isEmpty() ? null : true, TelegramITSupport.REPLY_WAIT, () -> "the refused reply");
      // Not a precondition: the conversation resends unconfirmed replies every 5 s; three intervals for a resend
      // to show up.
      Thread.sleep(15_000);
      assertEquals(1, sends().size(), "refused once, never sent again: " + sends());
      assertEquals(401, sends().get(0).status());

      fake.clearFailures();
      fake.injectMessage(CHAT, "private", CHAT, "again");
      awaitReply(fake, CHAT, "ok: again");
      assertEquals(List.of("ok: again"), TelegramITSupport.visible(fake, CHAT), "the refused reply stays undelivered");
      String log = LogLeakCheck.read(dir.resolve("wd/logs/server.log"));
      assertTrue(log.contains("cannot be delivered: Telegram rejects the bot token (401 Unauthorized)"), log);
      TelegramITSupport.assertTokenNotLeaked(daemon, dir);
    }
  }
}
