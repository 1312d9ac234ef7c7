package partyclaw.tools.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import partyclaw.core.sandbox.Sandbox;
import partyclaw.core.sandbox.SandboxLimits;
import partyclaw.core.sandbox.SandboxMode;
import partyclaw.core.tool.ToolException;

/**
 * Whether bubblewrap works on this host: the binary is there and a trivial sandbox, built exactly as a real launch
 * would build it (no network, the limits, the uid switch under root), runs {@code true}. What fails — user namespaces
 * disabled, no setpriv, a seccomp profile of a container — shows up as bwrap's own message in the reason.
 */
final class BubblewrapProbe {
  static final long TIMEOUT_SECONDS = 20;
  private static final Map<String, SandboxLauncher.Availability> CACHE = new ConcurrentHashMap<>();

  private BubblewrapProbe() {}

  static SandboxLauncher.Availability check(String binary) {
    String key = binary == null || binary.isBlank() ? "bwrap" : binary;
    SandboxLauncher.Availability known = CACHE.get(key);
    if (known != null) return known;
    SandboxLauncher.Availability found = probe(key);
    // An interrupted probe says nothing about the host: asked again next time.
    if (Thread.currentThread().isInterrupted()) return found;
    SandboxLauncher.Availability raced = CACHE.putIfAbsent(key, found);
    return raced == null ? found : raced;
  }

  private static SandboxLauncher.Availability probe(String binary) {
    if (HostTools.resolveExecutable(binary).isEmpty()) {
      return SandboxLauncher.Availability.no("bubblewrap binary '" + binary + "' was not found"
          + (binary.contains("/") ? "" : " on PATH") + " or is not executable");
    }
    Path dir = null;
    Path log = null;
    try {
      dir = Files.createTempDirectory("partyclaw-bwrap-probe");
      log = Files.createTempFile("partyclaw-bwrap-probe", ".log");
      Sandbox sb = new Sandbox(SandboxMode.BUBBLEWRAP, dir, List.of(), List.of(), List.of(), false,
          SandboxLimits.DEFAULT, binary);
      SandboxLauncher.prepareWorkspace(sb);
      SandboxLauncher.LaunchPlan plan = SandboxLauncher.plan(sb, List.of("true"), dir, Map.of());
      // Into a file, not a pipe: a hung bwrap must not block the reading of its output past the timeout.
      ProcessBuilder pb = new ProcessBuilder(plan.argv()).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      pb.environment().clear();
      pb.environment().putAll(plan.env());
      Process p = SpawnThread.start(pb::start);
      p.getOutputStream().close();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return SandboxLauncher.Availability.no("a trivial bubblewrap sandbox did not finish within "
            + TIMEOUT_SECONDS + " s");
      }
      // true prints nothing: what came out is bwrap's (or setpriv's) complaint, a line or two.
      String out = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        return SandboxLauncher.Availability.no("a trivial bubblewrap sandbox failed (exit " + p.exitValue() + ")"
            + (out.isEmpty() ? "" : ": " + out.lines().findFirst().orElse("")) + "; " + hint());
      }
      return SandboxLauncher.Availability.yes();
    } catch (ToolException e) {
      return SandboxLauncher.Availability.no(e.getMessage());
    } catch (IOException e) {
      return SandboxLauncher.Availability.no("bubblewrap could not be started: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SandboxLauncher.Availability.no("interrupted while checking bubblewrap");
    } finally {
      deleteQuietly(dir);
      deleteQuietly(log);
    }
  }

  private static String hint() {
    return HostTools.current().root()
        ? "bwrap runs as root here: a container may withhold CAP_SYS_ADMIN or block namespaces with seccomp"
        : "unprivileged user namespaces may be disabled (kernel.unprivileged_userns_clone, "
            + "user.max_user_namespaces) or blocked by a container's seccomp profile";
  }

  private static void deleteQuietly(Path p) {
    if (p == null) return;
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // an empty temp directory or file left behind
    }
  }
}
