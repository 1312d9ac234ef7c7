package partyclaw.tools.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.sandbox.LocalMount;
import partyclaw.core.sandbox.Sandbox;
import partyclaw.core.sandbox.SandboxLimits;
import partyclaw.core.sandbox.SandboxMode;
import partyclaw.core.tool.ToolException;

/** The argv and environment a launch gets; nothing is started here. */
class SandboxLauncherPlanTest {
  static final String BWRAP = "/bin/true"; // any executable: plan() only needs it to exist
  static final SandboxLimits LIMITS = new SandboxLimits(50, 1_000_000, 77);
  /** A root daemon on a host with util-linux. */
  static final HostTools ROOT = new HostTools(0, "/usr/bin/setpriv", "/usr/bin/prlimit");
  /** A non-root daemon whose uid runs nothing yet, so the process limit is not raised. */
  static final HostTools USER = new HostTools(54321, "/usr/bin/setpriv", "/usr/bin/prlimit");
  static final List<String> COMMAND = List.of("sh", "-c", "eval \"$PARTYCLAW_EXEC_COMMAND\"");

  @TempDir Path tmp;
  Path ws;
  Map<String, String> env;

  @BeforeEach
  void setUp() throws Exception {
    ws = Files.createDirectories(tmp.resolve("work/ws")).toRealPath();
    env = new TreeMap<>(Map.of(
        "PATH", "/opt/secret/bin:/usr/bin",
        "HOME", "/root",
        "LANG", "C.UTF-8",
        "TERM", "dumb",
        "PARTYCLAW_EXEC_COMMAND", "echo hi",
        "PARTYCLAW_EXEC", "exec-1",
        "PARTYCLAW_RUN", "run-1",
        "PARTYCLAW_CANARY", "canary-value",
        "OPENAI_API_KEY", "sk-secret",
        "SSH_AUTH_SOCK", "/tmp/agent.sock"));
  }

  Sandbox bubblewrap(boolean network, List<LocalMount> mounts, List<Path> readOnly) {
    return new Sandbox(SandboxMode.BUBBLEWRAP, ws, List.of(), mounts, readOnly, network, LIMITS, BWRAP);
  }

  @Test
  void subprocessKeepsArgvAndEnvironmentAndAddsTheLimits() throws Exception {
    Sandbox sb = new Sandbox(SandboxMode.SUBPROCESS, ws, List.of(), List.of(), List.of(), true, LIMITS, null);
    SandboxLauncher.LaunchPlan plan = SandboxLauncher.plan(sb, COMMAND, ws, env, false, ROOT);
    List<String> expected = new ArrayList<>(List.of("/usr/bin/prlimit", "--nproc=50", "--fsize=1000000", "--cpu=77",
        "--"));
    expected.addAll(COMMAND);
    assertEquals(expected, plan.argv());
    assertEquals(env, plan.env());
  }

  @Test
  void subprocessWithoutPrlimitRunsTheCommandAsGiven() throws Exception {
    Sandbox sb = Sandbox.subprocess(ws);
    SandboxLauncher.LaunchPlan plan = SandboxLauncher.plan(sb, COMMAND, ws, env, false, new HostTools(0, null, null));
    assertEquals(COMMAND, plan.argv());
  }

  @Test
  void aNonRootUidGetsItsOwnTasksOnTopOfTheProcessLimit() {
    long tasks = ResourceLimits.tasksOf(HostTools.current().uid());
    // This JVM alone runs several threads under that uid.
    assertTrue(tasks >= Thread.activeCount(), tasks + " tasks");
    assertEquals(List.of("/usr/bin/prlimit", "--nproc=50", "--fsize=1000000", "--cpu=77", "--"),
        ResourceLimits.prefix(LIMITS, USER, true));
  }

