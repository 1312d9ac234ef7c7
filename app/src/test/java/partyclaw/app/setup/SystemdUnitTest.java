package partyclaw.app.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The unit text, line for line, and the service-name rules of spec §4.3. */
class SystemdUnitTest {

  @Test
  void rendersTheWholeUnitWithQuotedCommandAndBarePathSettings() {
    SystemdUnit unit = new SystemdUnit(Path.of("/srv/party claw"), List.of("/srv/party claw/scripts/partyclaw"),
        Path.of("/etc/pc/config \"main\".json"), Path.of("/var/lib/pc/100%"),
        List.of(Path.of("/srv/party claw/.env"), Path.of("/etc/pc/.env")));
    assertEquals("""
        [Unit]
        Description=Partyclaw Agent Host
        After=network.target

        [Service]
        Type=simple
        WorkingDirectory=/srv/party claw
        ExecStart="/srv/party claw/scripts/partyclaw" run --config "/etc/pc/config \\"main\\".json" --workdir "/var/lib/pc/100%%"
        Restart=always
        RestartSec=3
        EnvironmentFile=-/srv/party claw/.env
        EnvironmentFile=-/etc/pc/.env

        [Install]
        WantedBy=default.target
        """, unit.render());
  }

  @Test
  void withoutEnvFilesThereIsNoEnvironmentFileLineAndDollarStaysLiteral() {
    String text = new SystemdUnit(Path.of("/w"), List.of("/usr/bin/java", "-jar", "/opt/pc/partyclaw.jar"),
        Path.of("/c/$HOME.json"), Path.of("/d"), List.of()).render();
    assertEquals(List.of("ExecStart=\"/usr/bin/java\" \"-jar\" \"/opt/pc/partyclaw.jar\" run --config \"/c/$$HOME.json\""
            + " --workdir \"/d\""),
        text.lines().filter(l -> l.startsWith("ExecStart=") || l.startsWith("EnvironmentFile")).toList());
  }

  @Test
  void pathsWithLineBreaksAreRefused() {
    SystemdUnit unit = new SystemdUnit(Path.of("/w"), List.of("/x"), Path.of("/c\nExecStartPre=/bin/evil"),
        Path.of("/d"), List.of());
    assertThrows(IllegalArgumentException.class, unit::render);
  }

  @Test
  void serviceNames() {
    assertEquals("partyclaw.service", SystemdUnit.serviceName(null));
    assertEquals("bot.service", SystemdUnit.serviceName("bot"));
    assertEquals("bot.service", SystemdUnit.serviceName("bot.service"));
    assertEquals("the service name must not be empty",
        assertThrows(IllegalArgumentException.class, () -> SystemdUnit.serviceName(" ")).getMessage());
    assertEquals("the service name 'a/b' must not contain / or \\",
        assertThrows(IllegalArgumentException.class, () -> SystemdUnit.serviceName("a/b")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> SystemdUnit.serviceName("a\\b"));
  }
}
