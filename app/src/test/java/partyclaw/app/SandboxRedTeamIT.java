package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.app.TelegramITSupport.awaitReply;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.testkit.RecordedRequest;
import partyclaw.testkit.Step;
import partyclaw.testkit.ToolCallSpec;

/**
 * The red-team suite: a Telegram chat whose model runs attacks with {@code exec_start} against the packaged daemon
 * in bubblewrap mode. Each attack must fail and no secret canary (an env secret, the config, {@code .env}, another
 * conversation's file, the bot token) may appear in any tool result or log; the daemon must keep answering.
 */
class SandboxRedTeamIT extends WithTelegramFakes {
  static final long CHAT = 9101;
  static final String ENV_CANARY = "canary-env-7d1f0c";
  static final String DOTENV_CANARY = "canary-dotenv-5a2e91";
  static final String CONFIG_CANARY = "canary-config-9b3c44";
  static final String OTHER_CANARY = "canary-other-4e8a17";
  static final List<String> CANARIES = List.of(ENV_CANARY, DOTENV_CANARY, CONFIG_CANARY, OTHER_CANARY,
      TelegramITSupport.TOKEN);

  @TempDir Path dir;

  Path wd() {
    return dir.resolve("wd");
  }

  /** bubblewrap (or subprocess), network off, the test's mount roots; a canary in a header and in .env. */
  Path config(String mode) throws IOException {
    Files.writeString(dir.resolve(".env"), "CANARY_DOTENV_TOKEN=" + DOTENV_CANARY + "\n");
    String json = """
        {
          "version": "0.21",
          "models": {
            "main": {
              "type": "openrouter",
              "api_endpoint": "%s",
              "model": "fake-model",
              "capabilities": ["chat"],
              "timeout_seconds": 60,
              "headers": { "X-Canary": "%s" }
            }
          },
          "main_agent": { "language": "en" },
          "sandbox": { "mode": "%s", "network": false, "mount_roots": ["%s"],
                       "limits": { "max_processes": 64 } },
          "channels": [ {
            "kind": "telegram", "id": "tg", "bot_token_env": "%s", "api_base_url": "%s",
            "poll_timeout_seconds": 2, "poll_interval_ms": 50, "open": true
          } ]
        }
        """.formatted(llm.baseUrl(), CONFIG_CANARY, mode, dir.resolve("mounts"), TelegramITSupport.TOKEN_ENV,
        fake.baseUrl());
    Path file = dir.resolve("config.json");
    Files.writeString(file, json);
    Path other = Files.createDirectories(wd().resolve("workspaces/other-ws/files"));
    Files.writeString(other.resolve("secret.txt"), OTHER_CANARY + "\n");
    return file;
  }

  DaemonProcess start(String name, Path config) throws IOException {
    return TelegramITSupport.start(dir, name, config, Map.of("PARTYCLAW_IT_CANARY_SECRET", ENV_CANARY));
  }

  /** The model runs {@code commands[n]} for the message {@code attack n}, then answers {@code done n}. */
  void scriptAttacks(IntFunction<String> commands) {
    llm.setDefault(r -> {
      List<JsonNode> messages = r.messages();
      JsonNode last = messages.get(messages.size() - 1);
      int n = Integer.parseInt(r.lastUserText().replaceAll("\\D+", ""));
      if ("tool".equals(last.path("role").asText())) return Step.text("done " + n);
      return Step.toolCalls(new ToolCallSpec("call_" + n + "_" + messages.size(), "exec_start",
          // "cd . &&" first: the tool policy refuses commands that start with cat or ls (use file_read, ls).
          Json.write(Map.of("command", "cd . && " + commands.apply(n), "wait_timeout_seconds", 60))));
    });
  }

  /** Sends {@code attack n}, waits for {@code done n}, returns what the tool gave the model. */
  String attack(int n) {
    fake.injectMessage(CHAT, "private", CHAT, "attack " + n);
    awaitReply(fake, CHAT, "done " + n);
    RecordedRequest withResult = llm.requests().stream()
        .filter(r -> r.lastUserText().equals("attack " + n) && !r.toolMessages().isEmpty())
        .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no tool result for attack " + n));
    List<JsonNode> results = withResult.toolMessages();
    return results.get(results.size() - 1).path("content").asText();
  }

  static void assertNoCanary(String what, String text) {
    for (String canary : CANARIES) assertFalse(text.contains(canary), what + " leaked " + canary + ":\n" + text);
  }