  @Test
  void bubblewrapUnderRootHasTheWholeConfinement() throws Exception {
    SandboxLauncher.LaunchPlan plan = SandboxLauncher.plan(bubblewrap(false, List.of(), List.of()), COMMAND, ws,
        env, false, ROOT);
    List<String> a = plan.argv();
    assertEquals(List.of(BWRAP, "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc",
        "--unshare-uts", "--unshare-cgroup-try", "--unshare-net", "--hostname", "partyclaw-sandbox"), a.subList(0, 10));
    for (String d : BubblewrapArgs.SYSTEM_DIRS) {
      Path p = Path.of(d);
      if (Files.isSymbolicLink(p)) {
        assertContains(a, "--symlink", Files.readSymbolicLink(p).toString(), d);
      } else if (Files.isDirectory(p)) {
        assertContains(a, "--ro-bind", d, d);
      } else {
        assertFalse(a.contains(d), d + " does not exist here and is not mentioned");
      }
    }
    assertContains(a, "--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp");
    assertContains(a, "--perms", "0755", "--dir", "/var", "--perms", "1777", "--tmpfs", "/var/tmp");
    assertContains(a, "--perms", "0755", "--dir", "/home", "--perms", "1777", "--tmpfs", "/home/sandbox");
    // Every directory on the way to the workspace is made 0755, then the workspace is bound read-write.
    List<String> wsBind = new ArrayList<>();
    for (int i = 1; i < ws.getNameCount(); i++) {
      String dir = "/" + ws.subpath(0, i);
      if (dir.equals("/tmp")) continue; // the tmpfs
      wsBind.addAll(List.of("--perms", "0755", "--dir", dir));
    }
    wsBind.addAll(List.of("--bind", ws.toString(), ws.toString()));
    assertContains(a, wsBind.toArray(String[]::new));
    List<String> tail = new ArrayList<>(List.of("--chdir", ws.toString(), "--clearenv",
        "--setenv", "HOME", "/home/sandbox",
        "--setenv", "LANG", "C.UTF-8",
        "--setenv", "PARTYCLAW_EXEC", "exec-1",
        "--setenv", "PARTYCLAW_EXEC_COMMAND", "echo hi",
        "--setenv", "PARTYCLAW_RUN", "run-1",
        "--setenv", "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "--setenv", "TERM", "dumb",
        "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP",
        "--cap-add", "CAP_DAC_READ_SEARCH", "--",
        "/usr/bin/setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", "--inh-caps=-all",
        "--bounding-set=-all", "--no-new-privs", "--",
        "/usr/bin/prlimit", "--nproc=50", "--fsize=1000000", "--cpu=77", "--"));
    tail.addAll(COMMAND);
    assertEquals(tail, a.subList(a.size() - tail.size(), a.size()));
    assertEquals(1, Collections.frequency(a, "--clearenv"));
    assertFalse(a.contains("--unshare-user"), "root needs no user namespace");
    assertFalse(String.join(" ", a).contains("canary-value"));
    assertFalse(String.join(" ", a).contains("sk-secret"));
    // bwrap itself is started with the same allow-listed environment (it is PID 1 inside).
    assertEquals(Map.of("HOME", "/home/sandbox", "LANG", "C.UTF-8", "PARTYCLAW_EXEC", "exec-1",
        "PARTYCLAW_EXEC_COMMAND", "echo hi", "PARTYCLAW_RUN", "run-1",
        "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM", "dumb"), plan.env());
  }

  @Test
  void networkAndTerminalChangeOnlyTheirFlags() throws Exception {
    List<String> closed = SandboxLauncher.plan(bubblewrap(false, List.of(), List.of()), COMMAND, ws, env, false, ROOT)
        .argv();
    List<String> open = SandboxLauncher.plan(bubblewrap(true, List.of(), List.of()), COMMAND, ws, env, false, ROOT)
        .argv();
    List<String> tty = SandboxLauncher.plan(bubblewrap(false, List.of(), List.of()), COMMAND, ws, env, true, ROOT)
        .argv();
    List<String> withoutNet = new ArrayList<>(closed);
    withoutNet.remove("--unshare-net");
    assertEquals(withoutNet, open);
    List<String> withoutSession = new ArrayList<>(closed);
    withoutSession.remove("--new-session");
    assertEquals(withoutSession, tty);
  }

  @Test
  void bubblewrapUnderAUserUsesAUserNamespaceAndKeepsTheUid() throws Exception {
    List<String> a = SandboxLauncher.plan(bubblewrap(false, List.of(), List.of()), COMMAND, ws, env, false, USER)
        .argv();
    assertContains(a, "--unshare-net", "--unshare-user", "--hostname");
    assertContains(a, "--perms", "0700", "--tmpfs", "/home/sandbox");
    List<String> tail = new ArrayList<>(List.of("--cap-drop", "ALL", "--",
        "/usr/bin/prlimit", "--nproc=50", "--fsize=1000000", "--cpu=77", "--"));
    tail.addAll(COMMAND);
    assertEquals(tail, a.subList(a.size() - tail.size(), a.size()));
    assertFalse(a.contains("/usr/bin/setpriv"));
  }

