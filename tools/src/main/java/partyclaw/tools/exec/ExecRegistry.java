package partyclaw.tools.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import partyclaw.core.sandbox.Sandbox;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.TurnProcesses;

/**
 * The exec processes of one conversation, addressed by exec_id. Lives in the conversation's
 * {@link partyclaw.core.tool.ConversationResources}, so processes outlive the turn that started them;
 * closing it (conversation destroyed, daemon stopping) kills every process tree it still holds.
 *
 * <p>Every process is recorded in the workdir while it runs (see {@link ExecRun}). A finished exec stays
 * addressable for {@link ExecRun.ExecRetention#keepFinished} and at most {@link ExecRun.ExecRetention#maxFinished}
 * of them per conversation; then its record and its output files are removed (the reference keeps both forever).
 */
public final class ExecRegistry implements AutoCloseable, TurnProcesses {
  private final ExecRun run;
  private final String conversationId;
  private final Map<String, ExecProcess> processes = new ConcurrentHashMap<>();
  /** exec_id → the turn that started it: a stopped turn takes its processes with it. */
  private final Map<String, String> startedByTurn = new ConcurrentHashMap<>();
  private final ExecutorService stdinWriters = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "exec-stdin-writer");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;
  private volatile boolean oldFilesSwept;

  ExecRegistry(ExecRun run, String conversationId) {
    this.run = run;
    this.conversationId = conversationId;
  }

  /** The registry of the calling conversation, created on first use. */
  static ExecRegistry of(ToolContext ctx, ExecRun run) {
    return ctx.resources().get(ExecRegistry.class, () -> new ExecRegistry(run, ctx.conversationId()));
  }

  ExecProcess start(String command, Path cwd, boolean tty, Map<String, String> env, Path workspaceRoot,
      Sandbox sandbox, String turnId) throws ToolException {
    if (closed) {
      throw new ToolException("this conversation's processes are shutting down; no new command can be started");
    }
    evictFinished();
    if (!oldFilesSwept) {
      oldFilesSwept = true;
      deleteOldOutputFiles(workspaceRoot);
    }
    String id = UUID.randomUUID().toString();
    ExecProcess p = ExecProcess.spawn(id, command, cwd, tty, env, run.id(), ExecFiles.under(workspaceRoot, id),
        sandbox, run.retention().clock());
    try {
      if (p.pid().isPresent()) record(p);
    } catch (ToolException e) {
      // A process the next run could not find after a crash must not be left running.
      p.watch(run.retention().clock(), () -> { });
      killQuietly(p);
      throw e;
    }
    processes.put(id, p);
    if (turnId != null && !turnId.isEmpty()) startedByTurn.put(id, turnId);
    p.watch(run.retention().clock(), () -> ExecRecord.delete(run.recordsDir(), id));
    // close() may have run while the process was starting; it must not escape the sweep.
    if (closed) killQuietly(p);
    return p;
  }

  /**
   * Writes the process's record before anyone learns its exec_id; the caller kills a process that cannot be
   * recorded, and the start fails.
   */
  private void record(ExecProcess p) throws ToolException {
    long pid = p.pid().orElseThrow();
    try {
      new ExecRecord(run.id(), conversationId, p.id(), pid, p.pgid(), p.startTime()).write(run.recordsDir());
    } catch (IOException e) {
      throw new ToolException("the command was killed as soon as it started: it could not be recorded under " + run.recordsDir()
          + " (a process the daemon cannot find again after a crash is never left running)");
    }
  }

  ExecProcess require(String execId) throws ToolException {
    evictFinished();
    ExecProcess p = processes.get(execId);
    if (p == null) {
      throw new ToolException("exec process " + execId + " no longer exists; it may have already finished, been "
          + "killed, or been terminated when the main runtime shut down");
    }
    return p;
  }

  ExecutorService stdinWriters() {
    return stdinWriters;
  }

  /**
   * Forgets the finished execs that are past their retention or beyond the per-conversation cap (oldest first)
   * and deletes their output files.
   */
  void evictFinished() {
    ExecRun.ExecRetention retention = run.retention();
    long now = retention.clock().millis();
    List<ExecProcess> finished = processes.values().stream()
        .filter(p -> p.finishedAt() >= 0)
        .sorted(Comparator.comparingLong(ExecProcess::finishedAt))
        .toList();
    int excess = finished.size() - retention.maxFinished();
    for (ExecProcess p : finished) {
      boolean expired = now - p.finishedAt() >= retention.keepFinished().toMillis();
      if (excess > 0 || expired) {
        forget(p);
        excess--;
      }
    }
  }

  /**
   * Output files an earlier run left in the workspace are kept as long as a finished exec's would be, so the
   * paths the model was given stay readable for a while after a restart, and then deleted.
   */
  private void deleteOldOutputFiles(Path workspaceRoot) {
    long cutoff = run.retention().clock().millis() - run.retention().keepFinished().toMillis();
    Path dir = workspaceRoot.resolve(ExecFiles.DIR);
    if (!Files.isDirectory(dir)) return;
    try (var files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String id = stripSuffix(f.getFileName().toString());
        if (processes.containsKey(id) || !Files.isRegularFile(f)) continue;
        if (Files.getLastModifiedTime(f).toMillis() < cutoff) Files.deleteIfExists(f);
      }
    } catch (IOException ignored) {
      // tried again by no one: a later run sweeps what is left
    }
  }

  private static String stripSuffix(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  private void forget(ExecProcess p) {
    processes.remove(p.id());
    startedByTurn.remove(p.id());
    try {
      Files.deleteIfExists(p.files().stdout());
      Files.deleteIfExists(p.files().stderr());
    } catch (IOException ignored) {
      // the workspace may have been removed or made read-only; the record is forgotten all the same
    }
  }

  @Override
  public List<String> runningStartedBy(String turnId) {
    return processes.values().stream()
        .filter(p -> turnId.equals(startedByTurn.get(p.id())) && p.isRunning())
        .map(p -> p.command() + p.pid().map(pid -> " (pid " + pid + ")").orElse(""))
        .toList();
  }

  @Override
  public void killStartedBy(String turnId) {
    processes.values().stream()
        .filter(p -> turnId.equals(startedByTurn.get(p.id())) && p.isRunning())
        .forEach(ExecRegistry::killQuietly);
  }

  @Override
  public long runningCount() {
    return processes.values().stream().filter(ExecProcess::isRunning).count();
  }

  @Override
  public List<String> describeRunning() {
    return processes.values().stream().filter(ExecProcess::isRunning)
        .sorted(java.util.Comparator.comparingLong(ExecProcess::startTime))
        .map(p -> "exec_id=" + p.id() + " pid=" + p.pid().map(String::valueOf).orElse("?") + " tty=" + p.tty()
            + " cwd=" + p.cwd() + " command=" + p.command())
        .toList();
  }

  /**
   * Kills every running command with everything it started, and what finished commands left running in the
   * background (the latter found in one look at the process table, not one per command).
   */
  @Override
  public void close() {
    closed = true;
    List<ExecProcess> all = List.copyOf(processes.values());
    all.stream().filter(ExecProcess::isRunning).forEach(ExecRegistry::killQuietly);
    ExecProcess.killLeftovers(all.stream().filter(p -> !p.isRunning()).map(ExecProcess::id)
        .collect(java.util.stream.Collectors.toSet()));
    processes.clear();
    stdinWriters.shutdownNow();
  }

  private static void killQuietly(ExecProcess p) {
    try {
      p.kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
