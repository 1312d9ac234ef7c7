package partyclaw.app;

import java.io.Console;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.actors.SandboxPolicy;
import partyclaw.core.config.PartyclawConfig;
import partyclaw.core.config.SandboxConfig;
import partyclaw.core.sandbox.SandboxMode;
import partyclaw.tools.sandbox.SandboxLauncher;

/**
 * Decides the node's sandbox at start-up (config-and-channels.md §3, step 5): bubblewrap is checked once by running
 * it. Configured but unusable: with {@code --sandbox-auto} or without a terminal, a warning and subprocess; at a
 * terminal, the operator is asked, as the reference does. The start-up log says plainly what tool processes can see.
 */
final class SandboxSetup {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxSetup.class);

  private SandboxSetup() {}

  /** Empty when the operator refused to run without the sandbox they configured. */
  static Optional<SandboxPolicy> decide(PartyclawConfig cfg, boolean sandboxAuto) {
    SandboxConfig sc = cfg.sandbox();
    SandboxLauncher.Availability bwrap = SandboxLauncher.bubblewrap(sc.bubblewrapBinary());
    SandboxMode configured = sc.bubblewrap() ? SandboxMode.BUBBLEWRAP : SandboxMode.SUBPROCESS;
    Path installRoot = cfg.mainAgent().globalInstallRoot() == null ? null : Path.of(cfg.mainAgent().globalInstallRoot());
    SandboxPolicy policy = new SandboxPolicy(configured, bwrap.available(), bwrap.reason(), sc.bubblewrapBinary(),
        sc.network(), sc.limits(), sc.mountRoots().stream().map(Path::of).toList(), installRoot);
    if (configured == SandboxMode.BUBBLEWRAP && !bwrap.available()) {
      Console console = System.console();
      if (!sandboxAuto && console != null) {
        String answer = console.readLine("sandbox mode 'bubblewrap' is unavailable (%s). Continue with sandbox mode"
            + " 'subprocess' instead? [y/N] ", bwrap.reason());
        String a = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
        if (!a.equals("y") && !a.equals("yes")) return Optional.empty();
      }
      LOG.warn("sandbox mode 'bubblewrap' is configured but unavailable ({}); falling back to 'subprocess'",
          bwrap.reason());
    }
    if (sc.mapDockerSocket()) {
      LOG.warn("sandbox.map_docker_socket is ignored: the Docker socket is root on the host, so partyclaw never binds"
          + " it into a sandbox");
    }
    LOG.info("sandbox: {}", policy.describe(null));
    return Optional.of(policy);
  }
}
