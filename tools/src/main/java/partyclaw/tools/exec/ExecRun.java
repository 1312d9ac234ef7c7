package partyclaw.tools.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import partyclaw.core.util.AtomicFiles;

/**
 * One run of the daemon on a workdir, as its tool processes are concerned. Every tool process carries
 * {@code PARTYCLAW_RUN=<id>} in its environment, and every exec process is recorded under
 * {@code <workdir>/run/exec/} while it runs, so that after a crash the next run finds and kills what this one left
 * behind ({@link StaleProcessSweeper}). The run id itself is written to {@code <workdir>/run/runs/} before any
 * process can carry it: only ids recorded there are ever swept, so the tool processes of another daemon on the same
 * machine (another workdir) are never touched.
 */
public final class ExecRun {
  /** Environment variable naming the daemon run a tool process belongs to. */
  public static final String RUN_ENV = "PARTYCLAW_RUN";
  /** Environment variable naming the exec a process belongs to, so exec_kill finds children that left the tree. */
  static final String EXEC_ENV = "PARTYCLAW_EXEC";

  private final String id;
  private final Path runDir;
  private final ExecRetention retention;

  private ExecRun(String id, Path runDir, ExecRetention retention) {
    this.id = id;
    this.runDir = runDir;
    this.retention = retention;
  }

  /** A new run on {@code workdir}, with its id recorded durably there. */
  public static ExecRun start(Path workdir) {
    return start(workdir, ExecRetention.DEFAULT);
  }

  static ExecRun start(Path workdir, ExecRetention retention) {
    ExecRun run = new ExecRun(UUID.randomUUID().toString(), workdir.resolve("run"), retention);
    try {
      Files.createDirectories(run.runsDir());
      Files.createDirectories(run.recordsDir());
      AtomicFiles.write(run.runsDir().resolve(run.id), new byte[0]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the daemon run under " + run.runDir
          + "; check that the workdir is writable", e);
    }
    return run;
  }

  public String id() {
    return id;
  }

  ExecRetention retention() {
    return retention;
  }

  /** {@code <workdir>/run/runs}: one empty file per run whose processes may still be alive. */
  Path runsDir() {
    return runDir.resolve("runs");
  }

  /** {@code <workdir>/run/exec}: one record per exec process that has not been reaped yet. */
  Path recordsDir() {
    return runDir.resolve("exec");
  }

  /** The ids of the earlier runs on this workdir whose processes have not been swept yet. */
  List<String> earlierRuns() {
    List<String> ids = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(runsDir())) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (!name.startsWith(".") && !name.equals(id)) ids.add(name);
      }
    } catch (IOException e) {
      // nothing recorded: nothing of an earlier run can be recognised
    }
    return ids;
  }

  /** Forgets an earlier run once none of its processes is left. */
  void forgetRun(String runId) {
    try {
      Files.deleteIfExists(runsDir().resolve(runId));
    } catch (IOException ignored) {
      // swept again at the next start: harmless
    }
  }

  /**
   * How long finished execs stay addressable. Their records and output files are evicted after
   * {@code keepFinished}, or earlier once a conversation has more than {@code maxFinished} finished ones.
   */
  record ExecRetention(Duration keepFinished, int maxFinished, Clock clock) {
    static final ExecRetention DEFAULT = new ExecRetention(Duration.ofMinutes(30), 50, Clock.systemUTC());
  }
}
