package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code partyclaw chat} and {@code partyclaw status} against the packaged daemon, through the console socket in
 * the workdir: a Telegram-only daemon answers a terminal, a terminal watches a Telegram conversation, status reports
 * the daemon, and both say plainly when no daemon runs (never started, killed -9, stopped).
 */
class ConsoleIT extends WithTelegramFakes {
  private static final Duration EXIT_WAIT = Duration.ofSeconds(60);
  @TempDir Path dir;

  @Test
  void chatAndStatusThroughTheConsoleSocket() throws Exception {
    Path wd = dir.resolve("wd");
    Path socket = wd.resolve("partyclaw.sock");
    Path config = TelegramITSupport.config(dir, llm.baseUrl(), fake.baseUrl());

    // Nothing runs yet.
    Files.createDirectories(wd);
    DaemonProcess down = run("status-before", null, "status", "--workdir", wd.toString());
    assertEquals(3, down.waitForExit(EXIT_WAIT), down.stderr());
    assertEquals(List.of("partyclaw: down: no partyclaw daemon is running on workdir " + wd + " (no console socket "
        + socket + "); start one with: partyclaw run --config <file> --workdir " + wd), lines(down.stdout()));
    DaemonProcess noChat = run("chat-before", "hi\n", "chat", "--workdir", wd.toString());
    assertEquals(2, noChat.waitForExit(EXIT_WAIT));
    assertEquals(List.of("partyclaw chat: no partyclaw daemon is running on workdir " + wd + " (no console socket "
        + socket + "); start one with: partyclaw run --config <file> --workdir " + wd), lines(noChat.stderr()));

    try (DaemonProcess daemon = TelegramITSupport.start(dir, "daemon", config, Map.of())) {
      await(() -> Files.exists(socket), daemon);
      assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
          Files.getPosixFilePermissions(socket));

      // A Telegram-only daemon answers a terminal: piped stdin, exit 0 once the answer is printed.
      DaemonProcess chat = run("chat-1", "hi\n", "chat", "--workdir", wd.toString());
      assertEquals(0, chat.waitForExit(EXIT_WAIT), chat.stderr());
      assertEquals("ok: hi\n\n", chat.stdout());
      DaemonProcess again = run("chat-2", "again\n", "chat", "--workdir", wd.toString());
      assertEquals(0, again.waitForExit(EXIT_WAIT), again.stderr());
      assertEquals("ok: again\n\n", again.stdout());
      // The same conversation console:<user>: the second message's request carries the first.
      assertEquals(List.of("hi", "again"), TelegramITSupport.userTexts(TelegramITSupport.requestFor(llm, "again")));

      // A terminal on a Telegram conversation: its message goes into that chat's conversation, the reply reaches
      // Telegram as usual and is shown on the terminal too.
      fake.injectMessage(555, "private", 9001, "from telegram");
      TelegramITSupport.awaitReply(fake, 555, "ok: from telegram");
      DaemonProcess watch = run("chat-tg", "from terminal\n", "chat", "--workdir", wd.toString(),
          "--conversation", "tg:555");
      assertEquals(0, watch.waitForExit(EXIT_WAIT), watch.stderr());
      assertEquals("ok: from terminal\n\n", watch.stdout());
      TelegramITSupport.awaitReply(fake, 555, "ok: from terminal");
      assertEquals(1, TelegramITSupport.count(fake, 555, "ok: from terminal"));

      DaemonProcess bad = run("chat-bad", "x\n", "chat", "--workdir", wd.toString(), "--conversation", "nocolon");
      assertEquals(2, bad.waitForExit(EXIT_WAIT));
      assertEquals(List.of("partyclaw chat: conversation id 'nocolon' must look like <channel id>:<chat id>, e.g. "
          + "telegram-main:12345"), lines(bad.stderr()));

      DaemonProcess status = run("status-up", null, "status", "--workdir", wd.toString());
      assertEquals(0, status.waitForExit(EXIT_WAIT), status.stderr());
      List<String> text = lines(status.stdout());
      assertTrue(text.get(0).matches("partyclaw: up, pid " + daemon.pid() + ", uptime \\d+(m \\d+)?s \\(since .+\\)"),
          text.get(0));
      assertTrue(text.contains("ready: yes"), status.stdout());
      assertTrue(text.contains("  tg (telegram): serving"), status.stdout());
      assertTrue(text.contains("  console socket " + socket + ": 0 terminal(s) attached"), status.stdout());
      assertTrue(text.contains("  queued messages: 0, undelivered replies: 0, undeliverable replies: 0"),
          status.stdout());
      assertTrue(text.contains("tasks: 0 exec process(es) running, 0 download(s) running, 0 cron task(s) enabled in "
          + "running conversations"), status.stdout());
      // The last warnings reach status: here the one an open bot deserves.
      int errors = text.indexOf("last errors (oldest first):");
      assertTrue(errors > 0, status.stdout());
      assertEquals(1, text.size() - errors - 1, status.stdout());
      assertTrue(text.get(errors + 1).matches("  \\S+ WARN partyclaw\\.channels\\.telegram\\.TelegramChannel - telegram tg: "
          + "\"open\": true, access control is off: anyone who finds the bot can talk to the agent and run its tools "
          + "on this host"), text.get(errors + 1));

      DaemonProcess json = run("status-json", null, "status", "--workdir", wd.toString(), "--json");
      assertEquals(0, json.waitForExit(EXIT_WAIT), json.stderr());
      JsonNode s = new ObjectMapper().readTree(json.stdout());
      assertEquals("up", s.path("state").asText());
      assertEquals(daemon.pid(), s.path("pid").asLong());
      assertEquals(1, s.path("channels").size());
      assertEquals("serving", s.path("channels").get(0).path("health").asText());
      // console:<user> and tg:555
      assertEquals(2, s.path("conversations").path("running").asInt(), json.stdout());
      assertEquals(0, s.path("conversations").path("busy").asInt(), json.stdout());
      assertEquals(0, s.path("conversations").path("undelivered_replies").asInt(), json.stdout());
      assertTrue(s.path("journal").path("size_bytes").asLong() > 0, json.stdout());
      assertTrue(s.path("journal").path("recovered").asBoolean(), json.stdout());

      // Killed -9: the socket stays behind, and the clients say what it is.
      daemon.kill9();
      assertTrue(Files.exists(socket));
      DaemonProcess stale = run("status-stale", null, "status", "--workdir", wd.toString());
      assertEquals(3, stale.waitForExit(EXIT_WAIT));
      assertEquals(List.of("partyclaw: down: no partyclaw daemon is running on workdir " + wd + " (" + socket
          + " is left from a daemon that stopped without removing it)"), lines(stale.stdout()));
    }

