package partyclaw.core.cron;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Process groups on Linux, for the checker: where {@code setsid} is, and SIGKILL for a whole group. A minimal
 * copy of what {@code partyclaw.tools.exec} does (ExecProcess/ProcessTable), which core cannot depend on.
 */
final class ProcessGroups {
  /** util-linux's setsid; null if this system has none (the checker then shares the daemon's group). */
  static final String SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid", "/usr/sbin/setsid", "/sbin/setsid")
      .filter(f -> Files.isExecutable(Path.of(f)))
      .findFirst()
      .orElse(null);

  private static final Path PROC = Path.of("/proc");

  private ProcessGroups() {}

  /**
   * SIGKILLs every live process of group {@code pgid} that runs as this user, again while one is left (a member may
   * fork while the group is being read). Never the daemon itself. Once the leader has been reaped its pid may only
   * have been reused while the group was empty: a live process with that pid means the group is gone, not ours.
   */
  static void kill(long pgid, boolean leaderReaped) {
    long self = ProcessHandle.current().pid();
    for (int round = 0; round < 100; round++) {
      if (leaderReaped && ProcessHandle.of(pgid).map(ProcessHandle::isAlive).orElse(false)) return;
      List<Long> members = members(pgid);
      members.remove(Long.valueOf(self));
      if (members.isEmpty()) return;
      for (long pid : members) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      // A killed process is gone (or a zombie) once it is next scheduled: give it that moment before looking again.
      LockSupport.parkNanos(5_000_000);
    }
  }

  /** The pids of the live (not zombie) processes whose group is {@code pgid}. */
  static List<Long> members(long pgid) {
    List<Long> out = new ArrayList<>();
    int uid = ownUid();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        if (name.isEmpty() || !Character.isDigit(name.charAt(0))) continue;
        try {
          String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
          // Field 2 (the command name) is in parentheses and may hold spaces; field 3 is the state, 5 the group.
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          char state = f[0].charAt(0);
          if (state == 'Z' || state == 'X' || Long.parseLong(f[2]) != pgid) continue;
          if (uid >= 0 && (Integer) Files.getAttribute(dir, "unix:uid") != uid) continue;
          out.add(Long.parseLong(name));
        } catch (IOException | RuntimeException e) {
          // ended while being read
        }
      }
    } catch (IOException e) {
      // no /proc: nothing can be found
    }
    return out;
  }

  private static int ownUid() {
    try {
      return (Integer) Files.getAttribute(PROC.resolve("self"), "unix:uid");
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
