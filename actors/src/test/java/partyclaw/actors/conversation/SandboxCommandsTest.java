package partyclaw.actors.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.actors.SandboxPolicy;
import partyclaw.core.config.MainAgentConfig;
import partyclaw.core.sandbox.SandboxLimits;
import partyclaw.core.sandbox.SandboxMode;

/** /sandbox and /mount: journaled, checked, shown in /status and the prompt; a chat can only tighten the sandbox. */
class SandboxCommandsTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  @TempDir Path workdir;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static SandboxPolicy policy(SandboxMode configured, boolean available, List<Path> mountRoots) {
    return new SandboxPolicy(configured, available, available ? null : "bwrap was not found on PATH", "bwrap", true,
        SandboxLimits.DEFAULT, mountRoots, null);
  }

  EntityFixture fixture(String channel, SandboxPolicy policy) {
    return new EntityFixture(testKit, workdir, 20, Duration.ofMinutes(10), channel, 128_000,
        MainAgentConfig.defaults(), Duration.ofMinutes(5), policy);
  }

  String command(EntityFixture f, String text) {
    f.send(text);
    return f.nextDelivery().text();
  }

  @Test
  void aChatCanTightenItsSandboxAndTheSettingSurvivesARestart() {
    EntityFixture f = fixture("tg", policy(SandboxMode.SUBPROCESS, true, List.of()));
    String shown = command(f, "/sandbox");
    assertTrue(shown.startsWith("Current conversation sandbox mode: `subprocess`\nsubprocess — tool processes are NOT"
        + " isolated"), shown);
    assertEquals("Conversation sandbox mode updated to `bubblewrap`.", command(f, "/sandbox bubblewrap"));
    f.await("quiet", ConversationState::quiet);
    f.entity.restart();
    assertEquals("bubblewrap", f.entity.getState().settings().sandboxMode());
    String status = command(f, "/status");
    assertTrue(status.contains("\nSandbox: bubblewrap (conversation setting; network on; at most 256 processes"),
        status);
    assertEquals("Conversation sandbox mode updated to `subprocess`.", command(f, "/sandbox default"));
    assertEquals(null, f.entity.getState().settings().sandboxMode());
    assertTrue(command(f, "/sandbox docker").startsWith("Unknown sandbox mode `docker`."));
  }

  @Test
  void onlyAnOperatorMayRunWithLessIsolationThanConfigured() {
    EntityFixture chat = fixture("tg", policy(SandboxMode.BUBBLEWRAP, true, List.of()));
    assertEquals("Only an operator may run this conversation with less isolation than the configured sandbox"
        + " (`bubblewrap`).", command(chat, "/sandbox subprocess"));
    assertEquals(null, chat.entity.getState().settings().sandboxMode());
    EntityFixture operator = fixture("cli", policy(SandboxMode.BUBBLEWRAP, true, List.of()));
    assertEquals("Conversation sandbox mode updated to `subprocess`.", command(operator, "/sandbox subprocess"));
  }

  @Test
  void bubblewrapThatIsUnavailableIsRefusedAndStatusSaysWhy() {
    EntityFixture f = fixture("tg", policy(SandboxMode.BUBBLEWRAP, false, List.of()));
    assertEquals("Sandbox mode `bubblewrap` is not available on this host: bwrap was not found on PATH.",
        command(f, "/sandbox bubblewrap"));
    String status = command(f, "/status");
    assertTrue(status.contains("\nSandbox: subprocess — tool processes are NOT isolated: they run as the daemon's user"
        + " and see what it sees (secrets are only removed from their environment); bubblewrap was asked for (config)"
        + " but is unavailable: bwrap was not found on PATH\n"), status);
  }

  @Test
  void mountsAreCheckedJournaledAndShownToTheModel() throws Exception {
    Path outside = Files.createTempDirectory("partyclaw-mount-").toRealPath();
    try {
      EntityFixture f = fixture("cli", policy(SandboxMode.BUBBLEWRAP, true, List.of()));
      assertTrue(command(f, "/mount").startsWith("No folders are mounted.\nUsage: `/mount <folder> [ro|rw]`"));
      assertEquals("Cannot mount: the root folder cannot be mounted.", command(f, "/mount /"));
      assertTrue(command(f, "/mount " + workdir).contains("holds or is inside partyclaw's workdir"));
      assertEquals("Cannot mount: `" + outside.resolve("nope") + "` does not exist.",
          command(f, "/mount " + outside.resolve("nope")));
      assertEquals("Mounted `" + outside + "` read-write for this conversation. It is visible to this conversation's"
          + " tools from the next command on.", command(f, "/mount " + outside + " rw"));
      assertEquals(List.of(new ConversationState.Mount(outside.toString(), false)),
          f.entity.getState().settings().mounts());
      f.chat.text("seen");
      f.send("what is mounted?");
      assertEquals("seen", f.nextDelivery().text());
      assertTrue(f.request(0).get(0).content().contains("Local mounts (host folders visible to your tools at the same"
          + " path):\n- " + outside + " (read-write)"), f.request(0).get(0).content());
      assertEquals("Unmounted `" + outside + "`.", command(f, "/mount remove " + outside));
      assertEquals(List.of(), f.entity.getState().settings().mounts());

      EntityFixture chat = fixture("tg", policy(SandboxMode.BUBBLEWRAP, true, List.of()));
      assertEquals("Cannot mount: only an operator may mount folders (the config names no sandbox.mount_roots).",
          command(chat, "/mount " + outside));
      EntityFixture allowed = fixture("tg", policy(SandboxMode.BUBBLEWRAP, true, List.of(outside.getParent())));
      assertTrue(command(allowed, "/mount " + outside).startsWith("Mounted `" + outside + "` read-only"));
    } finally {
      Files.deleteIfExists(outside);
    }
  }
}
