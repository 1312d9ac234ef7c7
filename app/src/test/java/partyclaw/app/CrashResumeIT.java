package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.Step;
import partyclaw.testkit.ToolCallSpec;

/** Invariants 1–3 through a real process killed with SIGKILL in the middle of a tool wait. */
class CrashResumeIT {
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
  void killedDuringExecWaitResumesByItselfAndAnswersOnce() throws Exception {
    llm.enqueue(
        Step.toolCalls(new ToolCallSpec("call_start", "exec_start",
            "{\"command\":\"sleep 30\",\"return_immediate\":true}")),
        Step.dynamic(req -> Step.toolCalls(new ToolCallSpec("call_wait", "exec_wait",
            "{\"exec_id\":\"" + execIdOf(req.toolMessages()) + "\",\"wait_timeout_seconds\":60}"))),
        Step.text("All done, exactly once."));
    Path config = TestConfigs.cli(dir, llm.baseUrl());
    String workdir = dir.resolve("wd").toString();

    String firstOut;
    try (DaemonProcess first = DaemonProcess.start(dir, "first", "hello\n", Map.of(),
        "run", "--config", config.toString(), "--workdir", workdir)) {
      llm.awaitRequests(2, Duration.ofSeconds(60));
      Thread.sleep(1500); // exec_wait is now blocking inside the daemon
      first.kill9();
      firstOut = first.stdout();
    }
    assertEquals(2, llm.requests().size());

    String secondOut;
    try (DaemonProcess second = DaemonProcess.start(dir, "second", null, Map.of(),
        "run", "--config", config.toString(), "--workdir", workdir)) {
      assertEquals(0, second.waitForExit(Duration.ofSeconds(90)), second.stderr());
      secondOut = second.stdout();
    }

    assertEquals(3, llm.requests().size(), "the turn resumed without a new user message");
    List<JsonNode> messages = llm.requests().get(2).messages();
    assertEquals("hello", messages.stream().filter(m -> m.path("role").asText().equals("user"))
        .findFirst().orElseThrow().get("content").asText());
    Set<String> calls = new HashSet<>();
    Set<String> results = new HashSet<>();
    for (JsonNode m : messages) {
      m.path("tool_calls").forEach(c -> calls.add(c.get("id").asText()));
      if (m.path("role").asText().equals("tool")) results.add(m.get("tool_call_id").asText());
    }
    assertEquals(Set.of("call_start", "call_wait"), calls);
    assertEquals(calls, results, "every tool call is paired with exactly one result");
    String waitResult = llm.requests().get(2).toolMessages().get(1).get("content").asText();
    assertTrue(waitResult.contains("lost"), waitResult);

    int printed = count(firstOut + secondOut, "All done, exactly once.");
    assertEquals(1, printed, "first:\n" + firstOut + "\nsecond:\n" + secondOut);
  }

  private static String execIdOf(List<JsonNode> toolMessages) {
    try {
      return Json.parse(toolMessages.get(0).get("content").asText()).get("exec_id").asText();
    } catch (Exception e) {
      throw new AssertionError("exec_start result has no exec_id: " + toolMessages, e);
    }
  }

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
    return n;
  }
}
