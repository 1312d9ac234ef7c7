package partyclaw.tools.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a launch needs to know about the host: the daemon's uid (root launches differ, see {@link SandboxLauncher})
 * and where util-linux's {@code setpriv} and {@code prlimit} are (null when missing). Both are looked up in system
 * directories that every sandbox binds read-only at the same path, so the host path also works inside.
 */
record HostTools(int uid, String setpriv, String prlimit) {
  private static final HostTools CURRENT = new HostTools(currentUid(), find("setpriv"), find("prlimit"));

  static HostTools current() {
    return CURRENT;
  }

  boolean root() {
    return uid == 0;
  }

  private static String find(String name) {
    return Stream.of("/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/", "/usr/local/bin/")
        .map(dir -> dir + name)
        .filter(f -> Files.isExecutable(Path.of(f)))
        .findFirst()
        .orElse(null);
  }

  private static int currentUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | RuntimeException e) {
      // Not Linux: no bubblewrap either; treat as an ordinary user so nothing root-only is attempted.
      return -1;
    }
  }

  /**
   * The absolute path of an executable given as a path or as a name looked up on the daemon's {@code PATH}. The
   * daemon's PATH is used, not the sandbox's: the binary runs on the host.
   */
  static Optional<Path> resolveExecutable(String binary) {
    if (binary == null || binary.isBlank()) return Optional.empty();
    if (binary.contains("/")) {
      Path p = Path.of(binary).toAbsolutePath();
      return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv("PATH");
    if (path == null || path.isEmpty()) path = "/usr/local/bin:/usr/bin:/bin";
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) continue;
      Path p = Path.of(dir, binary);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p.toAbsolutePath());
    }
    return Optional.empty();
  }
}
