package partyclaw.tools.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.sandbox.LocalMount;
import partyclaw.core.sandbox.Sandbox;
import partyclaw.core.sandbox.SandboxLimits;
import partyclaw.core.sandbox.SandboxMode;
import partyclaw.tools.exec.ExecKillTool;
import partyclaw.tools.exec.ExecRun;
import partyclaw.tools.exec.ExecStartTool;
import partyclaw.tools.file.ApplyPatchTool;
import partyclaw.tools.testing.TestToolContext;

/** Real commands through exec_start in a bubblewrap sandbox: what they can and cannot reach. */
@Timeout(60)
class SandboxedExecTest {
  static final String CANARY = "canary-" + UUID.randomUUID();
  static final SandboxLimits LIMITS = new SandboxLimits(40, 1024 * 1024, 60);
  static final boolean ROOT = HostTools.current().root();

  @TempDir Path base;
  Path ws;
  Path sibling;
  TestToolContext ctx;
  ExecRun run;
  ExecStartTool start;
  ExecKillTool kill;

  @BeforeAll
  static void bubblewrapWorks() {
    SandboxLauncher.Availability a = SandboxLauncher.bubblewrap("bwrap");
    if (!a.available()) Assumptions.abort("bubblewrap is not usable here: " + a.reason());
  }

