package partyclaw.actors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import partyclaw.core.sandbox.LocalMount;
import partyclaw.core.sandbox.Sandbox;
import partyclaw.core.sandbox.SandboxLimits;
import partyclaw.core.sandbox.SandboxMode;
import partyclaw.core.workdir.Workdir;

/**
 * The node's sandbox: the configured mode, whether bubblewrap works here (checked once at start-up), and what every
 * sandbox gets. A conversation may override the mode with {@code /sandbox}; bubblewrap falls back to subprocess
 * where it is unavailable, and every place that shows the mode says so.
 *
 * @param mountRoots folders under which a non-operator chat may {@code /mount}; empty: only operators may mount
 */
public record SandboxPolicy(SandboxMode configured, boolean bubblewrapAvailable, String unavailableReason,
    String binary, boolean network, SandboxLimits limits, List<Path> mountRoots, Path globalInstallRoot) {

  public SandboxPolicy {
    mountRoots = mountRoots == null ? List.of() : List.copyOf(mountRoots);
  }

  /** No isolation anywhere (tests, and machines without bubblewrap). */
  public static SandboxPolicy subprocessOnly() {
    return new SandboxPolicy(SandboxMode.SUBPROCESS, false, "not checked", "bwrap", true, SandboxLimits.DEFAULT,
        List.of(), null);
  }

  /** The mode a conversation asked for (its override, else the configured one). */
  public SandboxMode requested(String override) {
    return SandboxMode.parse(override).orElse(configured);
  }

  /** The mode its processes really run in. */
  public SandboxMode effective(String override) {
    SandboxMode m = requested(override);
    return m == SandboxMode.BUBBLEWRAP && !bubblewrapAvailable ? SandboxMode.SUBPROCESS : m;
  }

  /** One line for /status and the start-up log. */
  public String describe(String override) {
    SandboxMode requested = requested(override);
    String source = override != null ? "conversation setting" : "config";
    if (effective(override) == SandboxMode.BUBBLEWRAP) {
      return "bubblewrap (" + source + "; network " + (network ? "on" : "off") + "; at most " + limits.maxProcesses()
          + " processes, " + limits.maxFileSizeBytes() / (1024 * 1024) + " MB per file, " + limits.maxCpuSeconds()
          + " CPU s per process)";
    }
    String notIsolated = "subprocess — tool processes are NOT isolated: they run as the daemon's user and see what it"
        + " sees (secrets are only removed from their environment)";
    if (requested == SandboxMode.BUBBLEWRAP) {
      return notIsolated + "; bubblewrap was asked for (" + source + ") but is unavailable: " + unavailableReason;
    }
    return notIsolated + " (" + source + ")";
  }

  /**
   * The sandbox of one conversation's processes: its workspace writable, the shared skill memory writable (the
   * workspace's {@code .skill_memory} link points there), the skills store and the install root read-only.
   */
  public Sandbox sandboxFor(Path workspaceRoot, String override, List<LocalMount> mounts, Workdir workdir) {
    List<Path> readOnly = new ArrayList<>();
    readOnly.add(workdir.skillsStore());
    if (globalInstallRoot != null && Files.isDirectory(globalInstallRoot)) readOnly.add(globalInstallRoot);
    return new Sandbox(effective(override), workspaceRoot, List.of(workdir.skillMemory()), mounts, readOnly, network,
        limits, binary);
  }
}
