package partyclaw.tools.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills this run's tool processes as soon as the daemon dies, however it dies: a small shell, in its own session,
 * blocks reading a pipe that only the daemon holds open; the kernel closes it when the daemon ends (even after
 * {@code kill -9}), and the shell then kills every process carrying {@code PARTYCLAW_RUN=<this run>} — which also
 * finds children that left the process group. Without it, a cluster node's {@code exec} processes would run on
 * unmanaged after the node died while their conversation, resumed on another node, tells the model they ended;
 * on a single node the next start's {@link StaleProcessSweeper} remains the backstop.
 */
public final class RunReaper {
  private static final Logger log = LoggerFactory.getLogger(RunReaper.class);
  /** Rounds of killing: a process may fork between two looks. {@code $1} is the run id. */
  static final String SCRIPT = """
      cat >/dev/null
      round=0
      while [ $round -lt 20 ]; do
        round=$((round + 1))
        found=0
        for environ in /proc/[0-9]*/environ; do
          pid=${environ#/proc/}; pid=${pid%/environ}
          [ "$pid" = "$$" ] && continue
          if grep -qzxF "PARTYCLAW_RUN=$1" "$environ" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null && found=1
          fi
        done
        [ $found = 0 ] && break
      done
      """;
  /** Held for the life of the JVM: closing (or collecting) its stdin would set the reaper off. */
  private static volatile Process reaper;

  private RunReaper() {}

  /** Starts the reaper of {@code run} once per JVM; logs and goes on without one if it cannot start. */
  public static synchronized void start(ExecRun run) {
    if (reaper != null) return;
    List<String> command = new ArrayList<>();
    // Its own session: a terminal's Ctrl-C to the daemon's process group must not take the reaper with it.
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) command.add("/usr/bin/setsid");
    command.addAll(List.of("/bin/sh", "-c", SCRIPT, "partyclaw-reaper", run.id()));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().remove(ExecRun.RUN_ENV);
    try {
      reaper = pb.start();
      log.info("tool processes of run {} are killed when this daemon ends (reaper pid {})", run.id(), reaper.pid());
    } catch (IOException e) {
      log.warn("cannot start the reaper of run {} ({}); tool processes left by a crash are killed at the next start "
          + "only", run.id(), e.toString());
    }
  }
}
