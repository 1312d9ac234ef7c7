package partyclaw.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code partyclaw [run] --config F --workdir D} runs the daemon (the reference's flag-only form is kept);
 * {@code partyclaw validate --config F} checks a config; {@code partyclaw setup C W [name]} writes a systemd unit.
 */
@Command(name = "partyclaw", mixinStandardHelpOptions = true, version = "partyclaw 0.1.0",
    description = "Self-hosted multi-agent LLM service.",
    subcommands = {RunCommand.class, ValidateCommand.class, SetupCommand.class, ConfigCommand.class, ChatCommand.class,
        StatusCommand.class})
public final class PartyclawCommand implements Callable<Integer> {

  @Option(names = "--config", description = "Config file (JSON).")
  Path config;

  @Option(names = "--workdir", description = "State directory (journal, workspaces, logs).")
  Path workdir;

  @Override
  public Integer call() {
    if (config == null || workdir == null) {
      System.err.println("partyclaw: --config and --workdir are required (see partyclaw --help)");
      return 2;
    }
    return new RunCommand(config, workdir).call();
  }
}
