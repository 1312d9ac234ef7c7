package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.Step;
import partyclaw.testkit.ToolCallSpec;

/** The daemon as a user runs it: launcher, CLI channel over piped stdin, a fake OpenAI-compatible server. */
class CliEndToEndIT {
  @TempDir Path dir;
  FakeLlmServer llm;

  @BeforeEach
  void startLlm() {
    llm = FakeLlmServer.start();
  }

  @AfterEach
  void stopLlm() {
    llm.close();
  }

  @Test
  void pipedLinePrintsTheModelsReplyAndExitsZero() throws Exception {
    llm.enqueue(Step.text("Hello from the fake model."));
    Path config = TestConfigs.cli(dir, llm.baseUrl());
    try (DaemonProcess p = DaemonProcess.start(dir, "run", "hello\n", Map.of(),
        "run", "--config", config.toString(), "--workdir", dir.resolve("wd").toString())) {
      assertEquals(0, p.waitForExit(Duration.ofSeconds(90)), p.stderr());
      assertTrue(p.stdout().contains("Hello from the fake model."), p.stdout());
      assertFalse(p.stdout().contains("INFO"), "logs must not reach stdout: " + p.stdout());
    }
    JsonNode body = llm.requests().get(0).body();
    assertEquals("fake-model", body.get("model").asText());
    assertEquals("hello", llm.requests().get(0).lastUserText());
  }

  @Test
  void imageAndFileLinesAttachLocalFilesAndAMissingOneIsReported() throws Exception {
    Path picture = dir.resolve("pic.png");
    java.nio.file.Files.write(picture, new byte[] {1, 2, 3});
    Path missing = dir.resolve("nowhere.pdf");
    llm.setDefault(r -> Step.text("seen"));
    Path config = TestConfigs.cli(dir, llm.baseUrl());
    try (DaemonProcess p = DaemonProcess.start(dir, "run", "/file " + missing + "\n/image " + picture + "\n", Map.of(),
        "run", "--config", config.toString(), "--workdir", dir.resolve("wd").toString())) {
      assertEquals(0, p.waitForExit(Duration.ofSeconds(90)), p.stderr());
      assertTrue(p.stdout().contains("[error] no such file: " + missing), p.stdout());
      assertTrue(p.stdout().contains("seen"), p.stdout());
    }
    assertEquals(1, llm.requests().size());
    String text = llm.requests().get(0).lastUserText();
    // the CLI's model has no image_in: the picture is a pointer to the copy the runtime saved
    assertTrue(text.matches("\\[Attachment: kind=image, path=/\\S+/\\.context_attachments/by-hash/image-[0-9a-f]{16}"
        + "\\.png, original_name=pic\\.png, media_type=image/png — this model cannot view it directly; use tools to"
        + " inspect the file]"), text);
  }

  @Test
  void aCodexSubscriptionModelAnswersOverTheWebSocketWithRefreshedTokens() throws Exception {
    Path codexHome = java.nio.file.Files.createDirectories(dir.resolve("codex"));
    // an access token that is not a JWT is used as it is; the handshake refuses it once, so it gets refreshed
    java.nio.file.Files.writeString(codexHome.resolve("auth.json"), "{\"tokens\":{\"access_token\":\"old-access\","
        + "\"refresh_token\":\"old-refresh\",\"account_id\":\"acct-7\"}}");
    llm.refuseHandshakes(1, 401);
    llm.enqueue(Step.text("Hello over the socket."));
    Path config = dir.resolve("codex-config.json");
    java.nio.file.Files.writeString(config, """
        {
          "version": "0.21",
          "models": { "main": { "type": "codex-subscription", "api_endpoint": "%s", "model": "gpt-5-codex",
                                "codex_home": "%s", "capabilities": ["chat"], "timeout_seconds": 30 } },
          "main_agent": { "language": "en" },
          "channels": [ { "kind": "command_line", "id": "cli" } ]
        }
        """.formatted(llm.baseUrl(), codexHome));
    try (DaemonProcess p = DaemonProcess.start(dir, "run", "hello codex\n",
        Map.of("PARTYCLAW_CODEX_OAUTH_URL", llm.oauthUrl()),
        "run", "--config", config.toString(), "--workdir", dir.resolve("wd").toString())) {
      assertEquals(0, p.waitForExit(Duration.ofSeconds(90)), p.stderr());
      assertTrue(p.stdout().contains("Hello over the socket."), p.stdout());
      LogLeakCheck.assertNoSecret(p, dir.resolve("wd"), "fresh-access-1");
    }
    assertEquals(1, llm.requests().size());
    assertTrue(llm.requests().get(0).socket());
    assertEquals("Bearer fresh-access-1", llm.requests().get(0).header("authorization"));
    assertEquals("acct-7", llm.requests().get(0).header("chatgpt-account-id"));
    assertTrue(java.nio.file.Files.readString(codexHome.resolve("auth.json")).contains("\"fresh-refresh-1\""));
  }

