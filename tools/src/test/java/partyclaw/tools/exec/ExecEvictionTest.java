package partyclaw.tools.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolResult;
import partyclaw.testkit.ManualClock;
import partyclaw.tools.testing.TestToolContext;

/** Issue 9 item 9: finished exec records and their output files do not accumulate forever. */
@Timeout(30)
class ExecEvictionTest {
  static final Duration KEEP = Duration.ofMinutes(10);

  @TempDir Path workdir;
  @TempDir Path workspace;
  final ManualClock clock = new ManualClock(java.time.Instant.now());
  TestToolContext ctx;
  ExecStartTool start;
  ExecObserveTool observe;

  @BeforeEach
  void setUp() {
    ExecRun run = ExecRun.start(workdir, new ExecRun.ExecRetention(KEEP, 2, clock));
    ctx = TestToolContext.on(workspace);
    start = new ExecStartTool(run);
    observe = new ExecObserveTool(run);
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  @Test
  void beyondTheCapTheOldestFinishedExecIsForgottenWithItsOutputFiles() throws Exception {
    JsonNode first = finished("echo one");
    JsonNode second = finished("echo two");
    JsonNode third = finished("echo three");

    assertEquals(noLongerExists(first), error(first));
    assertFalse(Files.exists(file(first, "stdout_path")), "its stdout file is deleted");
    assertFalse(Files.exists(file(first, "stderr_path")), "its stderr file is deleted");
    assertEquals("two", ctx.call(observe, args("exec_id", id(second))).get("stdout").asText());
    assertEquals("three", ctx.call(observe, args("exec_id", id(third))).get("stdout").asText());
    assertTrue(Files.exists(file(second, "stdout_path")));
  }

  @Test
  void aFinishedExecIsForgottenAfterTheRetentionButARunningOneNever() throws Exception {
    JsonNode done = finished("echo done");
    JsonNode running = ctx.call(start, args("command", "read x", "return_immediate", true));
    assertTrue(running.get("running").asBoolean());

    clock.advance(KEEP.minusSeconds(1));
    assertEquals("done", ctx.call(observe, args("exec_id", id(done))).get("stdout").asText(), "kept until then");

    clock.advance(Duration.ofSeconds(1));
    assertEquals(noLongerExists(done), error(done));
    assertFalse(Files.exists(file(done, "stdout_path")));

    clock.advance(Duration.ofHours(5));
    assertTrue(ctx.call(observe, args("exec_id", id(running))).get("running").asBoolean(), "a running one stays");
  }

  @Test
  void outputFilesAnEarlierRunLeftAreDeletedOnceOlderThanTheRetention() throws Exception {
    Path dir = ctx.workspaceRoot().resolve(ExecFiles.DIR);
    Files.createDirectories(dir);
    Path old = Files.writeString(dir.resolve("old-run.stdout"), "old");
    Path recent = Files.writeString(dir.resolve("recent-run.stdout"), "recent");
    Files.setLastModifiedTime(old, FileTime.fromMillis(clock.millis() - KEEP.toMillis() - 1));
    Files.setLastModifiedTime(recent, FileTime.fromMillis(clock.millis() - KEEP.toMillis() + 60_000));

    finished("echo new");

    assertFalse(Files.exists(old));
    assertTrue(Files.exists(recent), "still within the retention: the model may read it after a restart");
  }

  private JsonNode finished(String command) throws Exception {
    JsonNode j = ctx.call(start, args("command", command));
    assertTrue(j.get("completed").asBoolean(), j.toString());
    clock.advance(Duration.ofMillis(1)); // a distinct end time for each, so "oldest" is well defined
    return j;
  }

  private String error(JsonNode exec) throws Exception {
    ToolResult r = ctx.invoke(observe, args("exec_id", id(exec)));
    assertTrue(r.errored(), r.content());
    return Json.parse(r.content()).get("error").asText();
  }

  private static String noLongerExists(JsonNode exec) {
    return "exec process " + id(exec) + " no longer exists; it may have already finished, been killed, or been "
        + "terminated when the main runtime shut down";
  }

  private static String id(JsonNode exec) {
    return exec.get("exec_id").asText();
  }

  private Path file(JsonNode exec, String field) {
    return ctx.workspaceRoot().resolve(exec.get(field).asText());
  }

}