  @Test
  void mountsAreBoundAsMountedAfterTheirParentsAndMissingReadOnlyPathsAreSkipped() throws Exception {
    Path ro = Files.createDirectories(tmp.resolve("data/ro")).toRealPath();
    Path rw = Files.createDirectories(tmp.resolve("data/rw")).toRealPath();
    Path skills = Files.createDirectories(tmp.resolve("skills")).toRealPath();
    Path inWs = Files.createDirectories(ws.resolve("vendor"));
    Sandbox sb = bubblewrap(true, List.of(new LocalMount(ro, true), new LocalMount(rw, false),
        new LocalMount(inWs, true)), List.of(skills, tmp.resolve("missing")));
    List<String> a = SandboxLauncher.plan(sb, COMMAND, rw, env, false, ROOT).argv();
    String data = tmp.toRealPath().resolve("data").toString();
    assertContains(a, "--perms", "0755", "--dir", data, "--ro-bind", ro.toString(), ro.toString());
    assertContains(a, "--bind", rw.toString(), rw.toString());
    assertContains(a, "--ro-bind", skills.toString(), skills.toString());
    assertContains(a, "--ro-bind", inWs.toString(), inWs.toString());
    assertTrue(a.indexOf(inWs.toString()) > a.indexOf(ws.toString()), "the folder inside the workspace comes later");
    assertFalse(String.join(" ", a).contains("missing"));
    assertContains(a, "--chdir", rw.toString());
  }

  @Test
  void whatCannotBeSandboxedIsOneClearLine() throws Exception {
    Path gone = tmp.resolve("gone");
    ToolException e = assertThrows(ToolException.class, () -> SandboxLauncher.plan(
        bubblewrap(false, List.of(new LocalMount(gone, false)), List.of()), COMMAND, ws, env, false, ROOT));
    assertEquals("the mounted folder " + gone + " does not exist (any more); unmount it or create it again",
        e.getMessage());

    Path above = ws.getParent();
    e = assertThrows(ToolException.class, () -> SandboxLauncher.plan(
        bubblewrap(false, List.of(new LocalMount(above, true)), List.of()), COMMAND, ws, env, false, ROOT));
    assertEquals("the mounted folder " + above + " contains the conversation workspace, so it would expose the "
        + "daemon's own files to the sandbox; choose a folder that does not contain " + ws, e.getMessage());

    e = assertThrows(ToolException.class, () -> SandboxLauncher.plan(
        bubblewrap(false, List.of(new LocalMount(Path.of("/proc/self"), true)), List.of()), COMMAND, ws, env, false,
        ROOT));
    assertTrue(e.getMessage().contains("is under the host's /proc"), e.getMessage());

    Path missingCwd = ws.resolve("nope");
    e = assertThrows(ToolException.class, () -> SandboxLauncher.plan(bubblewrap(false, List.of(), List.of()),
        COMMAND, missingCwd, env, false, ROOT));
    assertEquals("working directory " + missingCwd + " does not exist or is not a directory", e.getMessage());

    Path outside = Files.createDirectories(tmp.resolve("outside"));
    e = assertThrows(ToolException.class, () -> SandboxLauncher.plan(bubblewrap(false, List.of(), List.of()),
        COMMAND, outside, env, false, ROOT));
    assertEquals("working directory " + outside + " is not visible in the sandbox; use a folder of the workspace "
        + "or of a mounted folder", e.getMessage());

    Sandbox noBwrap = new Sandbox(SandboxMode.BUBBLEWRAP, ws, List.of(), List.of(), List.of(), false, LIMITS,
        "no-such-bwrap-binary");
    e = assertThrows(ToolException.class, () -> SandboxLauncher.plan(noBwrap, COMMAND, ws, env, false, ROOT));
    assertEquals("the bubblewrap binary 'no-such-bwrap-binary' was not found; install bubblewrap or use sandbox "
        + "mode subprocess", e.getMessage());

    e = assertThrows(ToolException.class, () -> SandboxLauncher.plan(bubblewrap(false, List.of(), List.of()),
        COMMAND, ws, env, false, new HostTools(0, null, "/usr/bin/prlimit")));
    assertTrue(e.getMessage().startsWith("the bubblewrap sandbox of a daemon running as root needs setpriv"),
        e.getMessage());
  }

  @Test
  void aMissingBinaryIsReportedUnavailable() {
    SandboxLauncher.Availability a = SandboxLauncher.bubblewrap("/nonexistent/bwrap");
    assertFalse(a.available());
    assertEquals("bubblewrap binary '/nonexistent/bwrap' was not found or is not executable", a.reason());
  }

  /** {@code list} holds {@code seq} as consecutive elements. */
  static void assertContains(List<String> list, String... seq) {
    assertTrue(Collections.indexOfSubList(list, List.of(seq)) >= 0,
        "expected " + List.of(seq) + " in " + list);
  }
}
