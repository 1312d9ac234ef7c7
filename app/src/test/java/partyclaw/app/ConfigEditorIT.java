package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code partyclaw config} driven in a real terminal: tmux runs the packaged launcher, keys are sent with
 * {@code send-keys} and the screen read with {@code capture-pane}. The check: on a new file, {@code b}, an
 * openrouter model and a telegram channel through the wizards, {@code s}, {@code q}; the file then passes
 * {@code partyclaw validate}. And {@code v} on a broken file shows the error.
 */
class ConfigEditorIT {
  private static final Duration SCREEN_WAIT = Duration.ofSeconds(30);
  @TempDir Path dir;
  private final String session = "partyclaw-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

  @BeforeEach
  void needsTmux() throws Exception {
    boolean present;
    try {
      present = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException e) {
      present = false;
    }
    // .ci/run installs tmux; a developer machine without it skips this test and says why.
    Assumptions.assumeTrue(present, "tmux is not installed: the TUI test needs it (apt-get install tmux)");
  }

  @AfterEach
  void killSession() throws Exception {
    new ProcessBuilder("tmux", "kill-session", "-t", session).redirectErrorStream(true).start()
        .waitFor(10, TimeUnit.SECONDS);
  }

  @Test
  void bootstrapAddAModelAndATelegramChannelSaveQuitThenValidate() throws Exception {
    Path file = dir.resolve("new.json");
    Path exit = start(file);
    awaitScreen(s -> s.contains(" partyclaw config: " + file + " | Overview"));
    keys("b");
    awaitScreen(s -> s.contains("Replace the current config with the latest empty skeleton?"));
    keys("y");
    awaitScreen(s -> s.contains("Replaced the document with the latest skeleton"));
    keys("Down", "Enter", "a");
    awaitScreen(s -> s.contains("+- Model type "));
    keys("Enter");
    awaitScreen(s -> s.contains("| New model [unsaved]"));
    keys("Down", "Down", "Enter");
    awaitScreen(s -> s.contains("+- Edit "));
    literal("anthropic/claude-sonnet-4");
    keys("Enter");
    awaitScreen(s -> s.contains("> model: anthropic/claude-sonnet-4"));
    keys("s");
    awaitScreen(s -> s.contains("Model 'main' updated in the document"));
    keys("Left", "Down", "Down", "Down", "Down", "Down", "Enter", "a");
    awaitScreen(s -> s.contains("+- Channel kind "));
    keys("Enter");
    awaitScreen(s -> s.contains("| New channel [unsaved]") && s.contains("bot_token_env: TELEGRAM_BOT_TOKEN"));
    keys("s");
    awaitScreen(s -> s.contains("Channel 'telegram-main' updated in the document"));
    keys("s");
    awaitScreen(s -> s.contains("-- Saved " + file + "."));
    keys("q");
    awaitExit(exit);

    DaemonProcess validate = DaemonProcess.start(dir, "validate", null,
        Map.of("TELEGRAM_BOT_TOKEN", "123456:test-token-for-validate", "OPENROUTER_API_KEY", "sk-or-test"),
        "validate", "--config", file.toString());
    assertEquals(0, validate.waitForExit(Duration.ofSeconds(60)), validate.stderr());
    assertEquals("config OK: " + file + " (version 0.21, 1 model(s), 1 channel(s))", validate.stdout().strip());
  }

  @Test
  void validateOnABrokenFileShowsTheErrorAndARefusedTerminalIsExplained() throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"version\": \"0.21\", \"models\": {}, \"main_agent\": {}, \"channels\": []}\n");
    Path exit = start(file);
    awaitScreen(s -> s.contains(" partyclaw config: " + file + " | Overview"));
    keys("v");
    String screen = awaitScreen(s -> s.contains("+- Error "));
    assertTrue(screen.contains("| Validation failed:"), screen);
    assertTrue(screen.contains("| $.models: server config must include at least one model"), screen);
    assertTrue(screen.contains("| $.channels: server config must include at least one channel"), screen);
    assertTrue(screen.contains("-- Last action failed: validation found 2 problem(s)."), screen);
    keys("Enter", "q");
    awaitExit(exit);
    assertEquals("{\"version\": \"0.21\", \"models\": {}, \"main_agent\": {}, \"channels\": []}\n",
        Files.readString(file), "validation never rewrites the file");

    DaemonProcess piped = DaemonProcess.start(dir, "config-piped", "", Map.of(), "config", file.toString());
    assertEquals(2, piped.waitForExit(Duration.ofSeconds(60)));
    assertEquals("`partyclaw config` requires an interactive terminal", piped.stderr().strip());
  }

  /** Starts the editor in a detached 120x40 tmux session; the returned file gets its exit code. */
  private Path start(Path file) throws Exception {
    Path exit = dir.resolve("exit-" + System.nanoTime());
    String launcher = DaemonProcess.REPO.resolve("scripts/partyclaw").toString();
    String cmd = "cd " + q(dir.toString()) + " && env PARTYCLAW_NO_REBUILD=1 OPENROUTER_API_KEY=sk-or-test"
        + " TELEGRAM_BOT_TOKEN=123456:test-token bash " + q(launcher) + " config " + q(file.toString())
        + " 2>" + q(dir.resolve("editor.stderr").toString()) + "; echo $? > " + q(exit.toString()) + "; sleep 60";
    run("tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", cmd);
    return exit;
  }

  private static String q(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private void keys(String... keys) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("tmux", "send-keys", "-t", session));
    cmd.addAll(List.of(keys));
    run(cmd.toArray(String[]::new));
  }

  private void literal(String text) throws Exception {
    run("tmux", "send-keys", "-t", session, "-l", text);
  }

  private String capture() throws Exception {
    Process p = new ProcessBuilder("tmux", "capture-pane", "-p", "-t", session).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  private String awaitScreen(Predicate<String> condition) throws Exception {
    long deadline = System.nanoTime() + SCREEN_WAIT.toNanos();
    String screen = capture();
    while (!condition.test(screen)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the screen never showed what was expected; last screen:\n" + screen
            + "\neditor stderr:\n" + readOrEmpty(dir.resolve("editor.stderr")));
      }
      Thread.sleep(100); // polling the terminal for a condition
      screen = capture();
    }
    return screen;
  }

  private void awaitExit(Path exit) throws Exception {
    long deadline = System.nanoTime() + SCREEN_WAIT.toNanos();
    while (!Files.exists(exit) || Files.readString(exit).isBlank()) {
      if (System.nanoTime() > deadline) throw new AssertionError("the editor did not exit:\n" + capture());
      Thread.sleep(100);
    }
    assertEquals("0", Files.readString(exit).strip(), readOrEmpty(dir.resolve("editor.stderr")));
  }

  private static String readOrEmpty(Path p) throws IOException {
    return Files.exists(p) ? Files.readString(p) : "";
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
