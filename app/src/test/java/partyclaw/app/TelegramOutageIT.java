package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.app.TelegramITSupport.awaitReply;
import static partyclaw.app.TelegramITSupport.count;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.FakeTelegramServer;
import partyclaw.testkit.TelegramFailure;

/**
 * The Bot API answering 500, 429 and not at all "for a while" (seconds here, with the poller's timeouts shortened
 * through the internal settings): the poller recovers by itself and every message sent meanwhile is answered once.
 */
class TelegramOutageIT {
  @TempDir Path dir;
  FakeLlmServer llm;
  FakeTelegramServer fake;

  @BeforeEach
  void start() {
    llm = TelegramITSupport.llm();
    fake = TelegramITSupport.telegram();
  }

  @AfterEach
  void stop() {
    fake.close();
    llm.close();
  }

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
      Thread.sleep(3000);
      fake.injectMessage(5001, "private", 5001, "during three");
      Thread.sleep(4000);
      fake.injectMessage(5002, "private", 5002, "after");

      awaitReply(fake, 5001, "ok: during one");
      awaitReply(fake, 5002, "ok: during two");
      awaitReply(fake, 5001, "ok: during three");
      awaitReply(fake, 5002, "ok: after");
      Thread.sleep(2000);
      for (String text : new String[] {"ok: during one", "ok: during three"}) assertEquals(1, count(fake, 5001, text), text);
      for (String text : new String[] {"ok: during two", "ok: after"}) assertEquals(1, count(fake, 5002, text), text);

      var statuses = fake.calls("getUpdates").stream().map(c -> c.status()).toList();
      assertTrue(statuses.contains(500) && statuses.contains(429) && statuses.contains(0), statuses.toString());
      assertTrue(daemon.stderr().contains("Bot API reachable again"), "recovery is logged");
      TelegramITSupport.assertTokenNotLeaked(daemon, dir);
    }
  }
}
