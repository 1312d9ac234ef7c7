package partyclaw.tools.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolResult;
import partyclaw.tools.testing.TestToolContext;

@Timeout(30)
class ExecToolsTest {
  @TempDir Path tmp;
  @TempDir Path workdir;
  TestToolContext ctx;
  ExecRun run;
  ExecStartTool start;
  ExecWaitTool await;
  ExecObserveTool observe;
  ExecKillTool kill;

  @BeforeEach
  void setUp() {
    ctx = TestToolContext.on(tmp, Map.of("PARTYCLAW_VISIBLE", "yes"));
    run = ExecRun.start(workdir);
    start = new ExecStartTool(run);
    await = new ExecWaitTool(run);
    observe = new ExecObserveTool(run);
    kill = new ExecKillTool(run);
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  @Test
  void runsACommandToCompletionWithSeparateStreams() throws Exception {
    JsonNode j = ctx.call(start, args("command", "echo hello; echo oops >&2; exit 3"));
    String id = j.get("exec_id").asText();
    assertFalse(j.get("tty").asBoolean());
    assertTrue(j.get("pid").isIntegralNumber());
    assertEquals("local", j.get("remote").asText());
    assertEquals(ctx.workspaceRoot().toString(), j.get("cwd").asText());
    assertFalse(j.get("running").asBoolean());
    assertTrue(j.get("completed").asBoolean());
    assertEquals(3, j.get("returncode").asInt());
    assertTrue(j.get("stdin_closed").asBoolean());
    assertFalse(j.get("failed").asBoolean());
    assertTrue(j.get("error").isNull());
    assertEquals("hello", j.get("stdout").asText());
    assertEquals("oops", j.get("stderr").asText());
    assertEquals(6, j.get("stdout_chars").asInt());
    assertEquals(5, j.get("stderr_chars").asInt());
    assertEquals(".partyclaw/exec/" + id + ".stdout", j.get("stdout_path").asText());
    assertEquals(".partyclaw/exec/" + id + ".stderr", j.get("stderr_path").asText());
    assertEquals("hello\n", Files.readString(ctx.workspaceRoot().resolve(j.get("stdout_path").asText())));
    assertFalse(j.has("stdout_truncated"));
    assertFalse(j.has("killed"));
  }

  @Test
  void outputWindowCountsLinesFromTheEndAndCapsCharacters() throws Exception {
    JsonNode j = ctx.call(start, args("command", "seq 1 100"));
    assertEquals(lines(81, 100), j.get("stdout").asText());
    assertTrue(j.get("stdout_truncated").asBoolean());
    assertFalse(j.has("stderr"), "empty stderr is left out");
    String id = j.get("exec_id").asText();

    JsonNode window = ctx.call(observe, args("exec_id", id, "start", 10, "limit", 5));
    assertEquals(lines(86, 90), window.get("stdout").asText());

    JsonNode capped = ctx.call(observe, args("exec_id", id, "limit", 100, "max_output_chars", 10));
    String all = lines(1, 100);
    assertEquals(all.substring(0, 4) + all.substring(all.length() - 6), capped.get("stdout").asText());
    assertTrue(capped.get("stdout_truncated").asBoolean());

    JsonNode whole = ctx.call(observe, args("exec_id", id, "limit", 100, "max_output_chars", 1000));
    assertFalse(whole.has("stdout_truncated"), "(" + all.length() + " chars fit)");

    JsonNode quiet = ctx.call(observe, args("exec_id", id));
    assertTrue(quiet.has("stdout"));
    JsonNode none = ctx.call(await, args("exec_id", id, "wait_timeout_seconds", 0, "include_stdout", false));
    assertFalse(none.has("stdout"));
    assertEquals(292, none.get("stdout_chars").asInt());
  }

  @Test
  void inputIsWrittenToStdinBeforeWaiting() throws Exception {
    JsonNode started = ctx.call(start, args("command", "read line; echo got:$line", "return_immediate", true));
    assertTrue(started.get("running").asBoolean());
    assertFalse(started.get("stdin_closed").asBoolean());
    String id = started.get("exec_id").asText();
    JsonNode done = ctx.call(await, args("exec_id", id, "wait_timeout_seconds", 10, "input", "hi there\n"));
    assertTrue(done.get("completed").asBoolean(), done.toString());
    assertEquals("got:hi there", done.get("stdout").asText());
    assertEquals(0, done.get("returncode").asInt());

    assertEquals("stdin is closed for exec process " + id,
        error(await, args("exec_id", id, "wait_timeout_seconds", 1, "input", "more")));
  }

  @Test
  void timeoutWithKillKillsAndContinueKeepsRunning() throws Exception {
    long t0 = System.nanoTime();
    JsonNode killed = ctx.call(start, args("command", "sleep 30", "wait_timeout_seconds", 0.3, "on_timeout", "KILL"));
    assertTrue(killed.get("killed").asBoolean(), killed.toString());
    assertTrue(killed.get("wait_timed_out").asBoolean());
    assertEquals("kill", killed.get("on_timeout").asText());
    assertTrue(killed.get("completed").asBoolean());
    assertFalse(killed.get("running").asBoolean());
    assertEquals(-9, killed.get("returncode").asInt());
    assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 10);

    JsonNode cont = ctx.call(start, args("command", "sleep 30", "wait_timeout_seconds", 0.2));
    assertTrue(cont.get("wait_timed_out").asBoolean());
    assertEquals("continue", cont.get("on_timeout").asText());
    assertTrue(cont.get("running").asBoolean());
    assertFalse(cont.get("completed").asBoolean());
    assertTrue(cont.get("returncode").isNull());
    String id = cont.get("exec_id").asText();
    assertTrue(alive(cont.get("pid").asLong()));

    JsonNode k = ctx.call(kill, args("exec_id", id));
    assertEquals(id, k.get("exec_id").asText());
    assertTrue(k.get("killed").asBoolean());
    assertEquals(-9, k.get("returncode").asInt());
    assertFalse(k.get("running").asBoolean());
    assertTrue(k.get("completed").asBoolean());
    assertTrue(ctx.call(observe, args("exec_id", id)).get("killed").asBoolean());
    awaitGone(cont.get("pid").asLong());
  }

