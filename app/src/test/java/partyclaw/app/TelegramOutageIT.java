package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.app.TelegramITSupport.awaitReply;
import static partyclaw.app.TelegramITSupport.count;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.testkit.FakeTelegramServer;
import partyclaw.testkit.TelegramFailure;

/**
 * The Bot API answering 500, 429 and not at all "for a while" (seconds here, with the poller's timeouts shortened
 * through the internal settings): the poller recovers by itself and every message sent meanwhile is answered once.
 */
class TelegramOutageIT extends WithTelegramFakes {
  @TempDir Path dir;
  @Test
  void pollerRecoversAndEveryMessageSentDuringTheOutageIsAnswered() throws Exception {
    Path config = TelegramITSupport.config(dir, llm.baseUrl(), fake.baseUrl());
    Map<String, String> env = Map.of("PARTYCLAW_JAVA_OPTS",
        "-Dpartyclaw.telegram.poll-grace=3s -Dpartyclaw.telegram.backoff-cap=4s");
    try (DaemonProcess daemon = TelegramITSupport.start(dir, "daemon", config, env)) {
      fake.injectMessage(5001, "private", 5001, "before");
      awaitReply(fake, 5001, "ok: before");

      fake.failDuring("*", Duration.ofSeconds(6), TelegramFailure.serverError());
      fake.failNext("getUpdates", 2, TelegramFailure.tooManyRequests(2));
      fake.failNext("getUpdates", 1, TelegramFailure.hang(Duration.ofSeconds(60)));
      fake.failNext("sendMessage", 2, TelegramFailure.tooManyRequests(1));
      fake.injectMessage(5001, "private", 5001, "during one");
      fake.injectMessage(5002, "private", 5002, "during two");
      // the third while the poller is failing: once it has seen the 500s and the 429s
      fake.await(() -> statuses(fake).contains(500) && statuses(fake).contains(429) ? true : null,
          Duration.ofSeconds(60), () -> "getUpdates failing with 500 and 429, got " + statuses(fake));
      fake.injectMessage(5001, "private", 5001, "during three");
      // the last once the outage is over: a poll after the hung one was answered
      fake.await(() -> recoveredAfterHang(fake) ? true : null, Duration.ofSeconds(60),
          () -> "a getUpdates answered after the hung one, got " + statuses(fake));
      fake.injectMessage(5002, "private", 5002, "after");

      awaitReply(fake, 5001, "ok: during one");
      awaitReply(fake, 5002, "ok: during two");
      awaitReply(fake, 5001, "ok: during three");
      awaitReply(fake, 5002, "ok: after");
      Thread.sleep(2000); // not a precondition: room for a duplicate reply to show up
      for (String text : new String[] {"ok: during one", "ok: during three"}) assertEquals(1, count(fake, 5001, text), text);
      for (String text : new String[] {"ok: during two", "ok: after"}) assertEquals(1, count(fake, 5002, text), text);

      var statuses = statuses(fake);
      assertTrue(statuses.contains(500) && statuses.contains(429) && statuses.contains(0), statuses.toString());
      assertTrue(daemon.stderr().contains("Bot API reachable again"), "recovery is logged");
      TelegramITSupport.assertTokenNotLeaked(daemon, dir);
    }
  }

  /** Statuses of the getUpdates calls so far (0: not answered yet). Called under the fake's lock by await. */
  private static java.util.List<Integer> statuses(FakeTelegramServer fake) {
    return fake.calls("getUpdates").stream().map(c -> c.status()).toList();
  }

  private static boolean recoveredAfterHang(FakeTelegramServer fake) {
    var calls = fake.calls("getUpdates");
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).status() == 504 || calls.get(i).status() == 0 && i < calls.size() - 1) {
        return calls.subList(i + 1, calls.size()).stream().anyMatch(c -> c.status() == 200);
      }
    }
    return false;
  }
}
