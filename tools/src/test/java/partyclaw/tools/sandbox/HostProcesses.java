package partyclaw.tools.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host's process table as the sandbox tests look at it. */
final class HostProcesses {
  private HostProcesses() {}

  /** Running or sleeping; a zombie counts as gone. */
  static boolean alive(long pid) {
    String s;
    try {
      s = Files.readString(Path.of("/proc/" + pid + "/stat"));
    } catch (IOException e) {
      return false;
    }
    char state = s.substring(s.lastIndexOf(')') + 2).charAt(0);
    return state != 'Z' && state != 'X';
  }

  /** Live processes whose command line is exactly {@code argv}. */
  static List<Long> withArgs(String... argv) {
    String wanted = String.join("\0", argv) + "\0";
    List<Long> out = new ArrayList<>();
    for (long pid : pids()) {
      try {
        String cmd = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
        if (cmd.equals(wanted) && alive(pid)) out.add(pid);
      } catch (IOException e) {
        // ended meanwhile
      }
    }
    return out;
  }

  static List<Long> children(long parent) {
    List<Long> out = new ArrayList<>();
    for (long pid : pids()) {
      try {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        if (Long.parseLong(f[1]) == parent) out.add(pid);
      } catch (IOException | RuntimeException e) {
        // ended meanwhile
      }
    }
    return out;
  }

  /** Live processes in the PID namespace {@code ns} (as {@code /proc/<pid>/ns/pid} reads). */
  static int inPidNamespace(String ns) {
    int n = 0;
    for (long pid : pids()) {
      try {
        if (Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/pid")).toString().equals(ns) && alive(pid)) n++;
      } catch (IOException e) {
        // ended meanwhile
      }
    }
    return n;
  }

  private static List<Long> pids() {
    List<Long> out = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path d : dirs) out.add(Long.parseLong(d.getFileName().toString()));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out;
  }
}