  @BeforeEach
  void setUp() throws Exception {
    ws = Files.createDirectories(base.resolve("ws"));
    sibling = Files.createDirectories(base.resolve("other-workspace"));
    Files.writeString(sibling.resolve("secret.txt"), "sibling secret\n");
    ctx = TestToolContext.on(ws, Map.of("PARTYCLAW_CANARY", CANARY, "LANG", "C.UTF-8"));
    ctx.withSandbox(sandbox(false, List.of()));
    run = ExecRun.start(base.resolve("workdir"));
    start = new ExecStartTool(run);
    kill = new ExecKillTool(run);
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  Sandbox sandbox(boolean network, List<LocalMount> mounts) {
    return new Sandbox(SandboxMode.BUBBLEWRAP, ctx.workspaceRoot(), List.of(), mounts, List.of(), network, LIMITS,
        "bwrap");
  }

  /** Runs {@code command} to its end; returns the snapshot. */
  JsonNode exec(String command) throws Exception {
    JsonNode j = ctx.call(start, args("command", command, "wait_timeout_seconds", 30));
    assertTrue(j.get("completed").asBoolean(), j.toString());
    return j;
  }

  /** The whole stdout of a finished exec, as lines. */
  List<String> stdout(JsonNode j) throws IOException {
    return Files.readAllLines(ctx.workspaceRoot().resolve(j.get("stdout_path").asText()));
  }

  String stderr(JsonNode j) throws IOException {
    return Files.readString(ctx.workspaceRoot().resolve(j.get("stderr_path").asText()));
  }

  @Test
  void theWorkspaceIsWritableAndTheCommandRunsUnprivileged() throws Exception {
    JsonNode j = exec("echo hello > note.txt; id -u; pwd; echo $HOME; hostname; "
        + "grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs)' /proc/self/status");
    assertEquals(0, j.get("returncode").asInt(), j.toString());
    assertEquals("hello\n", Files.readString(ws.resolve("note.txt")));
    String uid = ROOT ? Integer.toString(SandboxLauncher.SANDBOX_UID) : Integer.toString(HostTools.current().uid());
    assertEquals(List.of(uid, ctx.workspaceRoot().toString(), "/home/sandbox", "partyclaw-sandbox",
        "CapInh:\t0000000000000000", "CapPrm:\t0000000000000000", "CapEff:\t0000000000000000",
        "CapBnd:\t0000000000000000", "CapAmb:\t0000000000000000", "NoNewPrivs:\t1"), stdout(j));
  }

  @Test
  void whatTheDaemonWroteInTheWorkspaceBecomesWritable() throws Exception {
    Files.writeString(ws.resolve("from-daemon.txt"), "one\n");
    Files.createDirectories(ws.resolve("dir/sub"));
    Files.writeString(ws.resolve("dir/sub/deep.txt"), "deep\n");
    JsonNode j = exec("echo two >> from-daemon.txt && echo more >> dir/sub/deep.txt && touch dir/sub/new");
    assertEquals(0, j.get("returncode").asInt(), stderr(j));
    assertEquals("one\ntwo\n", Files.readString(ws.resolve("from-daemon.txt")));
    assertEquals("deep\nmore\n", Files.readString(ws.resolve("dir/sub/deep.txt")));
  }

  @Test
  void onlyTheDaemonsEntriesAreGivenAndNeverThroughASymlink() throws Exception {
    Assumptions.assumeTrue(ROOT, "ownership is only changed under a root daemon");
    Path outside = Files.writeString(base.resolve("outside.txt"), "host file\n");
    Files.createSymbolicLink(ws.resolve("link"), outside);
    Files.createDirectories(sibling.resolve("deeper"));
    Files.createSymbolicLink(ws.resolve("dirlink"), sibling);
    Path theirs = Files.writeString(ws.resolve("theirs.txt"), "someone else's\n");
    Files.setAttribute(theirs, "unix:uid", 4242);
    // A FIFO is never opened (that would block until a writer comes).
    assertEquals(0, new ProcessBuilder("mkfifo", ws.resolve("fifo").toString()).start().waitFor());
    SandboxLauncher.prepareWorkspace(ctx.sandbox());
    assertEquals(0, Files.getAttribute(outside, "unix:uid"));
    assertEquals(0, Files.getAttribute(sibling.resolve("deeper"), "unix:uid"));
    assertEquals(4242, Files.getAttribute(theirs, "unix:uid"), "only what the daemon's uid owns is given");
    assertEquals(SandboxLauncher.SANDBOX_UID, Files.getAttribute(ws.resolve("fifo"), "unix:uid",
        LinkOption.NOFOLLOW_LINKS));
    assertEquals(SandboxLauncher.SANDBOX_UID, Files.getAttribute(ws.resolve("link"), "unix:uid",
        LinkOption.NOFOLLOW_LINKS));
    assertEquals(SandboxLauncher.SANDBOX_UID, Files.getAttribute(ws, "unix:uid"));
  }

  @Test
  void aSiblingOfTheWorkspaceIsInvisible() throws Exception {
    JsonNode j = exec("test -e " + sibling + "; echo test=$?; ls " + sibling + "; echo ls=$?; cat ../other-workspace/secret.txt; echo cat=$?; "
        + "ls ..; echo parent=$?");
    assertEquals(List.of("test=1", "ls=2", "cat=1", "ws", "parent=0"), stdout(j));
    assertFalse(stderr(j).contains("sibling secret"));
  }

  @Test
  void theEnvironmentHoldsOnlyTheAllowList() throws Exception {
    JsonNode j = ctx.call(start, args("command", "tr '\\0' '\\n' < /proc/self/environ; echo ---; "
        + "tr '\\0' '\\n' < /proc/1/environ; echo ---; sleep 30", "return_immediate", true));
    long pid = j.get("pid").asLong();
    // bwrap itself, seen from the host: started with the allow-list only. Right after the spawn the process may
    // not have exec'd yet, and /proc shows an empty environment until it has.
    awaitTrue(() -> !environ(pid).isEmpty(), "the launched process has exec'd");
    List<String> bwrapEnv = environ(pid);
    assertEquals(Set.of("HOME", "LANG", "PARTYCLAW_EXEC", "PARTYCLAW_EXEC_COMMAND", "PARTYCLAW_RUN", "PATH"),
        names(bwrapEnv), bwrapEnv.toString());
    Path out = ctx.workspaceRoot().resolve(j.get("stdout_path").asText());
    awaitTrue(() -> Files.readString(out).split("---\n", -1).length == 3, "both environments printed");
    ctx.call(kill, args("exec_id", j.get("exec_id").asText()));
    String all = Files.readString(out) + Files.readString(ctx.workspaceRoot().resolve(j.get("stderr_path").asText()));
    assertFalse(all.contains(CANARY), all);
    List<String> self = List.of(Files.readString(out).split("---\n", -1)[0].split("\n"));
    assertEquals(Set.of("HOME", "LANG", "PARTYCLAW_EXEC", "PARTYCLAW_EXEC_COMMAND", "PARTYCLAW_RUN", "PATH", "PWD"),
        names(self), self.toString());
    for (String line : Files.readString(out).split("---\n", -1)[1].split("\n")) {
      if (line.isEmpty()) continue;
      assertTrue(SandboxEnv.allowed(line.substring(0, line.indexOf('='))), line);
    }
  }

  @Test
  void theDaemonsHomeAndProcessesAreInvisible() throws Exception {
    long self = ProcessHandle.current().pid();
    String home = System.getProperty("user.home");
    JsonNode j = exec("test -e /root; echo root=$?; ls " + home + "; echo home=$?; kill -0 " + self + "; echo kill=$?; "
        + "ls /proc | grep -c '^[0-9]'");
    List<String> out = stdout(j);
    assertEquals(List.of("root=1", "home=2", "kill=1"), out.subList(0, 3), out.toString());
    // bwrap's init, the shell, ls and grep: nothing of the host.
    assertTrue(Integer.parseInt(out.get(3)) <= 5, out.toString());
  }

  @Test
  void withoutNetworkALocalPortIsUnreachableAndWithNetworkItIsReached() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      String connect = "bash -c 'echo hi > /dev/tcp/127.0.0.1/" + server.getLocalPort() + "'; echo rc=$?";
      JsonNode closed = exec(connect);
      assertEquals(List.of("rc=1"), stdout(closed), stderr(closed));
      ctx.withSandbox(sandbox(true, List.of()));
      JsonNode open = exec(connect);
      assertEquals(List.of("rc=0"), stdout(open), stderr(open));
    }
  }

  @Test
  void aReadOnlyMountCannotBeWrittenAndAReadWriteMountCan() throws Exception {
    Path ro = Files.createDirectories(base.resolve("docs"));
    Files.writeString(ro.resolve("data.txt"), "readable\n");
    Path rw = Files.createDirectories(base.resolve("scratch"));
    // The documented requirement: a read-write mount must be writable by the sandbox uid.
    if (ROOT) Files.setAttribute(rw, "unix:uid", SandboxLauncher.SANDBOX_UID);
    ctx.withSandbox(sandbox(false, List.of(new LocalMount(ro, true), new LocalMount(rw, false))));
    JsonNode j = exec("read line < " + ro + "/data.txt; echo $line; touch " + ro + "/x; echo ro=$?; "
        + "echo written > " + rw + "/y; echo rw=$?");
    assertEquals(List.of("readable", "ro=1", "rw=0"), stdout(j), stderr(j));
    assertFalse(Files.exists(ro.resolve("x")));
    assertEquals("written\n", Files.readString(rw.resolve("y")));
  }

  @Test
  void aForkBombStaysWithinTheProcessLimit() throws Exception {
    Assumptions.assumeTrue(ROOT, "the limit counts the sandbox uid only under a root daemon");
    // The bomb's processes die with the sandbox once the command ends, so the command holds on for a while
    // (read is a builtin: it needs no fork).
    JsonNode j = ctx.call(start, args("command", "timeout 3 bash -c ':(){ :|:& };:; read -t 10'; echo done",
        "return_immediate", true));
    long bwrap = j.get("pid").asLong();
    String ns = awaitPidNamespace(bwrap);
    int most = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (HostProcesses.alive(bwrap) && System.nanoTime() < deadline) {
      most = Math.max(most, HostProcesses.inPidNamespace(ns));
      Thread.sleep(20);
    }
    System.out.println("fork bomb: at most " + most + " processes in the sandbox");
    // bwrap's own init runs as root and is not counted; every other process is the sandbox uid's.
    assertTrue(most <= LIMITS.maxProcesses() + 1, "at most " + most + " processes in the sandbox");
    assertTrue(most >= 10, "the bomb did run: " + most + "; " + stderr(j).lines().limit(5).toList());
    assertFalse(HostProcesses.alive(bwrap), "the sandbox ended");
    // The daemon can still start threads and processes, and the next command runs.
    AtomicBoolean ran = new AtomicBoolean();
    Thread t = new Thread(() -> ran.set(true));
    t.start();
    t.join();
    assertTrue(ran.get());
    assertEquals(0, new ProcessBuilder("true").start().waitFor());
    assertEquals(List.of("alive"), stdout(exec("echo alive")));
  }

  @Test
  void writingPastTheFileSizeLimitFails() throws Exception {
    JsonNode j = exec("dd if=/dev/zero of=big.bin bs=1024 count=2048 2>/dev/null; echo rc=$?");
    // SIGXFSZ (25) killed dd.
    assertEquals(List.of("rc=153"), stdout(j), stderr(j));
    assertEquals(LIMITS.maxFileSizeBytes(), Files.size(ws.resolve("big.bin")));
  }

  @Test
  void killingACommandLeavesNothingOfItsSandboxBehind() throws Exception {
    String marker = Integer.toString(900_000 + ThreadLocalRandom.current().nextInt(99_999));
    JsonNode j = ctx.call(start, args("command", "sleep " + marker + " & sleep 1000", "return_immediate", true));
    awaitTrue(() -> !HostProcesses.withArgs("sleep", marker).isEmpty(), "the background sleep started");
    JsonNode k = ctx.call(kill, args("exec_id", j.get("exec_id").asText()));
    assertTrue(k.get("killed").asBoolean(), k.toString());
    awaitTrue(() -> HostProcesses.withArgs("sleep", marker).isEmpty(), "the background sleep is gone");
    awaitTrue(() -> !HostProcesses.alive(j.get("pid").asLong()), "bwrap is gone");
  }

  @Test
  void aBackgroundChildEndsWithItsCommand() throws Exception {
    String marker = Integer.toString(800_000 + ThreadLocalRandom.current().nextInt(99_999));
    exec("sleep " + marker + " & echo started");
    awaitTrue(() -> HostProcesses.withArgs("sleep", marker).isEmpty(), "the background sleep is gone");
  }

  @Test
  void aTerminalCommandRunsInTheSandbox() throws Exception {
    JsonNode j = ctx.call(start, args("command", "id -u; test -t 0 && echo tty", "tty", true,
        "wait_timeout_seconds", 30));
    assertEquals(0, j.get("returncode").asInt(), j.toString());
    String uid = ROOT ? Integer.toString(SandboxLauncher.SANDBOX_UID) : Integer.toString(HostTools.current().uid());
    assertEquals(uid + "\ntty", j.get("stdout").asText());
  }

  @Test
  void applyPatchRunsGitInTheSandbox() throws Exception {
    Files.writeString(ws.resolve("hello.txt"), "hello\nworld\n");
    String patch = "--- hello.txt\n+++ hello.txt\n@@ -1,2 +1,2 @@\n hello\n-world\n+sandbox\n";
    JsonNode j = ctx.call(new ApplyPatchTool(), args("patch", patch));
    assertTrue(j.get("applied").asBoolean(), j.toString());
    assertEquals("hello\nsandbox\n", Files.readString(ws.resolve("hello.txt")));
  }

  @Test
  void aCommandOutlivesTheThreadThatStartedIt() throws Exception {
    // --die-with-parent follows the thread that forked bwrap: a command started by a tool call whose thread has
    // ended since must keep running.
    AtomicInteger pid = new AtomicInteger();
    Thread caller = new Thread(() -> {
      try {
        pid.set(ctx.call(start, args("command", "sleep 30", "return_immediate", true)).get("pid").asInt());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    caller.start();
    caller.join();
    Thread.sleep(300);
    assertTrue(HostProcesses.alive(pid.get()), "the sandbox outlived the thread that started it");
  }

  private String awaitPidNamespace(long bwrap) {
    String[] ns = new String[1];
    awaitTrue(() -> {
      for (long child : HostProcesses.children(bwrap)) {
        ns[0] = Files.readSymbolicLink(Path.of("/proc/" + child + "/ns/pid")).toString();
        return true;
      }
      return false;
    }, "the sandbox's init started");
    return ns[0];
  }

  private static List<String> environ(long pid) throws IOException {
    byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/environ"));
    List<String> out = new ArrayList<>();
    for (String s : new String(raw, StandardCharsets.UTF_8).split("\0")) {
      if (!s.isEmpty()) out.add(s);
    }
    return out;
  }

  private static Set<String> names(List<String> envLines) {
    Set<String> out = new java.util.TreeSet<>();
    for (String l : envLines) {
      if (!l.isEmpty()) out.add(l.substring(0, l.indexOf('=')));
    }
    return out;
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
}
