package partyclaw.app;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import partyclaw.app.setup.ServiceSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code partyclaw setup <config> <workdir> [service_name]}: writes a systemd user unit that runs the daemon. The
 * {@code --config} / {@code --workdir} / {@code --name} flags the README of the reference shows work too.
 */
@Command(name = "setup", description = "Write a systemd user unit that runs partyclaw as a service.")
public final class SetupCommand implements Callable<Integer> {

  @Parameters(arity = "0..3", paramLabel = "ARG", description = "<config> <workdir> [service_name]")
  List<String> positional = List.of();

  @Option(names = "--config", description = "Config file (JSON).")
  Path config;

  @Option(names = "--workdir", description = "State directory the service uses.")
  Path workdir;

  @Option(names = "--name", description = "Service name (default partyclaw).")
  String name;

  @Override
  public Integer call() {
    Deque<String> rest = new ArrayDeque<>(positional == null ? List.of() : positional);
    Path cfg = config != null ? config : rest.isEmpty() ? null : Path.of(rest.poll());
    Path wd = workdir != null ? workdir : rest.isEmpty() ? null : Path.of(rest.poll());
    String service = name != null ? name : rest.poll();
    if (cfg == null || wd == null) {
      System.err.println("partyclaw setup: usage: partyclaw setup <config> <workdir> [service_name]");
      return 2;
    }
    if (!rest.isEmpty()) {
      System.err.println("partyclaw setup: unexpected argument(s) " + rest
          + "; usage: partyclaw setup <config> <workdir> [service_name]");
      return 2;
    }
    if (java.nio.file.Files.isRegularFile(cfg)) {
      try {
        ValidateCommand.load(cfg);
      } catch (partyclaw.core.config.ConfigException e) {
        // Written anyway: the user may fix the config before starting the service.
        System.err.println("partyclaw setup: warning: the config does not load yet; the service will fail until it does");
        ValidateCommand.report(cfg, e);
      }
    }
    return new ServiceSetup(System.getenv(), Path.of("").toAbsolutePath(), runningJar(),
        System.getProperty("os.name", ""), System.out, System.err).run(cfg, wd, service);
  }

  /** The jar this runs from, or null when it runs from class directories (tests). */
  private static Path runningJar() {
    try {
      Path p = Path.of(SetupCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return p.toString().endsWith(".jar") ? p : null;
    } catch (Exception e) {
      return null;
    }
  }
}
