package partyclaw.core.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckerRunnerTest {
  @TempDir Path dir;

  private Path workspace() throws IOException {
    return Files.createDirectories(dir.resolve("ws")).toRealPath();
  }

  private static Map<String, String> env(String... kv) {
    Map<String, String> env = new java.util.HashMap<>();
    String path = System.getenv("PATH");
    env.put("PATH", path == null ? "/usr/local/bin:/usr/bin:/bin" : path);
    for (int i = 0; i < kv.length; i += 2) env.put(kv[i], kv[i + 1]);
    return env;
  }

  private static CheckOutcome run(String command, int timeout, String cwd, Path ws) {
    return CheckerRunner.run(new Checker(command, timeout, cwd), ws, env());
  }

  /** The live (not zombie) processes of group {@code pgid}, read from /proc independently of the code under test. */
  private static List<String> liveMembers(long pgid) throws IOException {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString()
        .chars().allMatch(Character::isDigit))) {
      for (Path p : procs) {
        String stat;
        try {
          stat = Files.readString(p.resolve("stat"), StandardCharsets.UTF_8);
        } catch (IOException e) {
          continue;
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        if (Long.parseLong(f[2]) == pgid && !f[0].equals("Z") && !f[0].equals("X")) out.add(stat.trim());
      }
    }
    return out;
  }

  private static long ownGroup() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
  }

  @Test
  void exitZeroPassesAndFires() throws IOException {
    assertEquals(new CheckOutcome(CheckOutcome.Kind.PASSED, "checker_passed"), run("exit 0", 5, null, workspace()));
    assertTrue(CheckOutcome.passed().fires());
  }

  @Test
  void nonZeroBlocks() throws IOException {
    CheckOutcome o = run("exit 1", 5, null, workspace());
    assertEquals(new CheckOutcome(CheckOutcome.Kind.BLOCKED, "checker_blocked"), o);
    assertFalse(o.fires());
  }

  @Test
  void aMissingCommandIsANonZeroExit() throws IOException {
    assertEquals(CheckOutcome.blocked(), run("partyclaw-no-such-command-xyz", 5, null, workspace()));
  }

  @Test
  void runsInTheWorkspaceWithTheGivenEnvironmentOnly() throws IOException {
    Path ws = workspace();
    Files.createDirectories(ws.resolve("sub"));
    String cmd = "pwd > \"$OUT\"; test \"$FOO\" = bar && test -z \"$HOME_SHOULD_BE_UNSET\"";
    CheckOutcome o = CheckerRunner.run(new Checker(cmd, 5, "sub"), ws,
        env("FOO", "bar", "OUT", ws.resolve("where.txt").toString()));
    assertEquals(CheckOutcome.passed(), o);
    assertEquals(ws.resolve("sub") + "\n", Files.readString(ws.resolve("where.txt")));
    assertEquals(CheckOutcome.passed(), CheckerRunner.run(new Checker("pwd > where-root.txt", 5, null), ws, env()));
    assertEquals(ws + "\n", Files.readString(ws.resolve("where-root.txt")));
  }

  @Test
  void theWrapperSeesTheShellArgv() throws IOException {
    List<List<String>> seen = new ArrayList<>();
    CheckOutcome o = CheckerRunner.run(new Checker("test \"$WRAPPED\" = yes", 5, null), workspace(), env(), argv -> {
      seen.add(argv);
      return Stream.concat(Stream.of("env", "WRAPPED=yes"), argv.stream()).toList();
    });
    assertEquals(CheckOutcome.passed(), o);
    assertEquals(List.of(List.of("sh", "-c", "test \"$WRAPPED\" = yes")), seen);
  }

  @Test
  void aTimedOutCheckerIsKilledWithItsWholeGroup() throws IOException {
    Path ws = workspace();
    long started = System.nanoTime();
    CheckOutcome o = run("echo $$ > group.pid; sleep 30 & sleep 30", 1, null, ws);
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    assertEquals(new CheckOutcome(CheckOutcome.Kind.ERROR,
        "checker_error_triggered: checker timed out after 1 s and was killed"), o);
    assertTrue(o.fires());
    assertTrue(tookMillis < 10_000, "took " + tookMillis + " ms");
    long pgid = Long.parseLong(Files.readString(ws.resolve("group.pid")).trim());
    assertNotEquals(ownGroup(), pgid);
    assertEquals(List.of(), liveMembers(pgid));
  }

  @Test
  void whatAPassingCheckerLeavesBehindIsKilled() throws IOException {
    Path ws = workspace();
    assertEquals(CheckOutcome.passed(), run("echo $$ > group.pid; sleep 30 & exit 0", 5, null, ws));
    long pgid = Long.parseLong(Files.readString(ws.resolve("group.pid")).trim());
    assertEquals(List.of(), liveMembers(pgid));
  }

  @Test
  void aProgramThatCannotStartIsAnErrorThatStillFires() throws IOException {
    CheckOutcome o = CheckerRunner.run(new Checker("exit 1", 5, null), workspace(), env(),
        argv -> Stream.concat(Stream.of("/nonexistent/wrapper"), argv.stream()).toList());
    assertEquals(new CheckOutcome(CheckOutcome.Kind.ERROR,
        "checker_error_triggered: failed to start the checker: /nonexistent/wrapper not found"), o);
    assertEquals(CheckOutcome.error("failed to start the checker: sh not found"),
        CheckerRunner.run(new Checker("exit 0", 5, null), workspace(), Map.of("PATH", dir.toString())));
  }

  @Test
  void aMissingCwdIsAnErrorThatStillFires() throws IOException {
    Path ws = workspace();
    CheckOutcome o = run("exit 1", 5, "nope", ws);
    assertEquals(new CheckOutcome(CheckOutcome.Kind.ERROR, "checker_error_triggered: checker_cwd " + ws.resolve("nope")
        + " does not exist or is not a directory"), o);
    assertTrue(o.fires());
  }

  @Test
  void aCwdOutsideTheWorkspaceIsRefusedAndTheCommandNotRun() throws IOException {
    Path ws = workspace();
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.createSymbolicLink(ws.resolve("link"), outside);
    String reason = " is outside the conversation workspace; give a directory inside it (relative paths are resolved "
        + "against it)";
    for (String cwd : List.of("../outside", outside.toString(), "link", "sub/../../outside")) {
      CheckOutcome o = run("touch ran", 5, cwd, ws);
      assertEquals(new CheckOutcome(CheckOutcome.Kind.ERROR,
          "checker_error_triggered: checker_cwd \"" + cwd + "\"" + reason), o, cwd);
    }
    assertFalse(Files.exists(outside.resolve("ran")));
    assertFalse(Files.exists(ws.resolve("ran")));
  }

  @Test
  void resolveCwdAcceptsPathsInsideTheWorkspace() throws IOException {
    Path ws = workspace();
    Files.createDirectories(ws.resolve("a/b"));
    assertEquals(ws, CheckerRunner.resolveCwd(null, ws));
    assertEquals(ws.resolve("a/b"), CheckerRunner.resolveCwd("a/./b", ws));
    assertEquals(ws.resolve("a/b"), CheckerRunner.resolveCwd(ws.resolve("a/b").toString(), ws));
    assertEquals(ws.resolve("later"), CheckerRunner.resolveCwd("later", ws));
  }
}
