package partyclaw.tools.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.sandbox.SandboxLimits;

/**
 * The {@code prlimit --nproc=N --fsize=B --cpu=S --} prefix that puts {@link SandboxLimits} on a command. The limits
 * are per process and inherited by everything it starts; RLIMIT_NPROC counts all tasks (processes and threads) of
 * the process's real uid, so what it means depends on who the command runs as:
 * <ul>
 *   <li>the sandbox uid (bubblewrap under a root daemon): every sandboxed process of every conversation counts;
 *   <li>the daemon's own non-root uid (subprocess mode, or bubblewrap under a non-root daemon): the daemon's own
 *       threads count too, so the limit is raised by the tasks that uid already has at launch — the command may add
 *       at most {@code maxProcesses} more, and the daemon's thread pools never make its commands fail to fork;
 *   <li>root (subprocess mode under a root daemon): not enforced at all, the kernel exempts root.
 * </ul>
 * Writing past {@code maxFileSizeBytes} kills the writer with SIGXFSZ; this also bounds what a command may write to
 * its own output file.
 */
final class ResourceLimits {
  private static final Logger log = LoggerFactory.getLogger(ResourceLimits.class);
  private static final AtomicBoolean warned = new AtomicBoolean();

  private ResourceLimits() {}

  /**
   * The prefix, or an empty list when this host has no prlimit (then the command runs without limits; logged
   * once). {@code asDaemonUser}: the command keeps the daemon's uid (see above).
   */
  static List<String> prefix(SandboxLimits limits, HostTools host, boolean asDaemonUser) {
    if (host.prlimit() == null) {
      if (warned.compareAndSet(false, true)) {
        log.warn("prlimit (util-linux) was not found: tool processes run without process, file size and CPU limits");
      }
      return List.of();
    }
    long nproc = limits.maxProcesses();
    if (asDaemonUser && !host.root()) nproc += tasksOf(host.uid());
    List<String> out = new ArrayList<>();
    out.add(host.prlimit());
    out.add("--nproc=" + nproc);
    out.add("--fsize=" + limits.maxFileSizeBytes());
    out.add("--cpu=" + limits.maxCpuSeconds());
    out.add("--");
    return out;
  }

  /** Processes and threads of {@code uid} now: what RLIMIT_NPROC already counts before the command forks. */
  static long tasksOf(int uid) {
    long n = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path dir : dirs) {
        try {
          if ((Integer) Files.getAttribute(dir, "unix:uid") != uid) continue;
          try (DirectoryStream<Path> tasks = Files.newDirectoryStream(dir.resolve("task"))) {
            for (Path ignored : tasks) n++;
          }
        } catch (IOException | RuntimeException e) {
          // ended while being looked at
        }
      }
    } catch (IOException e) {
      // no /proc: nothing to add
    }
    return n;
  }
}
