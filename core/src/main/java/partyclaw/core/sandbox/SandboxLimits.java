package partyclaw.core.sandbox;

/**
 * Per-process resource limits of sandboxed tool processes (applied with {@code prlimit}): how many processes the
 * sandbox user may have, the largest file it may write, and CPU seconds per process.
 */
public record SandboxLimits(int maxProcesses, long maxFileSizeBytes, long maxCpuSeconds) {
  public static final SandboxLimits DEFAULT = new SandboxLimits(256, 4L * 1024 * 1024 * 1024, 6 * 3600);
}