  @Test
  void killingAFinishedCommandKeepsItsRealExitCode() throws Exception {
    JsonNode done = ctx.call(start, args("command", "exit 4"));
    JsonNode k = ctx.call(kill, args("exec_id", done.get("exec_id").asText()));
    assertFalse(k.get("killed").asBoolean());
    assertEquals(4, k.get("returncode").asInt());
  }

  @Test
  void interruptReturnsWhileTheProcessKeepsRunning() throws Exception {
    Path started = ctx.workspaceRoot().resolve("started");
    Path go = ctx.workspaceRoot().resolve("go");
    CompletableFuture.runAsync(() -> {
      awaitFile(started);
      ctx.signal().interrupt();
    });
    JsonNode j = ctx.call(start, args("command", "touch started; while [ ! -e go ]; do sleep 0.02; done; echo finished"));
    assertTrue(j.get("interrupted").asBoolean(), j.toString());
    assertEquals("agent_turn_interrupted", j.get("reason").asText());
    JsonNode process = j.get("process");
    assertTrue(process.get("running").asBoolean());
    assertTrue(alive(process.get("pid").asLong()));

    // The signal is sticky for the rest of the batch: another wait returns at once.
    JsonNode again = ctx.call(await, args("exec_id", process.get("exec_id").asText(), "wait_timeout_seconds", 30));
    assertTrue(again.get("interrupted").asBoolean());

    ctx.newBatch();
    Files.createFile(go);
    JsonNode done = ctx.call(await, args("exec_id", process.get("exec_id").asText(), "wait_timeout_seconds", 20));
    assertTrue(done.get("completed").asBoolean(), done.toString());
    assertEquals("finished", done.get("stdout").asText());
  }

