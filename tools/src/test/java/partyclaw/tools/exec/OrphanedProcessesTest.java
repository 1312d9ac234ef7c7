package partyclaw.tools.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.exec.ExecToolsTest.alive;
import static partyclaw.tools.exec.ExecToolsTest.awaitGone;
import static partyclaw.tools.exec.ExecToolsTest.awaitPid;
import static partyclaw.tools.exec.ExecToolsTest.awaitTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolResult;
import partyclaw.tools.testing.TestToolContext;

/** Issue 9 item 3: exec processes in groups of their own, recorded, and swept at the next start after a crash. */
@Timeout(60)
class OrphanedProcessesTest {
  @TempDir Path workdir;
  @TempDir Path workspace;
  @TempDir Path otherWorkdir;
  @TempDir Path otherWorkspace;
  TestToolContext ctx;
  TestToolContext otherCtx;

  @AfterEach
  void tearDown() {
    if (ctx != null) ctx.close();
    if (otherCtx != null) otherCtx.close();
  }

  @Test
  void aCommandLeadsAProcessGroupOfItsOwnAndIsRecordedUntilReaped() throws Exception {
    ExecRun run = ExecRun.start(workdir);
    ctx = TestToolContext.on(workspace);
    JsonNode j = ctx.call(new ExecStartTool(run), args("command", "read x", "return_immediate", true));
    long pid = j.get("pid").asLong();
    String id = j.get("exec_id").asText();
    // setsid runs in the child after the JVM's spawn returns: its group exists a moment later.
    awaitTrue(() -> ProcessTable.read(pid).orElseThrow().pgid() == pid, "the shell leads its own process group");
    ProcessTable.Proc proc = ProcessTable.read(pid).orElseThrow();
    assertTrue(ProcessTable.read(ProcessHandle.current().pid()).orElseThrow().pgid() != pid);

    Path record = run.recordsDir().resolve(id + ".json");
    assertTrue(Files.exists(record), "recorded before the exec_id was returned");
    JsonNode r = Json.parse(Files.readString(record));
    assertEquals(run.id(), r.get("run").asText());
    assertEquals("test:1", r.get("conversation").asText());
    assertEquals(id, r.get("exec_id").asText());
    assertEquals(pid, r.get("pid").asLong());
    assertEquals(pid, r.get("pgid").asLong());
    assertEquals(proc.startTime(), r.get("start_time").asLong());

    JsonNode done = ctx.call(new ExecWaitTool(run), args("exec_id", id, "input", "\n", "wait_timeout_seconds", 10));
    assertTrue(done.get("completed").asBoolean(), done.toString());
    awaitTrue(() -> !Files.exists(record), "the record of a reaped process is deleted");
  }

  @Test
  void aCommandThatCannotBeRecordedIsNotLeftRunning() throws Exception {
    ExecRun run = ExecRun.start(workdir);
    Files.delete(run.recordsDir());
    Files.writeString(run.recordsDir(), "a file where the records directory belongs");
    ctx = TestToolContext.on(workspace);
    ToolResult r = ctx.invoke(new ExecStartTool(run), args("command", "sleep 300", "return_immediate", true));
    assertTrue(r.errored(), r.content());
    assertEquals("the command was killed as soon as it started: it could not be recorded under " + run.recordsDir()
            + " (a process the daemon cannot find again after a crash is never left running)",
        Json.parse(r.content()).get("error").asText());
    awaitTrue(() -> ProcessTable.all().stream()
            .noneMatch(p -> !p.zombie() && p.environ(ExecRun.RUN_ENV).filter(run.id()::equals).isPresent()),
        "no process of the run is left");
  }

  @Test
  void execKillReachesAChildThatLeftTheGroupAndTheTree() throws Exception {
    ExecRun run = ExecRun.start(workdir);
    ctx = TestToolContext.on(workspace);
    JsonNode j = ctx.call(new ExecStartTool(run), args("command",
        "(setsid sh -c 'echo $$ > escaped.pid; exec sleep 301' &); sleep 300", "return_immediate", true));
    long root = j.get("pid").asLong();
    long escaped = awaitPid(workspace.toRealPath().resolve("escaped.pid"));
    awaitTrue(() -> ProcessHandle.of(root).orElseThrow().descendants().noneMatch(h -> h.pid() == escaped),
        "the escaped child is no longer a descendant");
    assertTrue(ProcessTable.read(escaped).orElseThrow().pgid() != root, "it left the group too");

    JsonNode k = ctx.call(new ExecKillTool(run), args("exec_id", j.get("exec_id").asText()));
    assertTrue(k.get("killed").asBoolean(), k.toString());
    awaitGone(root);
    awaitGone(escaped);
  }