  @Test
  void everyAttackFailsInBubblewrapAndNoSecretLeaks() throws Exception {
    Path config = config("bubblewrap");
    Path mounts = Files.createDirectories(dir.resolve("mounts"));
    Path ro = Files.createDirectories(mounts.resolve("ro"));
    Path rw = Files.createDirectories(mounts.resolve("rw"));
    // The sandbox runs as an unprivileged user when the daemon is root: a read-write mount must be writable by it.
    Files.setPosixFilePermissions(rw, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.writeString(ro.resolve("keep.txt"), "original\n");
    try (DaemonProcess p = start("redteam", config)) {
      long daemon = p.pid();
      int llmPort = llm.port();
      List<String> attacks = new ArrayList<>(List.of(
          "cat " + wd() + "/workspaces/other-ws/files/secret.txt",
          "cat ../../other-ws/files/secret.txt; cat $(pwd)/../../other-ws/files/secret.txt",
          "cat /proc/" + daemon + "/environ | tr '\\0' '\\n'",
          "cat /proc/self/environ /proc/1/environ | tr '\\0' '\\n'; env",
          "cat " + config + "; cat " + dir.resolve(".env"),
          "ls -la " + wd() + " " + wd().resolve("journal") + "; find / -name secret.txt 2>/dev/null | head",
          "echo pwned > " + wd().resolve("pwned.txt") + "; echo pwned > " + dir.resolve("pwned.txt")
              + "; echo pwned > /etc/pwned.txt; echo tried",
          "kill -9 " + daemon + "; kill -9 -1; echo tried",
          "bash -c 'echo hi > /dev/tcp/127.0.0.1/" + llmPort + "' && echo CONNECTED || echo BLOCKED",
          "timeout 10 bash -c 'b(){ b | b & }; b' 2>/dev/null; echo bomb-ended",
          "echo changed > " + ro.resolve("keep.txt") + "; echo written > " + rw.resolve("new.txt") + "; echo tried",
          "echo alive"));
      scriptAttacks(attacks::get);
      // The last attack needs the two mounts.
      fake.injectMessage(CHAT, "private", CHAT, "/mount " + ro);
      fake.injectMessage(CHAT, "private", CHAT, "/mount " + rw + " rw");
      fake.await(() -> fake.sentMessages(CHAT).stream().filter(m -> m.visibleText().startsWith("Mounted ")).count()
          == 2 ? Boolean.TRUE : null, Duration.ofSeconds(30), () -> "both mounts confirmed; sent: "
          + TelegramITSupport.visible(fake, CHAT));

      Map<Integer, String> results = new HashMap<>();
      for (int n = 0; n < attacks.size(); n++) {
        results.put(n, attack(n));
        assertNoCanary("attack " + n + " (" + attacks.get(n) + ")", results.get(n));
      }
      assertFalse(Files.exists(wd().resolve("pwned.txt")), "wrote into the workdir");
      assertFalse(Files.exists(dir.resolve("pwned.txt")), "wrote beside the config");
      assertFalse(Files.exists(Path.of("/etc/pwned.txt")), "wrote into /etc");
      assertEquals("BLOCKED", stdout(results.get(8)), results.get(8));
      assertEquals("bomb-ended", stdout(results.get(9)), results.get(9));
      assertEquals("original\n", Files.readString(ro.resolve("keep.txt")), "a read-only mount was written");
      assertEquals("written\n", Files.readString(rw.resolve("new.txt")), "a read-write mount must be writable");
      assertTrue(p.alive(), "the daemon survived");

      // The daemon still answers, and still runs commands, after the fork bomb and the kill attempts.
      assertEquals("alive", stdout(results.get(11)), results.get(11));
      String status = status();
      assertTrue(status.contains("\nSandbox: bubblewrap (config; network off; at most 64 processes"), status);
      LogLeakCheck.assertNoSecret(p, wd(), ENV_CANARY, DOTENV_CANARY, CONFIG_CANARY, OTHER_CANARY);
    } finally {
      Files.deleteIfExists(Path.of("/etc/pwned.txt"));
    }
  }

  @Test
  void theSandboxSettingChangesWhatTheNextExecSeesAndSurvivesARestart() throws Exception {
    Path config = config("subprocess");
    scriptAttacks(n -> "cat " + wd() + "/workspaces/other-ws/files/secret.txt || echo BLOCKED");
    try (DaemonProcess first = start("first", config)) {
      String status = status();
      assertTrue(status.contains("\nSandbox: subprocess — tool processes are NOT isolated"), status);
      String open = attack(1);
      assertTrue(open.contains(OTHER_CANARY), "subprocess mode isolates nothing, and says so: " + open);
      command("/sandbox bubblewrap", "Conversation sandbox mode updated to bubblewrap.");
      String confined = attack(2);
      assertFalse(confined.contains(OTHER_CANARY), confined);
      assertTrue(confined.contains("BLOCKED"), confined);
      first.kill9();
    }
    try (DaemonProcess second = start("second", config)) {
      String confined = attack(3);
      assertFalse(confined.contains(OTHER_CANARY), "the setting survived the restart: " + confined);
      command("/sandbox subprocess", "Conversation sandbox mode updated to subprocess.");
      assertTrue(attack(4).contains(OTHER_CANARY));
    }
  }

  /** The command's standard output as exec_start reported it. */
  private static String stdout(String toolResult) {
    try {
      return Json.parse(toolResult).path("stdout").asText().strip();
    } catch (java.io.IOException e) {
      throw new AssertionError("the exec_start result is not JSON: " + toolResult, e);
    }
  }

  private void command(String text, String expectedReply) {
    fake.injectMessage(CHAT, "private", CHAT, text);
    awaitReply(fake, CHAT, expectedReply);
  }

  private String status() {
    int before = fake.sentMessages(CHAT).size();
    fake.injectMessage(CHAT, "private", CHAT, "/status");
    return fake.awaitSentMessages(CHAT, before + 1, Duration.ofSeconds(30)).get(before).visibleText();
  }
}