  @Test
  void cancelKillsTheWholeProcessTree() throws Exception {
    Path childPid = ctx.workspaceRoot().resolve("child.pid");
    CompletableFuture.runAsync(() -> {
      awaitPid(childPid);
      ctx.signal().cancel();
    });
    JsonNode j = ctx.call(start, args("command", "sleep 60 & echo $! > child.pid; sleep 60"));
    assertTrue(j.get("cancelled").asBoolean(), j.toString());
    assertEquals("turn_cancelled", j.get("reason").asText());
    assertTrue(j.get("killed").asBoolean());
    assertEquals(-9, j.get("returncode").asInt());
    awaitGone(j.get("pid").asLong());
    awaitGone(Long.parseLong(Files.readString(childPid).trim()));
  }

  @Test
  void processEnvironmentIsExactlyTheContextEnvironment() throws Exception {
    assumeTrue(System.getenv("HOME") != null, "needs a HOME variable in the daemon environment");
    JsonNode j = ctx.call(start, args("command", "env > env.txt"));
    assertEquals(0, j.get("returncode").asInt());
    List<String> env = Files.readAllLines(ctx.workspaceRoot().resolve("env.txt"));
    assertTrue(env.contains("PARTYCLAW_VISIBLE=yes"), env.toString());
    assertTrue(env.contains("PARTYCLAW_EXEC_COMMAND=env > env.txt"), env.toString());
    assertTrue(env.contains("PARTYCLAW_RUN=" + run.id()), env.toString());
    assertTrue(env.contains("PARTYCLAW_EXEC=" + j.get("exec_id").asText()), env.toString());
    assertFalse(env.stream().anyMatch(l -> l.startsWith("HOME=")), "a variable removed from the context env "
        + "must not come back from the daemon's own environment: " + env);
  }

  @Test
  void policyRefusesDirectReadCommandsByFirstWordOnly() throws Exception {
    assertTrue(error(start, args("command", "cat /etc/passwd"))
        .startsWith("direct read/search shell command rejected by tool policy: use the file_read tool"));
    assertTrue(error(start, args("command", "'/usr/bin/grep' -r x .")).contains("grep tool"));
    assertTrue(error(start, args("command", "ssh host ls")).contains("manual ssh"));
    JsonNode ok = ctx.call(start, args("command", "echo cat"));
    assertEquals("cat", ok.get("stdout").asText());
  }

  @Test
  void argumentsAreValidatedBeforeAnythingStarts() throws Exception {
    assertEquals("wait_timeout_seconds must be a finite number of seconds >= 0",
        error(start, args("command", "echo x", "wait_timeout_seconds", -1)));
    assertEquals("on_timeout must be \"continue\" or \"kill\"",
        error(start, args("command", "echo x", "on_timeout", "later")));
    assertTrue(error(start, args("command", "echo x", "max_output_chars", 1001))
        .startsWith("max_output_chars must be between 0 and 1000"));
    assertEquals("remote must not start with '-': -oProxyCommand=x",
        error(start, args("command", "echo x", "remote", "-oProxyCommand=x")));
    assertTrue(error(start, args("command", "echo x", "cwd", "..")).contains("outside the conversation workspace"));
    assertEquals("missing required argument: wait_timeout_seconds", error(await, args("exec_id", "x")));
    assertFalse(Files.exists(ctx.workspaceRoot().resolve(".partyclaw")), "nothing was spawned");
  }

  @Test
  void unknownIdsSayTheProcessNoLongerExists() throws Exception {
    String expected = "exec process nope no longer exists; it may have already finished, been killed, or been "
        + "terminated when the main runtime shut down";
    assertEquals(expected, error(observe, args("exec_id", "nope")));
    assertEquals(expected, error(kill, args("exec_id", "nope")));
    assertEquals(expected, error(await, args("exec_id", "nope", "wait_timeout_seconds", 1)));
  }

  @Test
  void missingWorkingDirectoryIsAFailedSnapshot() throws Exception {
    JsonNode j = ctx.call(start, args("command", "echo x", "cwd", "no/such/dir"));
    assertTrue(j.get("failed").asBoolean());
    assertTrue(j.get("error").asText().contains("does not exist"), j.toString());
    assertTrue(j.get("pid").isNull());
    assertFalse(j.get("running").asBoolean());
  }

  @Test
  void cwdInsideTheWorkspaceIsUsed() throws Exception {
    Files.createDirectories(ctx.workspaceRoot().resolve("sub"));
    JsonNode j = ctx.call(start, args("command", "pwd", "cwd", "sub"));
    assertEquals(ctx.workspaceRoot().resolve("sub").toString(), j.get("stdout").asText());
  }

