package partyclaw.tools.exec;

import com.pty4j.PtyProcessBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import partyclaw.core.sandbox.Sandbox;
import partyclaw.core.tool.ToolException;
import partyclaw.tools.sandbox.SandboxLauncher;
import partyclaw.tools.sandbox.SpawnThread;

/**
 * One command started by exec_start: the OS process, its output files and what is known about how it ended.
 * The process outlives the turn that started it; a watcher thread records its exit.
 */
final class ExecProcess {
  /** Env var carrying the command, so it reaches the shell without a second round of quoting. */
  static final String COMMAND_ENV = "PARTYCLAW_EXEC_COMMAND";
  static final int KILLED_RETURNCODE = -9;
  static final long INPUT_WRITE_TIMEOUT_MILLIS = 10_000;

  /** What a snapshot needs to know about the process at one instant. */
  record Status(Long pid, boolean running, boolean completed, Integer returncode, boolean stdinClosed,
      boolean failed, String error, boolean killed) {}

  private final String id;
  private final String command;
  private final Path cwd;
  private final boolean tty;
  private final ExecFiles files;
  private final Process process;
  private final String spawnError;
  /** The process group it leads, or 0 when it could not get one of its own (no setsid binary). */
  private final long pgid;
  /** Start time of the shell (clock ticks since boot, /proc/pid/stat field 22); -1 if it was gone at once. */
  private final long startTime;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private volatile boolean killed;
  private volatile boolean stdinClosed;
  /** Epoch millis of the end (or of the failed start): when the record may be evicted; -1 while running. */
  private volatile long finishedAt = -1;
  private volatile String remote = "local";
  private volatile String shownCommand;
  private volatile String shownCwd;

  private ExecProcess(String id, String command, Path cwd, boolean tty, ExecFiles files, Process process,
      long pgid, String spawnError) {
    this.startTime = process == null ? -1
        : ProcessTable.read(process.pid()).map(ProcessTable.Proc::startTime).orElse(-1L);
    this.id = id;
    this.command = command;
    this.cwd = cwd;
    this.tty = tty;
    this.files = files;
    this.process = process;
    this.pgid = pgid;
    this.spawnError = spawnError;
  }

