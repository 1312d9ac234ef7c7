package partyclaw.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import partyclaw.core.config.ConfigException;
import partyclaw.core.config.ConfigLoader;
import partyclaw.core.config.ConfigProblem;
import partyclaw.core.config.Environment;
import partyclaw.core.config.PartyclawConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Checks a config the way the daemon loads it; one line per problem, exit 2 when there is any. */
@Command(name = "validate", description = "Check a config file and report every problem.")
public final class ValidateCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, description = "Config file (JSON).")
  Path config;

  @Override
  public Integer call() {
    try {
      PartyclawConfig cfg = load(config);
      System.out.println("config OK: " + config + " (version " + cfg.sourceVersion() + ", " + cfg.models().size()
          + " model(s), " + cfg.channels().size() + " channel(s)"
          + cfg.managementEndpoint().map(m -> ", management endpoint on " + m.listenAddr()).orElse("") + ")");
      return 0;
    } catch (ConfigException e) {
      report(config, e);
      return 2;
    }
  }

  static PartyclawConfig load(Path config) throws ConfigException {
    Path abs = config.toAbsolutePath();
    Environment env = Environment.load(Path.of("").toAbsolutePath(), abs.getParent());
    return ConfigLoader.load(abs, env);
  }

  static void report(Path config, ConfigException e) {
    System.err.println("config " + config + " has " + e.problems().size() + " problem(s):");
    for (ConfigProblem p : e.problems()) System.err.println("  " + p);
  }
}
