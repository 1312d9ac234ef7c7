package partyclaw.tools.exec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunReaperTest {
  private Process ours;
  private Process ourChild;
  private Process otherRun;

  @AfterEach
  void cleanUp() {
    for (Process p : new Process[] {ours, ourChild, otherRun}) {
      if (p != null) p.descendants().forEach(ProcessHandle::destroyForcibly);
      if (p != null) p.destroyForcibly();
    }
  }

  private static Process sleeper(String run) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("sleep", "120");
    pb.environment().put(ExecRun.RUN_ENV, run);
    return pb.start();
  }

  @Test
  void whenTheDaemonsEndOfThePipeClosesEveryProcessOfItsRunIsKilledAndNoOther() throws Exception {
    String run = "run-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    ours = sleeper(run);
    // A process that started its own session and group: still found by its environment.
    ProcessBuilder detached = new ProcessBuilder("setsid", "sleep", "120");
    detached.environment().put(ExecRun.RUN_ENV, run);
    ourChild = detached.start();
    otherRun = sleeper(run + "0");
    Process reaper = new ProcessBuilder("/bin/sh", "-c", RunReaper.SCRIPT, "partyclaw-reaper", run).start();

    // The daemon is alive as long as its end of the pipe is open: nothing is killed.
    assertFalse(reaper.waitFor(500, TimeUnit.MILLISECONDS));
    assertTrue(ours.isAlive());

    reaper.getOutputStream().close(); // what the kernel does when the daemon dies
    assertTrue(reaper.waitFor(30, TimeUnit.SECONDS), "the reaper finishes");
    assertTrue(ours.waitFor(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS), "this run's process is killed");
    assertTrue(ourChild.waitFor(5, TimeUnit.SECONDS), "this run's detached process is killed");
    assertTrue(otherRun.isAlive(), "a run whose id only starts like this one's is left alone");
  }
}