  @Test
  void returnImmediateGivesTheFirstSnapshot() throws Exception {
    JsonNode j = ctx.call(start, args("command", "sleep 5", "return_immediate", true));
    assertTrue(j.get("running").asBoolean());
    assertTrue(j.get("returncode").isNull());
    assertFalse(j.has("wait_timed_out"));
  }

  @Test
  void closingTheRegistryKillsEverything() throws Exception {
    JsonNode j = ctx.call(start, args("command", "sleep 30", "return_immediate", true));
    assertEquals(1, ExecRegistry.of(ctx, run).runningCount());
    ctx.close();
    awaitGone(j.get("pid").asLong());
  }

  @Test
  void ttyRunsInATerminalWithMergedOutput() throws Exception {
    JsonNode j = ctx.call(start, args("command", "tty; echo out; echo err >&2", "tty", true,
        "wait_timeout_seconds", 20));
    assertTrue(j.get("tty").asBoolean());
    assertTrue(j.get("completed").asBoolean(), j.toString());
    assertEquals(0, j.get("returncode").asInt());
    String out = j.get("stdout").asText();
    assertTrue(out.startsWith("/dev/pts/"), out);
    assertTrue(out.endsWith("out\nerr"), out);
    assertFalse(out.contains("\r"), "lines are split like str::lines");
    assertFalse(j.has("stderr"));
  }

  @Test
  void ttyTakesInputAndKillTakesTheTree() throws Exception {
    JsonNode started = ctx.call(start, args("command", "read x; echo got:$x; sleep 60 & echo $! > tchild.pid; wait",
        "tty", true, "return_immediate", true));
    String id = started.get("exec_id").asText();
    JsonNode after = ctx.call(await, args("exec_id", id, "input", "abc\n", "wait_timeout_seconds", 1));
    assertTrue(after.get("running").asBoolean(), after.toString());
    Path childPid = ctx.workspaceRoot().resolve("tchild.pid");
    awaitPid(childPid);
    assertTrue(ctx.call(observe, args("exec_id", id)).get("stdout").asText().contains("got:abc"));
    JsonNode k = ctx.call(kill, args("exec_id", id));
    assertTrue(k.get("killed").asBoolean());
    awaitGone(started.get("pid").asLong());
    awaitGone(Long.parseLong(Files.readString(childPid).trim()));
  }

  private String error(Tool tool, String json) throws Exception {
    ToolResult r = ctx.invoke(tool, json);
    assertTrue(r.errored(), r.content());
    return Json.parse(r.content()).get("error").asText();
  }

  private static String lines(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(Integer::toString).collect(Collectors.joining("\n"));
  }

  /** Running or sleeping; a zombie waiting for a reaper counts as gone (it can no longer do anything). */
  static boolean alive(long pid) throws Exception {
    Path stat = Path.of("/proc/" + pid + "/stat");
    String s;
    try {
      s = Files.readString(stat);
    } catch (IOException e) {
      return false;
    }
    char state = s.substring(s.lastIndexOf(')') + 2).charAt(0);
    return state != 'Z' && state != 'X';
  }

  /** Waits (bounded) until {@code file} exists: the command has got that far. */
  static void awaitFile(Path file) {
    awaitTrue(() -> Files.exists(file), file + " did not appear");
  }

  /** Waits (bounded) until {@code file} holds a whole line, e.g. a pid written with echo. */
  static long awaitPid(Path file) {
    awaitTrue(() -> Files.exists(file) && Files.readString(file).endsWith("\n"), file + " got no line");
    try {
      return Long.parseLong(Files.readString(file).trim());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void awaitTrue(Check check, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    try {
      while (!check.ok()) {
        if (System.nanoTime() > deadline) throw new AssertionError(what + " within 10 s");
        Thread.sleep(20);
      }
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void awaitGone(long pid) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (alive(pid)) {
      if (System.nanoTime() > deadline) throw new AssertionError("process " + pid + " is still alive");
      Thread.sleep(20);
    }
  }
}
