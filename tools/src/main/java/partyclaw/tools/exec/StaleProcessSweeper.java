package partyclaw.tools.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills, at start-up, the tool processes that earlier runs of the daemon on this workdir left behind (after a
 * {@code kill -9} or a power cut nothing killed them), so that the "[System Restarted: … all ended]" notice the
 * model gets is true. A process is an earlier run's when it carries {@code PARTYCLAW_RUN=<id>} of a run recorded in
 * this workdir (which also finds children that left the process group and the tree), or when it is in the process
 * group of an exec record left in {@code <workdir>/run/exec/} (which also finds children that cleared their
 * environment). Only processes of the daemon's own user are looked at. Blocks for milliseconds: called once, before
 * any conversation wakes.
 */
public final class StaleProcessSweeper {
  private static final Logger log = LoggerFactory.getLogger(StaleProcessSweeper.class);
  /** A live process can fork between two looks; every round kills what the previous one missed. */
  private static final int MAX_ROUNDS = 20;

  private StaleProcessSweeper() {}

  /** Kills every process of the earlier runs on {@code current}'s workdir; returns how many were killed. */
  public static int sweep(ExecRun current) {
    long started = System.nanoTime();
    List<String> earlierRuns = current.earlierRuns();
    List<Path> broken = new ArrayList<>();
    List<ExecRecord> records = ExecRecord.readAll(current.recordsDir(), broken).stream()
        .filter(r -> !r.run().equals(current.id()))
        .toList();
    Set<String> runs = new HashSet<>(earlierRuns);
    int uid = ProcessTable.ownUid();
    long self = ProcessHandle.current().pid();
    Set<String> killed = new HashSet<>();
    boolean clean = false;
    for (int round = 0; round < MAX_ROUNDS && !clean; round++) {
      List<ProcessTable.Proc> all = ProcessTable.all();
      List<ProcessTable.Proc> stale = all.stream()
          .filter(p -> !p.zombie() && p.uid() == uid && p.pid() != self)
          .filter(p -> ofRecord(p, records, all) || p.environ(ExecRun.RUN_ENV).filter(runs::contains).isPresent())
          .toList();
      clean = stale.isEmpty();
      for (ProcessTable.Proc p : stale) {
        if (ProcessTable.kill(p)) killed.add(p.pid() + "@" + p.startTime());
      }
    }
    if (clean) {
      records.forEach(r -> ExecRecord.delete(current.recordsDir(), r.execId()));
      earlierRuns.forEach(current::forgetRun);
      broken.forEach(StaleProcessSweeper::deleteQuietly);
      leftoverTempFiles(current.recordsDir()).forEach(StaleProcessSweeper::deleteQuietly);
    } else {
      log.warn("processes of an earlier run were still appearing after {} rounds of killing; they are looked for "
          + "again at the next start", MAX_ROUNDS);
    }
    log.info("killed {} process(es) left running by earlier runs of this workdir ({} exec record(s), {} earlier "
        + "run(s)) in {} ms", killed.size(), records.size(), earlierRuns.size(), (System.nanoTime() - started) / 1_000_000);
    return killed.size();
  }

  /**
   * True if {@code p} is the recorded process itself or in its process group. The group is only trusted while its
   * leader is the recorded process, or has no live successor on its pid (the kernel does not reuse a group's id
   * while a member lives); members must have started no earlier than the leader.
   */
  private static boolean ofRecord(ProcessTable.Proc p, List<ExecRecord> records, List<ProcessTable.Proc> all) {
    for (ExecRecord r : records) {
      // No start time: the shell had already ended when it was recorded; its children carry the run's marker.
      if (r.startTime() < 0) continue;
      if (p.pid() == r.pid() && p.startTime() == r.startTime()) return true;
      if (r.pgid() <= 0 || p.pgid() != r.pgid() || p.startTime() < r.startTime()) continue;
      boolean leaderIsOurs = all.stream().filter(q -> q.pid() == r.pgid())
          .allMatch(q -> q.startTime() == r.startTime());
      if (leaderIsOurs) return true;
    }
    return false;
  }

  /** Temp files of record writes a crash interrupted ({@code AtomicFiles} names them {@code .<name>.<uuid>.tmp}). */
  private static List<Path> leftoverTempFiles(Path dir) {
    List<Path> out = new ArrayList<>();
    try (var files = Files.newDirectoryStream(dir, ".*.tmp")) {
      files.forEach(out::add);
    } catch (IOException e) {
      // nothing to clean
    }
    return out;
  }

  private static void deleteQuietly(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException ignored) {
      // looked at again at the next start
    }
  }
}