  /**
   * Starts {@code sh -c 'eval "$PARTYCLAW_EXEC_COMMAND"'} through the conversation's sandbox
   * ({@link SandboxLauncher}) in a process group of its own (through {@code setsid}; pty4j makes a terminal's
   * process a session leader itself), so that a kill reaches everything it started and an earlier run's leftovers
   * can be found by group. In a bubblewrap sandbox the group's leader is bwrap: killing it ends the sandbox's PID
   * namespace and with it every process inside. A start failure (missing cwd, no shell, a sandbox that cannot be
   * set up) is not thrown: it becomes a process whose snapshot says {@code failed:true} with the reason, as in the
   * reference. The exit is not watched yet: {@link #watch} is called once the process is recorded, so the record's
   * removal on exit can never come before its creation.
   */
  static ExecProcess spawn(String id, String command, Path cwd, boolean tty, Map<String, String> baseEnv,
      String runId, ExecFiles files, Sandbox sandbox, Clock clock) throws ToolException {
    files.create();
    Map<String, String> env = new HashMap<>(baseEnv);
    env.put(COMMAND_ENV, command);
    env.put(ExecRun.RUN_ENV, runId);
    env.put(ExecRun.EXEC_ENV, id);
    // Full-screen and colour-aware programs look at TERM; it is no secret, so supply one if the env has none.
    if (tty) env.putIfAbsent("TERM", "xterm-256color");
    List<String> shell = List.of("sh", "-c", "eval \"$" + COMMAND_ENV + "\"");
    if (!Files.isDirectory(cwd)) {
      return failed(id, command, cwd, tty, files, clock, "failed to start the command: working directory " + cwd
          + " does not exist or is not a directory");
    }
    SandboxLauncher.LaunchPlan plan;
    try {
      SandboxLauncher.prepareWorkspace(sandbox);
      plan = SandboxLauncher.plan(sandbox, shell, cwd, env, tty);
    } catch (ToolException e) {
      return failed(id, command, cwd, tty, files, clock, "failed to start the command: " + e.getMessage());
    }
    Process p;
    boolean ownGroup;
    try {
      if (tty) {
        p = SpawnThread.start(() -> startTty(plan.argv(), plan.env(), cwd));
        ownGroup = true;
      } else {
        ownGroup = SETSID != null;
        List<String> argv = ownGroup ? withSetsid(plan.argv()) : plan.argv();
        p = SpawnThread.start(() -> startPiped(argv, plan.env(), cwd, files));
      }
    } catch (IOException | RuntimeException e) {
      return failed(id, command, cwd, tty, files, clock, "failed to start the command: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(id, command, cwd, tty, files, clock, "the command was not started: the turn was interrupted");
    }
    // setsid execs the next program without forking (the child of the JVM is no group leader), so pid = pgid.
    return new ExecProcess(id, command, cwd, tty, files, p, ownGroup ? p.pid() : 0, null);
  }

  private static List<String> withSetsid(List<String> argv) {
    List<String> out = new ArrayList<>(argv.size() + 1);
    out.add(SETSID);
    out.addAll(argv);
    return out;
  }

  /** util-linux's setsid, looked up once where a system keeps it; null if this system has none. */
  private static final String SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid", "/usr/sbin/setsid", "/sbin/setsid")
      .filter(f -> Files.isExecutable(Path.of(f)))
      .findFirst()
      .orElse(null);

  private static ExecProcess failed(String id, String command, Path cwd, boolean tty, ExecFiles files, Clock clock,
      String why) {
    ExecProcess ep = new ExecProcess(id, command, cwd, tty, files, null, 0, why);
    ep.stdinClosed = true;
    ep.finishedAt = clock.millis();
    return ep;
  }

  private static Process startPiped(List<String> argv, Map<String, String> env, Path cwd, ExecFiles files)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    // The child writes straight into the files: output keeps landing there even between our observations.
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(files.stdout().toFile()));
    pb.redirectError(ProcessBuilder.Redirect.appendTo(files.stderr().toFile()));
    return pb.start();
  }

  private static Process startTty(List<String> argv, Map<String, String> env, Path cwd) throws IOException {
    return new PtyProcessBuilder(argv.toArray(String[]::new))
        .setEnvironment(env)
        .setDirectory(cwd.toString())
        .setInitialColumns(80)
        .setInitialRows(24)
        .setRedirectErrorStream(true)
        .setConsole(false)
        .setUnixOpenTtyToPreserveOutputAfterTermination(true)
        .start();
  }

  /**
   * Records the exit (after a tty's output has been copied out) on a watcher thread of its own, then runs
   * {@code onExit}. A process that failed to start has nothing to watch.
   */
  void watch(Clock clock, Runnable onExit) {
    if (process == null) return;
    Thread pump = tty ? daemon("exec-" + id + "-pty", this::pumpPty) : null;
    daemon("exec-" + id + "-exit", () -> {
      int code;
      try {
        code = process.waitFor();
      } catch (InterruptedException e) {
        return;
      }
      if (pump != null) {
        try {
          // A background child may hold the terminal open; the final output of the command itself arrives
          // well within this bound.
          pump.join(1000);
        } catch (InterruptedException ignored) {
          // completes below anyway
        }
      }
      stdinClosed = true;
      closeQuietly(process.getOutputStream());
      finishedAt = clock.millis();
      exit.complete(code);
      onExit.run();
    });
  }

  private void pumpPty() {
    try (InputStream in = process.getInputStream();
        OutputStream out = Files.newOutputStream(files.stdout(), StandardOpenOption.APPEND)) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // EIO once the last holder of the terminal has gone: the normal end of a pty
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  String id() {
    return id;
  }

  String command() {
    return command;
  }

  Path cwd() {
    return cwd;
  }

  /**
   * A remote command runs as a local {@code ssh} process; the model is shown the command, host and directory it
   * asked for instead of that ssh command line.
   */
  void showAsRemote(String host, String command, String cwd) {
    this.remote = host;
    this.shownCommand = command;
    this.shownCwd = cwd;
  }

  /** {@code local}, or the SSH host the command runs on. */
  String remote() {
    return remote;
  }

  String shownCommand() {
    return shownCommand != null ? shownCommand : command;
  }

  String shownCwd() {
    return shownCwd != null ? shownCwd : cwd.toString();
  }

  boolean tty() {
    return tty;
  }

  ExecFiles files() {
    return files;
  }

  boolean isRunning() {
    return process != null && !exit.isDone();
  }

  long startTime() {
    return startTime;
  }

  long pgid() {
    return pgid;
  }

  /** Epoch millis at which it ended or failed to start; -1 while it runs. */
  long finishedAt() {
    return finishedAt;
  }

  Optional<Long> pid() {
    return process == null ? Optional.empty() : Optional.of(process.pid());
  }

  Status status() {
    if (process == null) {
      return new Status(null, false, false, null, true, true, spawnError, false);
    }
    Integer code = exit.getNow(null);
    boolean done = exit.isDone();
    Integer returncode = done ? (killed ? Integer.valueOf(KILLED_RETURNCODE) : code) : null;
    return new Status(process.pid(), !done, done, returncode, stdinClosed || done, false, null, killed && done);
  }

  /** Waits up to {@code millis} for the process to end; true if it has. */
  boolean awaitExit(long millis) throws InterruptedException {
    if (process == null) return true;
    try {
      exit.get(Math.max(0, millis), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }

  /**
   * SIGKILLs everything the command started: its process group, its descendants (a child may have made a group of
   * its own) and any process still carrying this exec's marker (one that also left the tree), repeated while a
   * live one can still fork; the command itself last. Returns true if the process itself was still running.
   */
  boolean kill() throws InterruptedException {
    if (process == null) return false;
    boolean wasRunning = isRunning();
    if (wasRunning) killed = true;
    killFamily();
    if (!wasRunning) return false;
    process.destroyForcibly();
    // What the shell forked after the last look, now re-parented but still in its group and carrying its marker.
    killFamily();
    // Normally reaped within milliseconds; if not, the snapshot shows the kill once the watcher sees the exit.
    awaitExit(5_000);
    return true;
  }

  /** How long a level of the tree is given to be reaped by its parents before the parents are killed. */
  private static final long REAP_WAIT_MILLIS = 100;

  /**
   * Kills the family deepest first, giving each level of the tree a moment to be reaped by its still living
   * parents: a process whose parent dies first is left to init, and not every init reaps (in a container the
   * zombie would stay, and a zombie still counts as alive to {@link ProcessHandle#isAlive}).
   */
  private void killFamily() throws InterruptedException {
    for (int round = 0; round < 10; round++) {
      List<Member> family = family();
      if (family.isEmpty()) return;
      TreeMap<Integer, List<ProcessTable.Proc>> byDepth = new TreeMap<>(Comparator.reverseOrder());
      for (Member m : family) byDepth.computeIfAbsent(m.depth(), d -> new ArrayList<>()).add(m.proc());
      for (Map.Entry<Integer, List<ProcessTable.Proc>> level : byDepth.entrySet()) {
        level.getValue().forEach(ProcessTable::kill);
        if (level.getKey() != OUTSIDE_TREE) awaitReaped(level.getValue());
      }
    }
  }

  private static void awaitReaped(List<ProcessTable.Proc> procs) throws InterruptedException {
    long deadline = System.nanoTime() + REAP_WAIT_MILLIS * 1_000_000;
    while (System.nanoTime() < deadline) {
      boolean allGone = procs.stream().allMatch(p ->
          ProcessTable.read(p.pid()).filter(now -> now.startTime() == p.startTime()).isEmpty());
      if (allGone) return;
      Thread.sleep(2);
    }
  }

  /** Depth of a process outside the command's tree (in its group or carrying its marker): killed first. */
  private static final int OUTSIDE_TREE = Integer.MAX_VALUE;

  /** A process of the command's family and its depth below the command (1 = a child). */
  private record Member(ProcessTable.Proc proc, int depth) {}

  /** Kills every process still carrying the marker of one of {@code execIds}: what finished commands left behind. */
  static void killLeftovers(Set<String> execIds) {
    if (execIds.isEmpty()) return;
    int uid = ProcessTable.ownUid();
    long self = ProcessHandle.current().pid();
    for (int round = 0; round < 10; round++) {
      List<ProcessTable.Proc> left = ProcessTable.all().stream()
          .filter(p -> !p.zombie() && p.uid() == uid && p.pid() != self)
          .filter(p -> p.environ(ExecRun.EXEC_ENV).filter(execIds::contains).isPresent())
          .toList();
      if (left.isEmpty()) return;
      left.forEach(ProcessTable::kill);
    }
  }

  /** The live processes of the command, without the command itself. */
  private List<Member> family() {
    List<ProcessTable.Proc> all = ProcessTable.all();
    Map<Long, List<ProcessTable.Proc>> children = new HashMap<>();
    for (ProcessTable.Proc p : all) children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
    long root = process.pid();
    Set<Long> seen = new HashSet<>();
    seen.add(root);
    List<Member> out = new ArrayList<>();
    ArrayDeque<Member> tree = new ArrayDeque<>();
    if (isRunning()) {
      for (ProcessTable.Proc c : children.getOrDefault(root, List.of())) tree.add(new Member(c, 1));
    }
    while (!tree.isEmpty()) {
      Member m = tree.poll();
      if (!seen.add(m.proc().pid())) continue;
      if (!m.proc().zombie()) out.add(m);
      for (ProcessTable.Proc c : children.getOrDefault(m.proc().pid(), List.of())) {
        tree.add(new Member(c, m.depth() + 1));
      }
    }
    // Once the shell is gone its pid can only be taken by another process while no member of its group is left
    // (the kernel keeps a group's id reserved): a live process with that pid means the group is no longer ours.
    boolean groupIsOurs = pgid > 0 && (isRunning() || all.stream().noneMatch(p -> p.pid() == pgid));
    int uid = ProcessTable.ownUid();
    long self = ProcessHandle.current().pid();
    for (ProcessTable.Proc p : all) {
      if (p.zombie() || p.uid() != uid || p.pid() == self || seen.contains(p.pid())) continue;
      boolean inGroup = groupIsOurs && p.pgid() == pgid;
      // Only a process started after the shell can carry its marker: the environment of no older one is read.
      boolean marked = !inGroup && (startTime < 0 || p.startTime() >= startTime)
          && p.environ(ExecRun.EXEC_ENV).filter(id::equals).isPresent();
      if (inGroup || marked) {
        seen.add(p.pid());
        out.add(new Member(p, OUTSIDE_TREE));
      }
    }
    return out;
  }

  /** Writes {@code input} verbatim (no newline added) to the command's stdin, pipe or terminal alike. */
  void writeInput(String input, Executor writer) throws ToolException, InterruptedException {
    if (!isRunning() || stdinClosed) throw new ToolException("stdin is closed for exec process " + id);
    byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
    OutputStream stdin = process.getOutputStream();
    // A process that does not read its stdin would block the write forever once the pipe is full.
    CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
      try {
        stdin.write(bytes);
        stdin.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, writer);
    try {
      done.get(INPUT_WRITE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ToolException("writing input to exec process " + id + " did not finish within "
          + INPUT_WRITE_TIMEOUT_MILLIS / 1000 + " s; the process is not reading its stdin");
    } catch (ExecutionException e) {
      stdinClosed = true;
      throw new ToolException("stdin is closed for exec process " + id);
    }
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException ignored) {
      // already closed by the exit of the process
    }
  }
}
