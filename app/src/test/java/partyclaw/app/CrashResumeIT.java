package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.app.ToolTurnChecks.assertEveryCallHasExactlyOneResult;
import static partyclaw.app.ToolTurnChecks.awaitLine;
import static partyclaw.app.ToolTurnChecks.callIds;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.RecordedRequest;
import partyclaw.testkit.Step;
import partyclaw.testkit.ToolCallSpec;

/** Invariants 1–3 through a real process killed with SIGKILL in the middle of a tool wait. */
class CrashResumeIT {
  private static final String REPLY = "All done, exactly once.";

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
    // The command writes what exec_wait sends to its stdin: once the file holds it, exec_wait is under way.
    llm.enqueue(
        Step.toolCalls(new ToolCallSpec("call_start", "exec_start",
            "{\"command\":\"read x; echo \\\"$x\\\" > waiting.txt; sleep 30\",\"return_immediate\":true}")),
        Step.dynamic(req -> Step.toolCalls(new ToolCallSpec("call_wait", "exec_wait",
            "{\"exec_id\":\"" + execIdOf(req.toolMessages()) + "\",\"input\":\"go\\n\",\"wait_timeout_seconds\":60}"))),
        Step.text(REPLY));
    Path config = TestConfigs.cli(dir, llm.baseUrl());
    Path workdir = dir.resolve("wd");

    String firstOut;
    try (DaemonProcess first = DaemonProcess.start(dir, "first", "hello\n", Map.of(),
        "run", "--config", config.toString(), "--workdir", workdir.toString())) {
      llm.awaitRequests(2, Duration.ofSeconds(60));
      awaitLine(workdir, "waiting.txt", "go");
      first.kill9();
      firstOut = first.stdout();
    }
    assertEquals(2, llm.requests().size());

    String secondOut;
    try (DaemonProcess second = DaemonProcess.start(dir, "second", null, Map.of(),
        "run", "--config", config.toString(), "--workdir", workdir.toString())) {
      assertEquals(0, second.waitForExit(Duration.ofSeconds(90)), second.stderr());
      secondOut = second.stdout();
    }

    assertEquals(3, llm.requests().size(), "the turn resumed without a new user message");
    List<JsonNode> messages = llm.requests().get(2).messages();
    assertEquals("hello", messages.stream().filter(m -> m.path("role").asText().equals("user"))
        .findFirst().orElseThrow().get("content").asText());
    for (RecordedRequest request : llm.requests()) assertEveryCallHasExactlyOneResult(request.messages());
    assertEquals(List.of("call_start", "call_wait"), callIds(messages));
    JsonNode waitResult = Json.parse(llm.requests().get(2).toolMessages().get(1).get("content").asText());
    assertTrue(waitResult.path("lost").asBoolean(), waitResult.toString());

    long printed = Stream.concat(firstOut.lines(), secondOut.lines()).filter(REPLY::equals).count();
    assertEquals(1, printed, "first:\n" + firstOut + "\nsecond:\n" + secondOut);
  }

  private static String execIdOf(List<JsonNode> toolMessages) {
    try {
      return Json.parse(toolMessages.get(0).get("content").asText()).get("exec_id").asText();
    } catch (Exception e) {
      throw new AssertionError("exec_start result has no exec_id: " + toolMessages, e);
    }
  }
}
