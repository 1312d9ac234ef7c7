package partyclaw.app.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Setup against a temporary checkout and XDG_CONFIG_HOME, with a recording stand-in for systemctl. */
class ServiceSetupTest {
  @TempDir Path tmp;
  private Path root;
  private Path launcher;
  private Path cwd;
  private Path xdg;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void checkout() throws IOException {
    root = Files.createDirectories(tmp.resolve("checkout"));
    Files.writeString(root.resolve("pom.xml"), "<project/>");
    launcher = executable(root.resolve("scripts/partyclaw"), "#!/bin/sh\n");
    cwd = Files.createDirectories(tmp.resolve("home/me"));
    xdg = tmp.resolve("xdg");
    Files.createDirectories(cwd.resolve("conf"));
    Files.writeString(cwd.resolve("conf/config.json"), "{}");
  }

  private ServiceSetup setup(Map<String, String> env, String os) {
    return new ServiceSetup(env, cwd, null, os, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private Map<String, String> env(String... extra) {
    Map<String, String> env = new HashMap<>(Map.of("XDG_CONFIG_HOME", xdg.toString(),
        "HOME", cwd.toString(), "PARTYCLAW_LAUNCHER", launcher.toString(), "PATH", ""));
    for (int i = 0; i < extra.length; i += 2) env.put(extra[i], extra[i + 1]);
    return env;
  }

  @Test
  void writesTheUnitWithAbsolutePathsAndReloadsSystemd() throws Exception {
    Files.writeString(root.resolve(".env"), "OPENROUTER_API_KEY=x\n");
    Files.writeString(cwd.resolve("conf/.env"), "TELEGRAM_BOT_TOKEN=y\n");
    Path calls = tmp.resolve("systemctl.calls");
    Path systemctl = executable(tmp.resolve("bin/systemctl"), "#!/bin/sh\necho \"$@\" >> '" + calls + "'\n");

    int code = setup(env("PARTYCLAW_SYSTEMCTL", systemctl.toString()), "Linux")
        .run(Path.of("conf/config.json"), Path.of("state"), null);

    assertEquals(0, code, err.toString());
    Path unit = xdg.resolve("systemd/user/partyclaw.service");
    Path config = cwd.resolve("conf/config.json");
    assertEquals(List.of(
        "WorkingDirectory=" + root.toRealPath(),
        "ExecStart=\"" + launcher.toRealPath() + "\" run --config \"" + config + "\" --workdir \"" + cwd.resolve("state")
            + "\"",
        "Restart=always",
        "EnvironmentFile=-" + root.toRealPath().resolve(".env"),
        "EnvironmentFile=-" + cwd.resolve("conf/.env")),
        Files.readAllLines(unit).stream().filter(l -> l.startsWith("WorkingDirectory=") || l.startsWith("ExecStart=")
            || l.startsWith("Restart=") || l.startsWith("EnvironmentFile=")).toList());
    assertEquals(List.of("--user daemon-reload"), Files.readAllLines(calls));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.startsWith("Wrote the systemd user unit " + unit + "\n"), printed);
    assertTrue(printed.contains("Reloaded the systemd user units"), printed);
    assertTrue(printed.contains("  systemctl --user enable --now partyclaw.service"), printed);
    assertTrue(printed.contains("  sudo loginctl enable-linger \"$USER\""), printed);
    assertFalse(printed.contains("  systemctl --user daemon-reload\n"), printed);
  }

  @Test
  void withoutSystemctlTheUnitIsWrittenAndTheReloadIsLeftToTheUser() throws Exception {
    int code = setup(env(), "Linux").run(Path.of("conf/config.json"), Path.of("/var/lib/pc"), "bot");

    assertEquals(0, code, err.toString());
    assertTrue(Files.isRegularFile(xdg.resolve("systemd/user/bot.service")));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("systemctl was not found"), printed);
    assertTrue(printed.contains("  systemctl --user daemon-reload\n"), printed);
    assertTrue(printed.contains("  systemctl --user enable --now bot.service"), printed);
  }

  @Test
  void aFailingReloadIsReportedButSetupSucceeds() throws Exception {
    Path systemctl = executable(tmp.resolve("bin/systemctl"),
        "#!/bin/sh\necho 'Failed to connect to bus: No medium found' >&2\nexit 1\n");
    int code = setup(env("PARTYCLAW_SYSTEMCTL", systemctl.toString()), "Linux")
        .run(Path.of("conf/config.json"), Path.of("state"), null);
    assertEquals(0, code);
    assertTrue(out.toString(StandardCharsets.UTF_8).contains(
        "`systemctl --user daemon-reload` failed (exit 1): Failed to connect to bus: No medium found"), out.toString());
  }

  @Test
  void withoutXdgConfigHomeTheUnitGoesUnderHomeDotConfig() throws Exception {
    Map<String, String> env = env();
    env.remove("XDG_CONFIG_HOME");
    assertEquals(0, setup(env, "Linux").run(Path.of("conf/config.json"), Path.of("state"), null));
    assertTrue(Files.isRegularFile(cwd.resolve(".config/systemd/user/partyclaw.service")));
  }

  @Test
  void aLauncherOutsideACheckoutRunsInTheCurrentDirectory() throws Exception {
    Path installed = executable(tmp.resolve("opt/bin/partyclaw"), "#!/bin/sh\n");
    assertEquals(0, setup(env("PARTYCLAW_LAUNCHER", installed.toString()), "Linux")
        .run(Path.of("conf/config.json"), Path.of("state"), null));
    List<String> lines = Files.readAllLines(xdg.resolve("systemd/user/partyclaw.service"));
    assertTrue(lines.contains("WorkingDirectory=" + cwd), lines.toString());
    assertTrue(lines.contains("ExecStart=\"" + installed.toRealPath() + "\" run --config \""
        + cwd.resolve("conf/config.json") + "\" --workdir \"" + cwd.resolve("state") + "\""), lines.toString());
  }

  @Test
  void badNamesFailAndOtherSystemsAreToldItIsLinuxOnly() throws Exception {
    assertEquals(2, setup(env(), "Linux").run(Path.of("conf/config.json"), Path.of("state"), "a/b"));
    assertEquals("partyclaw setup: the service name 'a/b' must not contain / or \\\n", err.toString());

    assertEquals(0, setup(env(), "Mac OS X").run(Path.of("conf/config.json"), Path.of("state"), null));
    assertTrue(out.toString().startsWith("`partyclaw setup` only supports Linux"), out.toString());
    assertFalse(Files.exists(xdg.resolve("systemd")));
  }

  private static Path executable(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
