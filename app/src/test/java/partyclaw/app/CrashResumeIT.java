package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /** Each call id of the assistant messages once, and exactly one tool message answering each, none extra. */
  private static void assertEveryCallHasExactlyOneResult(List<JsonNode> messages) {
    List<String> calls = callIds(messages);
    List<String> results = new ArrayList<>();
    for (JsonNode m : messages) {
      if (m.path("role").asText().equals("tool")) results.add(m.get("tool_call_id").asText());
    }
    for (String call : calls) {
      assertEquals(1, calls.stream().filter(call::equals).count(), "call id " + call + " is unique: " + calls);
      assertEquals(1, results.stream().filter(call::equals).count(), "one result for " + call + ": " + results);
    }
    assertEquals(calls.size(), results.size(), "no result without its call: calls " + calls + ", results " + results);
  }

  private static List<String> callIds(List<JsonNode> messages) {
    List<String> calls = new ArrayList<>();
    for (JsonNode m : messages) m.path("tool_calls").forEach(c -> calls.add(c.get("id").asText()));
    return calls;
  }

  /** Waits (bounded) until a file of that name somewhere under {@code root} holds {@code line}. */
  private static void awaitLine(Path root, String name, String line) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Optional<Path> file = find(root, name);
      if (file.isPresent() && Files.readAllLines(file.get()).contains(line)) return;
      if (System.nanoTime() > deadline) throw new AssertionError(name + " with line " + line + " not within 30 s");
      Thread.sleep(50);
    }
  }

  private static Optional<Path> find(Path root, String name) throws IOException {
    if (!Files.isDirectory(root)) return Optional.empty();
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> p.getFileName().toString().equals(name)).findFirst();
    } catch (java.io.UncheckedIOException e) {
      return Optional.empty(); // a directory vanished during the walk: look again
    }
  }

  private static String execIdOf(List<JsonNode> toolMessages) {
    try {
      return Json.parse(toolMessages.get(0).get("content").asText()).get("exec_id").asText();
    } catch (Exception e) {
      throw new AssertionError("exec_start result has no exec_id: " + toolMessages, e);
    }
  }
}
