package partyclaw.tools.exec;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;

/**
 * The exec processes of one conversation, addressed by exec_id. Lives in the conversation's
 * {@link partyclaw.core.tool.ConversationResources}, so processes outlive the turn that started them;
 * closing it (conversation destroyed, daemon stopping) kills every process tree it still holds.
 */
public final class ExecRegistry implements AutoCloseable, partyclaw.core.tool.TurnProcesses {
  private final Map<String, ExecProcess> processes = new ConcurrentHashMap<>();
  /** exec_id → the turn that started it: a stopped turn takes its processes with it. */
  private final Map<String, String> startedByTurn = new ConcurrentHashMap<>();
  private final ExecutorService stdinWriters = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "exec-stdin-writer");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;

  /** The registry of the calling conversation, created on first use. */
  public static ExecRegistry of(ToolContext ctx) {
    return ctx.resources().get(ExecRegistry.class, ExecRegistry::new);
  }

  ExecProcess start(String command, Path cwd, boolean tty, Map<String, String> env, Path workspaceRoot,
      String turnId) throws ToolException {
    if (closed) {
      throw new ToolException("this conversation's processes are shutting down; no new command can be started");
    }
    String id = UUID.randomUUID().toString();
    ExecProcess p = ExecProcess.spawn(id, command, cwd, tty, env, ExecFiles.under(workspaceRoot, id));
    processes.put(id, p);
    if (turnId != null && !turnId.isEmpty()) startedByTurn.put(id, turnId);
    // close() may have run while the process was starting; it must not escape the sweep.
    if (closed) killQuietly(p);
    return p;
  }

  ExecProcess require(String execId) throws ToolException {
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

  @Override
  public java.util.List<String> runningStartedBy(String turnId) {
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
  public void close() {
    closed = true;
    processes.values().forEach(ExecRegistry::killQuietly);
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
