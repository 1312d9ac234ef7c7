package partyclaw.core.config;

/** {@code sandbox}: how tool processes are isolated ({@code subprocess} or {@code bubblewrap}). */
public record SandboxConfig(String mode, String bubblewrapBinary, boolean mapDockerSocket) {
  public static final String SUBPROCESS = "subprocess";
  public static final String BUBBLEWRAP = "bubblewrap";
  public static final SandboxConfig DEFAULT = new SandboxConfig(SUBPROCESS, "bwrap", false);

  public boolean bubblewrap() {
    return BUBBLEWRAP.equals(mode);
  }
}
