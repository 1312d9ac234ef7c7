package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static partyclaw.app.TelegramITSupport.awaitReply;
import static partyclaw.app.TelegramITSupport.count;
import static partyclaw.app.TelegramITSupport.userTexts;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.testkit.RecordedRequest;
import partyclaw.testkit.SentMessage;

/** kill -9 between fetching an update and replying to it: after a restart the reply arrives once. */
class TelegramCrashIT extends WithTelegramFakes {
  static final long CHAT = 4001;
  @TempDir Path dir;
  private static final java.util.regex.Pattern NOTHING_UNDELIVERED =
      java.util.regex.Pattern.compile("(?m)^Queued messages: \\d+, undelivered replies: 0$");

  private static boolean isStatus(SentMessage m) {
    return m.visibleText().startsWith("Conversation: ");
  }

  /** Asks /status until it shows no undelivered reply: the conversation has recorded every delivery. */
  private void awaitNothingUndelivered() {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      int before = fake.sentMessages(CHAT).size();
      fake.injectMessage(CHAT, "private", CHAT, "/status");
      SentMessage status = fake.awaitSentMessages(CHAT, before + 1, Duration.ofSeconds(30)).get(before);
      if (!isStatus(status)) throw new AssertionError("expected the /status reply, got " + status.visibleText());
      if (NOTHING_UNDELIVERED.matcher(status.visibleText()).find()) return;
      if (System.nanoTime() > deadline) throw new AssertionError("replies stay undelivered: " + status.visibleText());
    }
  }

  @Test
  void killedAfterFetchingAnUpdateRepliesExactlyOnceAfterRestart() throws Exception {
    Path config = TelegramITSupport.config(dir, llm.baseUrl(), fake.baseUrl());

    // 1: killed while the model works on the message (it was fetched and accepted, no reply yet)
    llm.setDelay(Duration.ofSeconds(60));
    try (DaemonProcess first = TelegramITSupport.start(dir, "first", config, Map.of())) {
      fake.injectMessage(CHAT, "private", CHAT, "first message");
      llm.awaitRequests(1, Duration.ofSeconds(60));
      first.kill9();
      TelegramITSupport.assertTokenNotLeaked(first, dir);
    }
    assertEquals(0, fake.sentMessages(CHAT).size());

    // 2: the restarted daemon finishes the turn; then it is killed right after fetching the next update
    llm.setDelay(Duration.ofSeconds(60));
    try (DaemonProcess second = TelegramITSupport.start(dir, "second", config, Map.of())) {
      llm.setDelay(Duration.ZERO);
      awaitReply(fake, CHAT, "ok: first message");
      // A kill between Telegram accepting a reply and the conversation recording that is a different window (an
      // outbound resend); wait until the conversation recorded it, so this run tests the inbound side only.
      awaitNothingUndelivered();
      llm.setDelay(Duration.ofSeconds(60));
      long update = fake.injectMessage(CHAT, "private", CHAT, "second message");
      fake.awaitDelivered(update, Duration.ofSeconds(30));
      second.kill9();
    }

    // 3: nothing lost, nothing twice
    llm.setDelay(Duration.ZERO);
    try (DaemonProcess third = TelegramITSupport.start(dir, "third", config, Map.of())) {
      awaitReply(fake, CHAT, "ok: second message");
      fake.injectMessage(CHAT, "private", CHAT, "third message");
      awaitReply(fake, CHAT, "ok: third message");
      Thread.sleep(2000); // room for a duplicate to show up
      assertEquals(1, count(fake, CHAT, "ok: first message"), TelegramITSupport.visible(fake, CHAT).toString());
      assertEquals(1, count(fake, CHAT, "ok: second message"));
      assertEquals(1, count(fake, CHAT, "ok: third message"));
      assertEquals(3, fake.sentMessages(CHAT).stream().filter(m -> !isStatus(m)).count());
      RecordedRequest last = TelegramITSupport.requestFor(llm, "third message");
      assertEquals(java.util.List.of("first message", "second message", "third message"), userTexts(last),
          "each message is in the history exactly once");
      fake.await(() -> fake.pendingUpdateIds().isEmpty() ? true : null, Duration.ofSeconds(10),
          () -> "every update confirmed, pending " + fake.pendingUpdateIds());
      TelegramITSupport.assertTokenNotLeaked(third, dir);
    }
  }
}
