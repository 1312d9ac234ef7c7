package partyclaw.tools.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The processes of this machine as Linux's {@code /proc} shows them. Java's {@link ProcessHandle} knows parents
 * and children only; finding a process group, a process that left the tree, or the tool processes of an earlier
 * daemon run needs the process group id, the start time (to tell a reused pid apart) and the environment.
 */
final class ProcessTable {
  static final Path PROC = Path.of("/proc");

  /**
   * One process at the moment it was read. {@code startTime} is field 22 of {@code /proc/<pid>/stat} (clock ticks
   * since boot): together with the pid it names one process for the life of the machine.
   */
  record Proc(long pid, long ppid, long pgid, long startTime, int uid, char state) {
    boolean zombie() {
      return state == 'Z' || state == 'X';
    }

    /** The value of {@code name} in the environment the process was started with, if it can be read. */
    Optional<String> environ(String name) {
      return ProcessTable.environ(pid, name);
    }
  }

  private ProcessTable() {}

  /** Every process that is readable now; ones that end while being read are left out. */
  static List<Proc> all() {
    List<Proc> out = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        if (name.isEmpty() || !Character.isDigit(name.charAt(0))) continue;
        long pid;
        try {
          pid = Long.parseLong(name);
        } catch (NumberFormatException e) {
          continue;
        }
        read(pid).ifPresent(out::add);
      }
    } catch (IOException e) {
      // no /proc (not Linux): nothing can be found, and nothing is killed by mistake
    }
    return out;
  }

  static Optional<Proc> read(long pid) {
    Path dir = PROC.resolve(Long.toString(pid));
    try {
      String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
      // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
      int close = stat.lastIndexOf(')');
      if (close < 0) return Optional.empty();
      String[] f = stat.substring(close + 2).split(" ");
      // f[0] is field 3 (state), so field n is f[n - 3].
      char state = f[0].charAt(0);
      long ppid = Long.parseLong(f[1]);
      long pgid = Long.parseLong(f[2]);
      long start = Long.parseLong(f[19]);
      int uid = (Integer) Files.getAttribute(dir, "unix:uid");
      return Optional.of(new Proc(pid, ppid, pgid, start, uid, state));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The uid this daemon runs as: only processes of the same user are ever looked at for killing. */
  static int ownUid() {
    try {
      return (Integer) Files.getAttribute(PROC.resolve("self"), "unix:uid");
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static Optional<String> environ(long pid, String name) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    byte[] prefix = (name + "=").getBytes(StandardCharsets.UTF_8);
    int start = 0;
    for (int i = 0; i <= raw.length; i++) {
      if (i == raw.length || raw[i] == 0) {
        if (i - start >= prefix.length && startsWith(raw, start, prefix)) {
          return Optional.of(new String(raw, start + prefix.length, i - start - prefix.length, StandardCharsets.UTF_8));
        }
        start = i + 1;
      }
    }
    return Optional.empty();
  }

  private static boolean startsWith(byte[] raw, int from, byte[] prefix) {
    for (int j = 0; j < prefix.length; j++) {
      if (raw[from + j] != prefix[j]) return false;
    }
    return true;
  }

  /**
   * SIGKILLs {@code p} if the pid still names the same process (the JDK compares the start time it recorded with
   * the process's own). True if a signal was sent.
   */
  static boolean kill(Proc p) {
    if (p.pid() == ProcessHandle.current().pid()) return false;
    Optional<Proc> now = read(p.pid());
    if (now.isEmpty() || now.get().startTime() != p.startTime()) return false;
    return ProcessHandle.of(p.pid()).map(ProcessHandle::destroyForcibly).orElse(false);
  }
}
