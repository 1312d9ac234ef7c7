package partyclaw.tools.sandbox;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one long-lived thread that starts every tool process. bwrap's {@code --die-with-parent} (PR_SET_PDEATHSIG)
 * fires when the <em>thread</em> that forked it ends, not the process: a process started from a tool call's thread
 * would be killed as soon as that thread finished, taking a background exec with it.
 */
public final class SpawnThread {
  /** Starts a process; the checked exception of a failed start is passed through. */
  @FunctionalInterface
  public interface Start<T> {
    T start() throws IOException;
  }

  private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "tool-process-spawner");
    t.setDaemon(true);
    return t;
  });

  private SpawnThread() {}

  /** Runs {@code start} on the spawn thread and returns what it started. */
  public static <T> T start(Start<T> start) throws IOException, InterruptedException {
    // submit(), never execute(): a failing start must not end the thread (and with it every process it started).
    Future<T> f = THREAD.submit(start::start);
    try {
      return f.get();
    } catch (InterruptedException e) {
      // The start itself takes milliseconds: wait for it, so that nothing it started is left unknown and running.
      discard(f);
      throw e;
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) throw io;
      if (c instanceof RuntimeException re) throw re;
      if (c instanceof Error err) throw err;
      throw new IOException(c);
    }
  }

  private static void discard(Future<?> f) {
    boolean interrupted = false;
    while (true) {
      try {
        if (f.get() instanceof Process p) p.destroyForcibly();
        break;
      } catch (InterruptedException again) {
        interrupted = true;
      } catch (ExecutionException failed) {
        break;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }
}
