package partyclaw.core.tool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The interrupt/cancel signal of one tool batch. Interrupt = yield (an interruptible tool returns
 * promptly with what it has; its background work goes on). Cancel = stop for real (processes killed,
 * partial output removed). Cancel implies interrupt. Sticky once raised.
 */
public final class TurnSignal {
  public enum Level { NONE, INTERRUPTED, CANCELLED }

  private volatile Level level = Level.NONE;
  private final List<Runnable> cancelHooks = new CopyOnWriteArrayList<>();

  public Level level() {
    return level;
  }

  public boolean isInterrupted() {
    return level != Level.NONE;
  }

  public boolean isCancelled() {
    return level == Level.CANCELLED;
  }

  public void interrupt() {
    raise(Level.INTERRUPTED);
  }

  public void cancel() {
    raise(Level.CANCELLED);
    for (Runnable hook : cancelHooks) {
      try {
        hook.run();
      } catch (RuntimeException ignored) {
        // a failing hook must not keep the others from running
      }
    }
  }

  /** Runs {@code hook} on cancel (at once if already cancelled): kill a process, abort a download. */
  public void onCancel(Runnable hook) {
    cancelHooks.add(hook);
    if (isCancelled()) hook.run();
  }

  private synchronized void raise(Level to) {
    if (to.ordinal() > level.ordinal()) level = to;
    notifyAll();
  }

  /** Waits up to {@code timeout} for the signal; true if it was raised. */
  public synchronized boolean await(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (level == Level.NONE) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      long ms = Math.max(1, left / 1_000_000);
      wait(ms);
    }
    return true;
  }
}
