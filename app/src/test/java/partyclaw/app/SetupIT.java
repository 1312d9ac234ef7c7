package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scripts/partyclaw setup} as a user runs it, with XDG_CONFIG_HOME in a temporary directory. */
class SetupIT {
  @TempDir Path dir;

  @Test
  void writesAUnitThatRunsTheLauncherWithAbsolutePaths() throws Exception {
    Path xdg = dir.resolve("xdg");
    Path calls = dir.resolve("systemctl.calls");
    // Stands in for systemctl, so the test never reloads the real user manager of the machine it runs on.
    Path systemctl = dir.resolve("bin/systemctl");
    Files.createDirectories(systemctl.getParent());
    Files.writeString(systemctl, "#!/bin/sh\necho \"$@\" >> '" + calls + "'\n");
    Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path config = TestConfigs.cli(dir, "http://127.0.0.1:9/v1");
    Files.writeString(dir.resolve(".env"), "OPENROUTER_API_KEY=not-used\n");

    try (DaemonProcess p = DaemonProcess.start(dir, "setup", null,
        Map.of("XDG_CONFIG_HOME", xdg.toString(), "PARTYCLAW_SYSTEMCTL", systemctl.toString()),
        "setup", config.toString(), dir.resolve("wd").toString(), "pc-it")) {
      assertEquals(0, p.waitForExit(Duration.ofSeconds(60)), p.stderr());
      Path unit = xdg.resolve("systemd/user/pc-it.service");
      String launcher = DaemonProcess.REPO.resolve("scripts/partyclaw").toRealPath().toString();
      // A developer's checkout may hold its own .env: it is then the first environment file.
      Path repoEnv = DaemonProcess.REPO.toRealPath().resolve(".env");
      String repoEnvLine = Files.isRegularFile(repoEnv) ? "EnvironmentFile=-" + repoEnv : null;
      assertEquals(java.util.stream.Stream.of(
          "[Unit]",
          "Description=Partyclaw Agent Host",
          "After=network.target",
          "",
          "[Service]",
          "Type=simple",
          "WorkingDirectory=" + DaemonProcess.REPO.toRealPath(),
          "ExecStart=\"" + launcher + "\" run --config \"" + config.toAbsolutePath() + "\" --workdir \""
              + dir.resolve("wd").toAbsolutePath() + "\"",
          "Restart=always",
          "RestartSec=3",
          repoEnvLine,
          "EnvironmentFile=-" + dir.resolve(".env").toAbsolutePath(),
          "",
          "[Install]",
          "WantedBy=default.target").filter(java.util.Objects::nonNull).toList(), Files.readAllLines(unit));
      assertEquals(List.of("--user daemon-reload"), Files.readAllLines(calls));
      assertTrue(p.stdout().contains("systemctl --user enable --now pc-it.service"), p.stdout());
      assertTrue(p.stdout().contains("sudo loginctl enable-linger"), p.stdout());
      verifiedBySystemd(unit);
    }
  }

  @Test
  void theFlagFormWritesTheSameUnitUnderTheDefaultName() throws Exception {
    Path xdg = dir.resolve("xdg");
    Path config = TestConfigs.cli(dir, "http://127.0.0.1:9/v1");
    try (DaemonProcess p = DaemonProcess.start(dir, "setup-flags", null,
        Map.of("XDG_CONFIG_HOME", xdg.toString(), "PARTYCLAW_SYSTEMCTL", "/bin/true"),
        "setup", "--config", config.toString(), "--workdir", dir.resolve("wd").toString())) {
      assertEquals(0, p.waitForExit(Duration.ofSeconds(60)), p.stderr());
      assertTrue(Files.readString(xdg.resolve("systemd/user/partyclaw.service"))
          .contains(" run --config \"" + config.toAbsolutePath() + "\" --workdir \""), p.stdout());
    }
  }

  /** Where systemd-analyze exists, systemd itself must accept the unit (it rejects quoted WorkingDirectory=). */
  private static void verifiedBySystemd(Path unit) throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    if (!Files.isExecutable(analyze)) return;
    Process p = new ProcessBuilder(analyze.toString(), "verify", unit.toString()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze verify did not finish");
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.exitValue(), out);
    assertTrue(!out.contains(unit.getFileName().toString() + ":"), "systemd warns about the unit: " + out);
  }
}
