package partyclaw.tools.web;

import java.time.Duration;
import java.util.concurrent.Future;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.TurnSignal;

/** The wait of the one-shot web tools: until the work is done, the turn's signal is raised, or the time is up. */
final class Waiting {
  enum Outcome { DONE, INTERRUPTED, TIMED_OUT }

  /** Longer than any sensible single request; it also keeps the deadline arithmetic far from overflow. */
  static final double MAX_TIMEOUT_SECONDS = 3600;
  private static final long POLL_NANOS = 20_000_000L;

  private Waiting() {}

  /** {@code timeout_seconds}: required, finite and above zero; capped at an hour. */
  static double timeoutSeconds(double value) throws ToolException {
    if (Double.isNaN(value) || Double.isInfinite(value) || value <= 0) {
      throw new ToolException("timeout_seconds must be a finite number of seconds greater than 0");
    }
    return Math.min(value, MAX_TIMEOUT_SECONDS);
  }

  static Outcome await(Future<?> work, TurnSignal signal, long deadlineNanos) throws InterruptedException {
    while (true) {
      if (work.isDone()) return Outcome.DONE;
      if (signal.isInterrupted()) return Outcome.INTERRUPTED;
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) return Outcome.TIMED_OUT;
      // Wakes at once on the signal; the work's end is noticed at the next poll.
      signal.await(Duration.ofNanos(Math.min(left, POLL_NANOS)));
    }
  }
}
