package partyclaw.core.config;

import java.util.List;
import partyclaw.core.sandbox.SandboxLimits;

/**
 * {@code sandbox}: how tool processes are isolated ({@code subprocess} or {@code bubblewrap}). partyclaw
 * extensions: {@code network} (false = no network inside bubblewrap), {@code limits} (per-process resource limits)
 * and {@code mount_roots} (the only folders under which a non-operator chat may {@code /mount}).
 */
public record SandboxConfig(String mode, String bubblewrapBinary, boolean mapDockerSocket, boolean network,
    SandboxLimits limits, List<String> mountRoots) {
  public static final String SUBPROCESS = "subprocess";
  public static final String BUBBLEWRAP = "bubblewrap";
  public static final SandboxConfig DEFAULT =
      new SandboxConfig(SUBPROCESS, "bwrap", false, true, SandboxLimits.DEFAULT, List.of());

  public SandboxConfig {
    limits = limits == null ? SandboxLimits.DEFAULT : limits;
    mountRoots = mountRoots == null ? List.of() : List.copyOf(mountRoots);
  }

  public SandboxConfig(String mode, String bubblewrapBinary, boolean mapDockerSocket) {
    this(mode, bubblewrapBinary, mapDockerSocket, true, SandboxLimits.DEFAULT, List.of());
  }

  public boolean bubblewrap() {
    return BUBBLEWRAP.equals(mode);
  }
}
