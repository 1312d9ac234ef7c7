package partyclaw.app.setup;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code partyclaw setup}: resolves the paths, writes the systemd user unit, reloads systemd when there is one, and
 * says what to do next. Not finding systemd is not an error: the unit is written and the message says what to run.
 *
 * @param env the process environment ({@code XDG_CONFIG_HOME}, {@code HOME}, {@code PATH}; {@code PARTYCLAW_LAUNCHER}
 *     is set by {@code scripts/partyclaw} to its own path; {@code PARTYCLAW_SYSTEMCTL} replaces the systemctl
 *     command, e.g. for tests)
 * @param jar the jar this runs from, when it runs from one
 */
public record ServiceSetup(Map<String, String> env, Path cwd, Path jar, String osName, PrintStream out,
    PrintStream err) {

  private static final long SYSTEMCTL_TIMEOUT_SECONDS = 30;

  /** The result of a setup that wrote its unit. */
  public record Written(Path unitFile, SystemdUnit unit, String serviceName) {}

  /** Exit code: 0 when the unit was written (or the OS has no systemd), 2 for bad arguments, 1 for I/O errors. */
  public int run(Path config, Path workdir, String name) {
    if (!osName.toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
      out.println("`partyclaw setup` only supports Linux (systemd user units); on " + osName
          + " start `partyclaw run --config <file> --workdir <dir>` with the system's own service manager.");
      return 0;
    }
    Written written;
    try {
      written = write(config, workdir, name);
    } catch (IllegalArgumentException e) {
      err.println("partyclaw setup: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("partyclaw setup: cannot write the unit: " + e.getMessage());
      return 1;
    }
    describe(written);
    reload(written.serviceName());
    return 0;
  }

  /** Resolves everything and writes the unit file (replacing an earlier one of the same name). */
  public Written write(Path config, Path workdir, String name) throws IOException {
    String serviceName = SystemdUnit.serviceName(name);
    Path absConfig = cwd.resolve(config).toAbsolutePath().normalize();
    Path absWorkdir = cwd.resolve(workdir).toAbsolutePath().normalize();
    Executable exe = executable();
    List<Path> envFiles = new ArrayList<>();
    for (Path candidate : List.of(exe.workingDirectory().resolve(".env"), absConfig.getParent().resolve(".env"))) {
      Path normalized = candidate.toAbsolutePath().normalize();
      if (Files.isRegularFile(normalized) && !envFiles.contains(normalized)) envFiles.add(normalized);
    }
    SystemdUnit unit = new SystemdUnit(exe.workingDirectory(), exe.command(), absConfig, absWorkdir, envFiles);
    String text = unit.render();
    Path unitFile = unitDirectory().resolve(serviceName);
    Files.createDirectories(unitFile.getParent());
    Path tmp = Files.createTempFile(unitFile.getParent(), "." + serviceName, ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, unitFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return new Written(unitFile, unit, serviceName);
  }

  /** {@code $XDG_CONFIG_HOME/systemd/user}, else {@code ~/.config/systemd/user}. */
  Path unitDirectory() {
    String xdg = env.get("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank()) return cwd.resolve(xdg).toAbsolutePath().normalize().resolve("systemd/user");
    String home = env.get("HOME");
    if (home == null || home.isBlank()) {
      throw new IllegalArgumentException("neither XDG_CONFIG_HOME nor HOME is set: there is no user unit directory");
    }
    return Path.of(home).toAbsolutePath().normalize().resolve(".config/systemd/user");
  }

  private record Executable(List<String> command, Path workingDirectory) {}

  /**
   * The launcher the service runs, canonical, and the working directory: the checkout's root when the launcher is
   * a checkout's {@code scripts/partyclaw} (its {@code .env} is then picked up), else the current directory.
   */
  private Executable executable() throws IOException {
    Optional<Path> launcher = Optional.ofNullable(env.get("PARTYCLAW_LAUNCHER")).filter(s -> !s.isBlank())
        .map(Path::of);
    if (launcher.isEmpty() && jar != null) {
      // <root>/app/target/partyclaw.jar next to <root>/scripts/partyclaw: started with java -jar from a checkout.
      Path root = jar.toAbsolutePath().getParent();
      for (int i = 0; i < 2 && root != null; i++) root = root.getParent();
      if (root != null && Files.isRegularFile(root.resolve("scripts/partyclaw"))) {
        launcher = Optional.of(root.resolve("scripts/partyclaw"));
      }
    }
    if (launcher.isPresent()) {
      Path real = launcher.get().toRealPath();
      Path root = real.getParent() == null ? null : real.getParent().getParent();
      boolean checkout = root != null && real.getParent().getFileName().toString().equals("scripts")
          && Files.isRegularFile(root.resolve("pom.xml"));
      return new Executable(List.of(real.toString()), checkout ? root : cwd.toAbsolutePath().normalize());
    }
    if (jar != null && Files.isRegularFile(jar)) {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
      return new Executable(List.of(java.toString(), "-jar", jar.toRealPath().toString()),
          cwd.toAbsolutePath().normalize());
    }
    throw new IllegalArgumentException("cannot tell which executable the service should run;"
        + " run setup through scripts/partyclaw");
  }

  private void describe(Written w) {
    SystemdUnit u = w.unit();
    out.println("Wrote the systemd user unit " + w.unitFile());
    out.println("  runs:              " + String.join(" ", u.execStart()) + " run --config " + u.config()
        + " --workdir " + u.workdir());
    out.println("  working directory: " + u.workingDirectory());
    out.println("  environment files: " + (u.environmentFiles().isEmpty() ? "(none found: "
        + u.workingDirectory().resolve(".env") + ", " + u.config().getParent().resolve(".env") + ")"
        : String.join(", ", u.environmentFiles().stream().map(Path::toString).toList())));
    if (!Files.isRegularFile(u.config())) {
      out.println("  warning: " + u.config() + " does not exist yet; the service fails until it does");
    }
  }

  /** Reloads the user manager; without systemctl, or without a user session, it says what to run instead. */
  private void reload(String serviceName) {
    String systemctl = Optional.ofNullable(env.get("PARTYCLAW_SYSTEMCTL")).filter(s -> !s.isBlank())
        .orElseGet(() -> onPath("systemctl").map(Path::toString).orElse(null));
    boolean reloaded = false;
    if (systemctl == null) {
      out.println("systemctl was not found: on the machine that runs systemd, run `systemctl --user daemon-reload`.");
    } else {
      reloaded = daemonReload(systemctl);
    }
    out.println();
    out.println("Next steps:");
    if (!reloaded) out.println("  systemctl --user daemon-reload");
    out.println("  systemctl --user enable --now " + serviceName + "    # start now and at every login");
    out.println("  systemctl --user restart " + serviceName + "         # after changing the config");
    out.println("  systemctl --user status " + serviceName + "          # is it running?");
    out.println("  journalctl --user -u " + serviceName + " -f          # follow its log");
    out.println("  sudo loginctl enable-linger \"$USER\"              # keep it running while you are logged out");
  }

  private boolean daemonReload(String systemctl) {
    try {
      Process p = new ProcessBuilder(systemctl, "--user", "daemon-reload").redirectErrorStream(true).start();
      p.getOutputStream().close();
      boolean ended = p.waitFor(SYSTEMCTL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      String output = ended ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip() : "";
      if (!ended) {
        p.destroyForcibly();
        out.println("`systemctl --user daemon-reload` did not finish within " + SYSTEMCTL_TIMEOUT_SECONDS
            + " s; run it yourself.");
        return false;
      }
      if (p.exitValue() != 0) {
        out.println("`systemctl --user daemon-reload` failed (exit " + p.exitValue() + ")"
            + (output.isEmpty() ? "" : ": " + output.lines().findFirst().orElse(""))
            + "; run it yourself in a login session of this user.");
        return false;
      }
      out.println("Reloaded the systemd user units (systemctl --user daemon-reload).");
      return true;
    } catch (IOException e) {
      out.println("could not run " + systemctl + " (" + e.getMessage() + "); run `systemctl --user daemon-reload`"
          + " yourself.");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Optional<Path> onPath(String command) {
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      Path candidate = Path.of(dir, command);
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) return Optional.of(candidate);
    }
    return Optional.empty();
  }
}
