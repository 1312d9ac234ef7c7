package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.RecordedRequest;
import partyclaw.testkit.Step;
import partyclaw.testkit.ToolCallSpec;

/** A colleague who can be interrupted: follow-ups during a 30 s exec_wait, and /stop, through the real daemon. */
class InterruptIT {
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

  private void scriptLongWait() {
    llm.enqueue(
        Step.toolCalls(new ToolCallSpec("call_start", "exec_start",
            "{\"command\":\"sleep 30\",\"return_immediate\":true}")),
        Step.dynamic(req -> Step.toolCalls(new ToolCallSpec("call_wait", "exec_wait",
            "{\"exec_id\":\"" + snapshot(req, 0).get("exec_id").asText() + "\",\"wait_timeout_seconds\":30}"))));
  }

  @Test
  void followUpReachesTheModelWithinASecondAndTheProcessKeepsRunning() throws Exception {
    scriptLongWait();
    llm.enqueue(
        Step.dynamic(req -> Step.toolCalls(new ToolCallSpec("call_observe", "exec_observe",
            "{\"exec_id\":\"" + snapshot(req, 0).get("exec_id").asText() + "\"}"))),
        Step.text("Noted, the job keeps running."));
    Path config = TestConfigs.cli(dir, llm.baseUrl());
    try (DaemonProcess p = DaemonProcess.startInteractive(dir, "run", Map.of(),
        "run", "--config", config.toString(), "--workdir", dir.resolve("wd").toString())) {
      p.send("start the long job");
      llm.awaitRequests(2, Duration.ofSeconds(60));
      awaitOneRunningTool(p); // exec_wait is blocking now
      long sent = System.nanoTime();
      p.send("new information: use the staging server");
      llm.awaitRequests(3, Duration.ofSeconds(10));
      long tookMs = (System.nanoTime() - sent) / 1_000_000;
      assertTrue(tookMs <= 1000, "the follow-up reached the model after " + tookMs + " ms");

      RecordedRequest third = llm.requests().get(2);
      List<JsonNode> messages = third.messages();
      JsonNode waitResult = messages.get(messages.size() - 2);
      assertEquals("call_wait", waitResult.get("tool_call_id").asText());
      assertTrue(waitResult.get("content").asText().contains("\"interrupted\""), waitResult.toString());
      assertEquals("[Interrupted Follow-up]\nnew information: use the staging server",
          messages.get(messages.size() - 1).get("content").asText());

      llm.awaitRequests(4, Duration.ofSeconds(10));
      JsonNode observed = snapshot(llm.requests().get(3), 2);
      assertTrue(observed.get("running").asBoolean(), "the process still runs: " + observed);
      p.closeStdin();
      assertEquals(0, p.waitForExit(Duration.ofSeconds(60)), p.stderr());
      assertTrue(p.stdout().contains("Noted, the job keeps running."), p.stdout());
    }
  }

  @Test
  void stopKillsTheTurnsProcessesWithinASecondAndEndsTheTurn() throws Exception {
    llm.enqueue(
        Step.toolCalls(
            new ToolCallSpec("call_start", "exec_start", "{\"command\":\"sleep 30\",\"return_immediate\":true}"),
            new ToolCallSpec("call_bg", "exec_start", "{\"command\":\"sleep 40\",\"return_immediate\":true}")),
        Step.dynamic(req -> Step.toolCalls(new ToolCallSpec("call_wait", "exec_wait",
            "{\"exec_id\":\"" + snapshot(req, 0).get("exec_id").asText() + "\",\"wait_timeout_seconds\":30}"))),
        Step.text("this must never be requested"));
    Path config = TestConfigs.cli(dir, llm.baseUrl());
    try (DaemonProcess p = DaemonProcess.startInteractive(dir, "run", Map.of(),
        "run", "--config", config.toString(), "--workdir", dir.resolve("wd").toString())) {
      p.send("start the long job");
      llm.awaitRequests(2, Duration.ofSeconds(60));
      long pid = snapshot(llm.requests().get(1), 0).get("pid").asLong();
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      assertTrue(process.isPresent() && process.get().isAlive(), "sleep runs as pid " + pid);
      List<ProcessHandle> tree = new java.util.ArrayList<>(process.get().descendants().toList());
      // The turn's other process, never waited on, goes with the turn too.
      ProcessHandle.of(snapshot(llm.requests().get(1), 1).get("pid").asLong()).ifPresent(bg -> {
        tree.add(bg);
        tree.addAll(bg.descendants().toList());
      });
      assertTrue(tree.size() >= 2, "the background sleep is running: " + tree);
      awaitOneRunningTool(p); // exec_wait is blocking now
      long sent = System.nanoTime();
      p.send("/stop");
      while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() - sent < 3_000_000_000L) {
        Thread.sleep(20);
      }
      long tookMs = (System.nanoTime() - sent) / 1_000_000;
      for (ProcessHandle other : tree) assertFalse(other.isAlive(), "process " + other.pid() + " still alive");
      assertTrue(tookMs <= 1000, "the turn's processes were gone after " + tookMs + " ms");
      Thread.sleep(1500); // room for a wrong model call to show up; the stop itself was awaited above
      assertEquals(2, llm.requests().size(), "no model call after /stop");
      p.closeStdin();
      assertEquals(0, p.waitForExit(Duration.ofSeconds(60)), p.stderr());
      assertTrue(p.stdout().contains("Stopped: exec_wait"), p.stdout());
    }
  }

  /** Asks /status (a command: it never touches the turn) until it shows exactly one running tool call. */
  private static void awaitOneRunningTool(DaemonProcess p) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int asked = 0;
    while (System.nanoTime() < deadline) {
      p.send("/status");
      asked++;
      long answered = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (statusLines(p).size() < asked && System.nanoTime() < answered) Thread.sleep(20);
      List<String> lines = statusLines(p);
      if (!lines.isEmpty() && lines.get(lines.size() - 1).startsWith("Running tools: 1,")) return;
    }
    throw new AssertionError("no tool call running; stdout: " + p.stdout());
  }

  private static List<String> statusLines(DaemonProcess p) {
    return p.stdout().lines().filter(l -> l.startsWith("Running tools: ")).toList();
  }

  /** The JSON snapshot in the {@code index}-th tool message of a request. */
  private static JsonNode snapshot(RecordedRequest req, int index) {
    try {
      JsonNode content = Json.parse(req.toolMessages().get(index).get("content").asText());
      return content.has("process") ? content.get("process") : content;
    } catch (Exception e) {
      throw new AssertionError("no JSON tool result " + index + " in " + req.toolMessages(), e);
    }
  }
}