  @Test
  void userTellIsItsOwnMessageBeforeTheFinalAnswer() throws Exception {
    llm.enqueue(
        Step.toolCalls(new ToolCallSpec("t1", "user_tell", "{\"text\":\"Working on it, one moment.\"}")),
        Step.text("Here is the final answer."));
    Path config = TestConfigs.cli(dir, llm.baseUrl());
    // The reference's flag-only form starts the daemon too.
    try (DaemonProcess p = DaemonProcess.start(dir, "run", "please work\n", Map.of(),
        "--config", config.toString(), "--workdir", dir.resolve("wd").toString())) {
      assertEquals(0, p.waitForExit(Duration.ofSeconds(90)), p.stderr());
      String out = p.stdout();
      int tell = out.indexOf("Working on it, one moment.");
      int answer = out.indexOf("Here is the final answer.");
      assertTrue(tell >= 0 && answer > tell, out);
    }
    assertTrue(llm.requests().get(1).toolMessages().get(0).get("content").asText().contains("\"sent\" : true"));
  }

  @Test
  void theModelKeyReachesTheModelButNeverAToolProcess() throws Exception {
    String secret = "test-secret-value-for-partyclaw";
    llm.enqueue(
        Step.toolCalls(new ToolCallSpec("e1", "exec_start",
            "{\"command\":\"printenv OPENAI_API_KEY; echo rc=$?; printenv HOME >/dev/null && echo home=set\"}")),
        Step.text("checked"));
    Path config = TestConfigs.cli(dir, llm.baseUrl());
    try (DaemonProcess p = DaemonProcess.start(dir, "run", "check the environment\n", Map.of("OPENAI_API_KEY", secret),
        "run", "--config", config.toString(), "--workdir", dir.resolve("wd").toString())) {
      assertEquals(0, p.waitForExit(Duration.ofSeconds(90)), p.stderr());
      LogLeakCheck.assertNoSecret(p, dir.resolve("wd"), secret); // stdout, stderr, every log file, all readable
    }
    assertEquals("Bearer " + secret, llm.requests().get(0).header("authorization"));
    String toolOutput = llm.requests().get(1).toolMessages().get(0).get("content").asText();
    assertTrue(toolOutput.contains("rc=1") && toolOutput.contains("home=set"), toolOutput);
    assertFalse(toolOutput.contains(secret), toolOutput);
  }

  @Test
  void malformedModelOutputNeverBreaksTheConversation() throws Exception {
    llm.enqueue(
        Step.toolCalls(
            new ToolCallSpec("c1", "no_such_tool", "{}"),
            new ToolCallSpec("c2", "file_write", "{not json")),
        Step.truncated("half a rep"),
        Step.httpError(500, "{\"error\":{\"message\":\"upstream exploded\"}}"),
        Step.text("Recovered after all that."));
    Path config = TestConfigs.cli(dir, llm.baseUrl());
    try (DaemonProcess p = DaemonProcess.start(dir, "run", "do something\n", Map.of(),
        "run", "--config", config.toString(), "--workdir", dir.resolve("wd").toString())) {
      assertEquals(0, p.waitForExit(Duration.ofSeconds(90)), p.stderr());
      assertTrue(p.stdout().contains("Recovered after all that."), p.stdout());
    }
    assertEquals(4, llm.requests().size());
    List<JsonNode> toolMessages = llm.requests().get(3).toolMessages();
    assertEquals(2, toolMessages.size());
    assertTrue(toolMessages.get(0).get("content").asText().contains("unknown tool: no_such_tool"));
    assertTrue(toolMessages.get(1).get("content").asText().contains("invalid tool arguments"));
  }

  @Test
  void secondDaemonOnTheSameWorkdirExitsWithAClearMessage() throws Exception {
    llm.setDelay(Duration.ofSeconds(20));
    Path config = TestConfigs.cli(dir, llm.baseUrl());
    String workdir = dir.resolve("wd").toString();
    try (DaemonProcess first = DaemonProcess.start(dir, "first", "slow question\n", Map.of(),
        "run", "--config", config.toString(), "--workdir", workdir)) {
      llm.awaitRequests(1, Duration.ofSeconds(60));
      try (DaemonProcess second = DaemonProcess.start(dir, "second", null, Map.of(),
          "run", "--config", config.toString(), "--workdir", workdir)) {
        assertEquals(2, second.waitForExit(Duration.ofSeconds(60)));
        assertTrue(second.stderr().contains("already running"), second.stderr());
      }
    }
  }
}