    // The next daemon replaces the stale socket; a normal stop (SIGTERM) removes it.
    try (DaemonProcess daemon = TelegramITSupport.start(dir, "daemon-2", config, Map.of())) {
      await(() -> statusExit(wd) == 0, daemon);
      DaemonProcess chat = run("chat-3", "after restart\n", "chat", "--workdir", wd.toString());
      assertEquals(0, chat.waitForExit(EXIT_WAIT), chat.stderr());
      assertEquals("ok: after restart\n\n", chat.stdout());
      daemon.terminate();
      assertFalse(daemon.alive());
      assertFalse(Files.exists(socket), "the socket must be removed at shutdown");
      assertEquals(3, statusExit(wd));
    }
  }

  private int statusExit(Path wd) throws Exception {
    return run("status-probe", null, "status", "--workdir", wd.toString()).waitForExit(EXIT_WAIT);
  }

  private int runs;

  private DaemonProcess run(String name, String stdin, String... args) throws Exception {
    return DaemonProcess.start(dir.resolve("clients"), name + "-" + (++runs), stdin, Map.of(), args);
  }

  private static List<String> lines(String text) {
    return text.lines().toList();
  }

  private static void await(java.util.concurrent.Callable<Boolean> condition, DaemonProcess daemon)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.call()) {
      if (!daemon.alive()) throw new AssertionError("the daemon exited:\n" + daemon.stderr());
      if (System.nanoTime() > deadline) throw new AssertionError("timed out; daemon stderr:\n" + daemon.stderr());
      Thread.sleep(100);
    }
  }
}
