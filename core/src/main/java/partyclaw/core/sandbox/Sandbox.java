package partyclaw.core.sandbox;

import java.nio.file.Path;
import java.util.List;

/**
 * How one conversation's tool processes are confined, as the runtime decided it for this turn: the effective mode
 * (bubblewrap only when it is available), what the process may see and write, the network, the limits.
 *
 * @param workspaceRoot the conversation's workspace: the only workdir path visible, writable
 * @param writable further writable paths of this conversation (its runtime state), bound at the same path
 * @param mounts the conversation's {@code /mount} folders
 * @param readOnly further paths visible read-only (the global install root, skills)
 * @param bubblewrapBinary the bwrap executable ({@code sandbox.bubblewrap_binary})
 */
public record Sandbox(
    SandboxMode mode,
    Path workspaceRoot,
    List<Path> writable,
    List<LocalMount> mounts,
    List<Path> readOnly,
    boolean network,
    SandboxLimits limits,
    String bubblewrapBinary) {

  public Sandbox {
    writable = writable == null ? List.of() : List.copyOf(writable);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    readOnly = readOnly == null ? List.of() : List.copyOf(readOnly);
    limits = limits == null ? SandboxLimits.DEFAULT : limits;
    bubblewrapBinary = bubblewrapBinary == null || bubblewrapBinary.isBlank() ? "bwrap" : bubblewrapBinary;
  }

  /** No isolation, for a workspace: what tools get when nothing else was decided (tests, the subprocess mode). */
  public static Sandbox subprocess(Path workspaceRoot) {
    return new Sandbox(SandboxMode.SUBPROCESS, workspaceRoot, List.of(), List.of(), List.of(), true, null, null);
  }
}
