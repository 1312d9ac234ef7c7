package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.Step;
import partyclaw.testkit.ToolCallSpec;

/**
 * Issue 9 item 3 through real processes: what a daemon killed with SIGKILL left running (including a child in a
 * session of its own and one that left the process tree) is killed when the daemon starts again, so the restart
 * notice the model gets ("all ended") is true.
 */
class OrphanedProcessesIT {
  /** Outer shell, inner sh, sleep 300, sleep 301 (own session), sleep 302 (own session, re-parented). */
  private static final int PROCESSES = 5;

  @TempDir Path dir;
  FakeLlmServer llm;
  List<ProcTable.Proc> leftovers = List.of();

  @BeforeEach
  void startLlm() {
    llm = FakeLlmServer.start();
  }

  @AfterEach
  void cleanUp() {
    llm.close();
    // Never leave the machine with the test's sleepers, whatever failed.
    leftovers.stream().filter(ProcTable.Proc::alive)
        .forEach(p -> ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly));
  }

  @Test
  void processesOfAKilledDaemonAreKilledWhenItStartsAgain() throws Exception {
    llm.enqueue(
        Step.toolCalls(new ToolCallSpec("call_start", "exec_start",
            Json.write(Map.of("command", "sh -c 'sleep 300 & setsid sleep 301 & (setsid sleep 302 &); wait'",
                "return_immediate", true)))),
        Step.dynamic(req -> Step.toolCalls(new ToolCallSpec("call_wait", "exec_wait",
            "{\"exec_id\":\"" + field(req.toolMessages(), "exec_id") + "\",\"wait_timeout_seconds\":120}"))),
        Step.text("Resumed after the restart."));
    Path config = TestConfigs.cli(dir, llm.baseUrl());
    String workdir = dir.resolve("wd").toString();

    String run;
    try (DaemonProcess first = DaemonProcess.start(dir, "first", "hello\n", Map.of(),
        "run", "--config", config.toString(), "--workdir", workdir)) {
      llm.awaitRequests(2, Duration.ofSeconds(60));
      long shell = Long.parseLong(field(llm.requests().get(1).toolMessages(), "pid"));
      run = ProcTable.env(shell, "PARTYCLAW_RUN").orElseThrow(() -> new AssertionError(
          "the exec shell carries no PARTYCLAW_RUN marker\n" + first.stderr()));
      String marker = run;
      leftovers = await(() -> {
        List<ProcTable.Proc> found = ProcTable.withEnv("PARTYCLAW_RUN", marker);
        return found.size() == PROCESSES ? found : null;
      }, "all " + PROCESSES + " processes of the command are running");
      first.kill9();
    }
    long survivors = leftovers.stream().filter(ProcTable.Proc::alive).count();
    assertEquals(PROCESSES, survivors, "precondition: SIGKILL of the daemon leaves its tool processes running");

    try (DaemonProcess second = DaemonProcess.start(dir, "second", null, Map.of(),
        "run", "--config", config.toString(), "--workdir", workdir)) {
      String marker = run;
      await(() -> leftovers.stream().noneMatch(ProcTable.Proc::alive)
              && ProcTable.withEnv("PARTYCLAW_RUN", marker).isEmpty() ? Boolean.TRUE : null,
          "no process of the killed run is alive after the restart");
      assertEquals(0, second.waitForExit(Duration.ofSeconds(90)), second.stderr());
      long answers = second.stdout().lines().filter("Resumed after the restart."::equals).count();
      assertEquals(1, answers, second.stdout());
    }
    assertEquals(3, llm.requests().size(), "the interrupted turn resumed once");
  }

  private static String field(List<JsonNode> toolMessages, String name) {
    try {
      return Json.parse(toolMessages.get(0).get("content").asText()).get(name).asText();
    } catch (Exception e) {
      throw new AssertionError("exec_start result has no " + name + ": " + toolMessages, e);
    }
  }

  interface Probe<T> {
    T get() throws Exception;
  }

  private static <T> T await(Probe<T> probe, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      T v = probe.get();
      if (v != null) return v;
      if (System.nanoTime() > deadline) throw new AssertionError("not within 30 s: " + what);
      Thread.sleep(50);
    }
  }
}
