package partyclaw.core.cron;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs a cron task's checker: {@code sh -c <command>} in a process group of its own, in the conversation workspace
 * (not the host run directory, as the reference does), with the given environment. Past its timeout the whole
 * group is SIGKILLed and reaped; the reference left it running. Whatever the checker leaves behind in its group is
 * killed when it ends, too: a checker is a test, not a launcher. Blocks for up to the timeout: call it on a blocking
 * pool.
 */
public final class CheckerRunner {
  private static final long REAP_WAIT_SECONDS = 5;

  private CheckerRunner() {}

  /** Runs {@code c} unwrapped. */
  public static CheckOutcome run(Checker c, Path workspaceRoot, Map<String, String> env) {
    return run(c, workspaceRoot, env, Function.identity());
  }

  /**
   * @param env the whole environment of the checker (nothing is inherited)
   * @param wrapArgv turns {@code [sh, -c, command]} into what is started (the sandbox's wrapper); the result is
   *     started under {@code setsid}, so the wrapper and what it starts share one group unless the wrapper makes a
   *     session of its own (then it must take its children down with it, as bwrap's --die-with-parent does)
   * @return the outcome; an interrupt kills the checker and returns an error outcome with the thread's interrupt
   *     flag set again
   */
  public static CheckOutcome run(Checker c, Path workspaceRoot, Map<String, String> env,
      Function<List<String>, List<String>> wrapArgv) {
    Path cwd;
    try {
      cwd = resolveCwd(c.cwd(), workspaceRoot);
    } catch (IllegalArgumentException e) {
      return CheckOutcome.error(e.getMessage());
    }
    if (!Files.isDirectory(cwd)) {
      return CheckOutcome.error("checker_cwd " + cwd + " does not exist or is not a directory");
    }
    List<String> command = wrapArgv.apply(List.of("sh", "-c", c.command()));
    // Under setsid a missing program would only be an exit code (127), i.e. a blocked check instead of a spawn error.
    if (!findable(command.get(0), env.get("PATH"))) {
      return CheckOutcome.error("failed to start the checker: " + command.get(0) + " not found");
    }
    List<String> argv = new ArrayList<>();
    if (ProcessGroups.SETSID != null) argv.add(ProcessGroups.SETSID);
    argv.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    // Nothing reads its output; a full pipe would block it until the timeout.
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p;
    try {
      p = pb.start();
    } catch (IOException | RuntimeException e) {
      return CheckOutcome.error("failed to start the checker: " + e.getMessage());
    }
    try {
      boolean ended = p.waitFor(c.timeoutSeconds(), TimeUnit.SECONDS);
      if (!ended) {
        killAndReap(p);
        return CheckOutcome.error("checker timed out after " + c.timeoutSeconds() + " s and was killed");
      }
      int code = p.exitValue();
      killGroup(p, true);
      return code == 0 ? CheckOutcome.passed() : CheckOutcome.blocked();
    } catch (InterruptedException e) {
      killAndReap(p);
      Thread.currentThread().interrupt();
      return CheckOutcome.error("checker interrupted");
    }
  }

  /**
   * The checker's working directory: {@code cwd} resolved against the workspace (absolute values must lie inside
   * it), symlinks followed as far as the path exists; null = the workspace root.
   *
   * @throws IllegalArgumentException if it is outside the workspace
   */
  public static Path resolveCwd(String cwd, Path workspaceRoot) {
    Path root = workspaceRoot.toAbsolutePath().normalize();
    Path realRoot;
    try {
      realRoot = root.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException("the conversation workspace " + root + " is not accessible");
    }
    if (cwd == null) return realRoot;
    Path lexical;
    try {
      Path given = Path.of(cwd);
      lexical = (given.isAbsolute() ? given : realRoot.resolve(given)).normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("checker_cwd \"" + CronFieldText.oneLine(cwd) + "\" is not a valid path");
    }
    Path resolved = lexical;
    if (Files.exists(lexical)) {
      try {
        resolved = lexical.toRealPath();
      } catch (IOException e) {
        resolved = lexical;
      }
    }
    boolean inside = resolved.startsWith(realRoot) || (!Files.exists(lexical) && lexical.startsWith(root));
    if (!inside) {
      throw new IllegalArgumentException("checker_cwd \"" + CronFieldText.oneLine(cwd)
          + "\" is outside the conversation workspace; give a directory inside it (relative paths are resolved "
          + "against it)");
    }
    return resolved;
  }

  /** Whether {@code program} is an executable path, or a name found executable on {@code path}. */
  private static boolean findable(String program, String path) {
    if (program.contains("/")) return Files.isExecutable(Path.of(program));
    if (path == null) return false;
    for (String d : path.split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) return true;
    }
    return false;
  }

  private static void killAndReap(Process p) {
    killGroup(p, false);
    p.destroyForcibly();
    try {
      p.waitFor(REAP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // What the shell forked between the first kill and its own death.
    killGroup(p, true);
  }

  private static void killGroup(Process p, boolean reaped) {
    // setsid execs the command without forking (the JVM's child is no group leader), so its pid is the group id.
    if (ProcessGroups.SETSID != null) ProcessGroups.kill(p.pid(), reaped);
  }
}
