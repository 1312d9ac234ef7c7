package partyclaw.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What end-to-end tests need to see of Linux's process table: who carries a run marker, and who is alive. */
final class ProcTable {
  private ProcTable() {}

  /** A process named by pid and start time (field 22 of /proc/pid/stat), so a reused pid is not mistaken for it. */
  record Proc(long pid, long startTime) {
    /** Alive and not a zombie waiting for its reaper. */
    boolean alive() {
      Optional<String[]> f = statFields(pid);
      if (f.isEmpty()) return false;
      char state = f.get()[0].charAt(0);
      return state != 'Z' && state != 'X' && Long.parseLong(f.get()[19]) == startTime;
    }
  }

  /** Every live process whose environment holds {@code name=value}. */
  static List<Proc> withEnv(String name, String value) {
    List<Proc> out = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"))) {
      for (Path dir : dirs) {
        String n = dir.getFileName().toString();
        if (!n.chars().allMatch(Character::isDigit)) continue;
        long pid = Long.parseLong(n);
        if (env(pid, name).filter(value::equals).isEmpty()) continue;
        statFields(pid).ifPresent(f -> {
          Proc p = new Proc(pid, Long.parseLong(f[19]));
          if (p.alive()) out.add(p);
        });
      }
    } catch (IOException e) {
      throw new AssertionError("cannot read /proc: this test needs Linux", e);
    }
    return out;
  }

  static Optional<String> env(long pid, String name) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
    } catch (IOException e) {
      return Optional.empty();
    }
    for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
      if (entry.startsWith(name + "=")) return Optional.of(entry.substring(name.length() + 1));
    }
    return Optional.empty();
  }

  /** Fields 3.. of /proc/pid/stat (index 0 = state, 2 = pgid, 19 = start time). */
  static Optional<String[]> statFields(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return Optional.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
