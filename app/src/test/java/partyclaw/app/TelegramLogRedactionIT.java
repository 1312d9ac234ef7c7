package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.app.TelegramITSupport.awaitReply;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.testkit.FakeTelegramServer;

/**
 * Akka HTTP logs request URIs, which hold the bot token ({@code /bot<token>/method}): in pool warnings when the
 * Bot API goes away, and in every debug line. With debug logging on and the Bot API's port dead for a while, no
 * log of the daemon may contain the token, and the logs must show that URIs were logged, redacted.
 */
class TelegramLogRedactionIT extends WithTelegramFakes {
  static final long CHAT = 7001;
  @TempDir Path dir;
  @Test
  void theBotTokenIsInNoLogWhenAkkaHttpLogsRequestsAndPoolFailures() throws Exception {
    Path config = TelegramITSupport.config(dir, llm.baseUrl(), fake.baseUrl());
    int port = Integer.parseInt(fake.baseUrl().substring(fake.baseUrl().lastIndexOf(':') + 1));
    Map<String, String> env = Map.of("PARTYCLAW_LOG_LEVEL", "DEBUG", "PARTYCLAW_JAVA_OPTS",
        "-Dakka.loglevel=DEBUG -Dpartyclaw.log.level=DEBUG -Dpartyclaw.telegram.backoff-cap=1s");
    try (DaemonProcess daemon = TelegramITSupport.start(dir, "daemon", config, env)) {
      fake.injectMessage(CHAT, "private", CHAT, "before");
      awaitReply(fake, CHAT, "ok: before");

      // The Bot API goes away: held polls are cut, new connections are refused.
      fake.close();
      awaitLine(daemon, "getUpdates failed (2 in a row)");
      fake = FakeTelegramServer.start(TelegramITSupport.TOKEN, port);
      // The new server numbers updates from the start again: its first id is one the daemon already confirmed.
      long reused = fake.injectMessage(CHAT, "private", CHAT, "already confirmed id");
      fake.injectMessage(CHAT, "private", CHAT, "after");
      try {
        awaitReply(fake, CHAT, "ok: after");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + " (update " + reused + ")\nstderr:\n" + daemon.stderr().lines()
            .filter(l -> !l.contains(" DEBUG ")).reduce("", (a, b) -> a + b + "\n"), e);
      }
      awaitLine(daemon, "Bot API reachable again");
      String fileLog = LogLeakCheck.read(dir.resolve("wd/logs/server.log"));
      assertTrue(fileLog.contains("/bot[REDACTED]/getUpdates"), "request URIs were logged, redacted");
      assertTrue(fileLog.contains("/bot[REDACTED]/sendMessage"), "request URIs were logged, redacted");
      assertTrue(fileLog.contains("Ongoing request [POST /bot[REDACTED]/getUpdates"), "the pool's failure, redacted");
      TelegramITSupport.assertTokenNotLeaked(daemon, dir);
    }
  }

  private static void awaitLine(DaemonProcess daemon, String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!daemon.stderr().contains(text)) {
      if (System.nanoTime() > deadline) throw new AssertionError("no '" + text + "' in stderr:\n" + daemon.stderr());
      Thread.sleep(50); // polling a file for a condition, not a precondition sleep
    }
  }
}
