package partyclaw.core.tool;

import java.util.List;

/**
 * The processes a conversation's turns started and that outlive the tool call (exec_start), as the runtime sees
 * them: a stopped or interrupted turn takes its processes with it. Implemented by the exec tools' registry and
 * found in {@link ConversationResources} under this type.
 */
public interface TurnProcesses {

  /** "command (pid N)" of every process started by {@code turnId} that still runs. */
  List<String> runningStartedBy(String turnId);

  /** Kills (whole process groups) every process started by {@code turnId}; blocks for seconds at most. */
  void killStartedBy(String turnId);

  /** Number of processes still running, whoever started them. */
  long runningCount();

  /**
   * One line per running process ({@code exec_id, pid, tty, cwd, command}), for the {@code [Active Runtime Tasks]}
   * a compaction lists so later turns reuse the ids instead of starting the work again.
   */
  List<String> describeRunning();
}