  @Test
  void killLetsTheShellReapItsChildrenSoThatNoZombieIsLeftToInit() throws Exception {
    ExecRun run = ExecRun.start(workdir);
    ctx = TestToolContext.on(workspace);
    JsonNode j = ctx.call(new ExecStartTool(run), args("command",
        "sleep 300 & echo $! > a.pid; sleep 301 & echo $! > b.pid; wait", "return_immediate", true));
    long a = awaitPid(workspace.toRealPath().resolve("a.pid"));
    long b = awaitPid(workspace.toRealPath().resolve("b.pid"));
    ctx.call(new ExecKillTool(run), args("exec_id", j.get("exec_id").asText()));
    // Not even a zombie: an init that does not reap (as in many containers) would keep one forever.
    awaitTrue(() -> !Files.exists(Path.of("/proc/" + a)) && !Files.exists(Path.of("/proc/" + b)),
        "both children are reaped");
  }

  @Test
  void closingTheConversationKillsWhatAFinishedCommandLeftInTheBackground() throws Exception {
    ExecRun run = ExecRun.start(workdir);
    ctx = TestToolContext.on(workspace);
    JsonNode j = ctx.call(new ExecStartTool(run), args("command", "sleep 300 & echo $! > bg.pid"));
    assertTrue(j.get("completed").asBoolean(), j.toString());
    long bg = awaitPid(workspace.toRealPath().resolve("bg.pid"));
    assertTrue(alive(bg), "precondition: the background child outlives its command");
    ctx.close();
    awaitGone(bg);
  }

  @Test
  void theNextRunKillsEverythingAnEarlierRunLeftAndNothingElse() throws Exception {
    ExecRun earlier = ExecRun.start(workdir);
    ctx = TestToolContext.on(workspace);
    Path ws = workspace.toRealPath();
    JsonNode j = ctx.call(new ExecStartTool(earlier), args("command",
        "sleep 300 & echo $! > bg.pid; setsid sleep 301 & echo $! > own-session.pid; "
            + "(setsid sh -c 'echo $$ > escaped.pid; exec sleep 302' &); "
            + "env -i sh -c 'echo $$ > no-env.pid; exec sleep 303' & wait",
        "return_immediate", true));
    long root = j.get("pid").asLong();
    List<Long> earlierPids = List.of(root, awaitPid(ws.resolve("bg.pid")), awaitPid(ws.resolve("own-session.pid")),
        awaitPid(ws.resolve("escaped.pid")), awaitPid(ws.resolve("no-env.pid")));
    awaitTrue(() -> ProcessTable.read(earlierPids.get(4)).flatMap(p -> p.environ("PATH")).isEmpty(),
        "the env -i child has exec'd without an environment");

    // Another daemon on another workdir, and the new run on this one: neither is the earlier run's.
    ExecRun other = ExecRun.start(otherWorkdir);
    otherCtx = TestToolContext.on(otherWorkspace);
    long otherPid = otherCtx.call(new ExecStartTool(other), args("command", "sleep 304", "return_immediate", true))
        .get("pid").asLong();
    ExecRun current = ExecRun.start(workdir);
    TestToolContext currentCtx = TestToolContext.on(workspace);
    try {
      long currentPid = currentCtx.call(new ExecStartTool(current),
          args("command", "sleep 305", "return_immediate", true)).get("pid").asLong();
      for (long pid : earlierPids) assertTrue(alive(pid), "precondition: " + pid + " runs");

      int killed = StaleProcessSweeper.sweep(current);

      assertEquals(5, killed, "the shell, its two children, the escaped one and the one without environment");
      for (long pid : earlierPids) awaitGone(pid);
      assertTrue(alive(otherPid), "another workdir's process is not touched");
      assertTrue(alive(currentPid), "the current run's process is not touched");
      assertFalse(Files.exists(earlier.runsDir().resolve(earlier.id())), "the swept run is forgotten");
      assertTrue(Files.exists(current.runsDir().resolve(current.id())));
      assertFalse(Files.exists(earlier.recordsDir().resolve(j.get("exec_id").asText() + ".json")));
      assertEquals(0, StaleProcessSweeper.sweep(current), "a second sweep finds nothing");
    } finally {
      currentCtx.close();
    }
  }
}
