package partyclaw.app;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import partyclaw.core.workdir.Workdir;
import partyclaw.core.workdir.WorkdirSeeder;
import partyclaw.tools.exec.ExecRun;
import partyclaw.tools.exec.RunReaper;
import partyclaw.tools.exec.StaleProcessSweeper;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import partyclaw.core.config.ConfigException;
import partyclaw.core.config.Environment;
import partyclaw.core.config.PartyclawConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts the daemon on the embedded LevelDB journal under the workdir. */
@Command(name = "run", description = "Run the daemon.")
public final class RunCommand implements Callable<Integer> {
  /** Returned when the daemon started: the JVM lives on and exits through coordinated shutdown. */
  static final int KEEP_RUNNING = -1;

  @Option(names = "--config", required = true, description = "Config file (JSON).")
  Path config;

  @Option(names = "--workdir", required = true, description = "State directory (journal, workspaces, logs).")
  Path workdir;

  @Option(names = "--sandbox-auto",
      description = "If bubblewrap is configured but unavailable, fall back to subprocess without asking.")
  boolean sandboxAuto;

  @Option(names = "--log-format", paramLabel = "text|json",
      description = "Format of the log lines on stderr (default text, or env PARTYCLAW_LOG_FORMAT); "
          + "logs/server.log is always JSON lines.")
  String logFormat;

  /** Held for the life of the process: LevelDB cannot be shared, so a second daemon on the workdir must stop. */
  private static FileLock workdirLock;

  public RunCommand() {}

  RunCommand(Path config, Path workdir) {
    this.config = config;
    this.workdir = workdir;
  }

  @Override
  public Integer call() {
    Path wd = workdir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(wd.resolve("logs"));
      Files.createDirectories(wd.resolve("journal").resolve("leveldb"));
      Files.createDirectories(wd.resolve("journal").resolve("snapshots"));
    } catch (IOException e) {
      System.err.println("partyclaw: cannot create workdir " + wd + ": " + e.getMessage());
      return 2;
    }
    String format = logFormat != null ? logFormat : System.getenv().getOrDefault("PARTYCLAW_LOG_FORMAT", "text");
    if (!format.equals("text") && !format.equals("json")) {
      System.err.println("partyclaw: --log-format must be text or json, not '" + format + "'");
      return 2;
    }
    // Before the first logger exists: logback.xml writes the file log under the workdir.
    System.setProperty("partyclaw.logdir", wd.resolve("logs").toString());
    System.setProperty(partyclaw.app.logging.SwitchableLayout.FORMAT_PROPERTY, format);
    org.slf4j.LoggerFactory.getLogger(RunCommand.class).info("partyclaw starting with workdir {}", wd);

    PartyclawConfig cfg;
    Environment env;
    try {
      Path abs = config.toAbsolutePath();
      env = Environment.load(Path.of("").toAbsolutePath(), abs.getParent());
      cfg = partyclaw.core.config.ConfigLoader.load(abs, env);
    } catch (ConfigException e) {
      ValidateCommand.report(config, e);
      return 2;
    }
    if (!lock(wd)) return 2;
    // Holding the workdir lock and before any conversation wakes: what an earlier run left running (kill -9, power
    // cut) is killed, so the restart notice the model gets is true; this run's tool processes are marked as this run's.
    ExecRun execRun = ExecRun.start(wd);
    StaleProcessSweeper.sweep(execRun);
    RunReaper.start(execRun);
    // before anything opens the shared registry; Daemon flushes it at shutdown
    partyclaw.core.workspace.WorkspaceRegistry.saveTouchesTogether();
    try {
      // Profiles, the workspace template and the built-in skill; files the user edited are never overwritten.
      WorkdirSeeder.seed(new Workdir(wd));
      // A cluster keeps workspaces, profiles and uploads in the shared directory: seeded the same way (every
      // node may do it; nothing the user edited is overwritten).
      if (cfg.cluster() != null) {
        Files.createDirectories(cfg.cluster().sharedDir());
        WorkdirSeeder.seed(new Workdir(cfg.cluster().sharedDir()));
      }
    } catch (IOException e) {
      System.err.println("partyclaw: cannot prepare the workdir " + wd + ": " + e.getMessage());
      return 1;
    }
    java.util.Optional<partyclaw.actors.SandboxPolicy> sandbox = SandboxSetup.decide(cfg, sandboxAuto);
    if (sandbox.isEmpty()) {
      System.err.println("partyclaw: not started: sandbox mode 'bubblewrap' is unavailable and no fallback was accepted");
      return 2;
    }
    // main_agent.language, for the channels' own texts (Telegram progress messages in Chinese for zh*).
    Config base = ConfigFactory.parseMap(Map.of("partyclaw.language",
        java.util.Objects.requireNonNullElse(cfg.mainAgent().language(), "zh-CN")))
        .withFallback(akkaConfig(wd));
    Config akka = cfg.cluster() == null ? base
        : partyclaw.app.cluster.ClusterMode.akkaConfig(cfg.cluster(),
            env.get(cfg.cluster().postgresUrlEnv()).orElseThrow(), base);
    ActorSystem.create(Daemon.create(cfg, env, wd, execRun, sandbox.get()), "partyclaw", akka);
    return KEEP_RUNNING;
  }

  private static boolean lock(Path wd) {
    Path lockFile = wd.resolve("partyclaw.lock");
    try {
      FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      workdirLock = channel.tryLock();
      if (workdirLock == null) {
        System.err.println("partyclaw: another partyclaw daemon is already running with workdir " + wd
            + " (its journal cannot be shared); stop it or use another --workdir");
        return false;
      }
      return true;
    } catch (IOException e) {
      System.err.println("partyclaw: cannot lock " + lockFile + ": " + e.getMessage());
      return false;
    }
  }

  static Config akkaConfig(Path wd) {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("akka.persistence.journal.leveldb.dir", wd.resolve("journal").resolve("leveldb").toString());
    overrides.put("akka.persistence.snapshot-store.local.dir", wd.resolve("journal").resolve("snapshots").toString());
    // Only the real process exits the JVM; tests that start a system never set this.
    overrides.put("akka.coordinated-shutdown.exit-jvm", "on");
    return ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load());
  }
}
