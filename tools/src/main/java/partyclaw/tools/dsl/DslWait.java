package partyclaw.tools.dsl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import partyclaw.core.tool.TurnSignal;
import partyclaw.tools.support.WaitArgs;

/**
 * The wait of dsl_start and dsl_wait (tools.md §3.3): until the job ends, the wait times out, or the turn is
 * interrupted. An interruption or a timeout with {@code continue} never stops the job: the snapshot says
 * {@code status:"running"} and why the wait returned. A timeout with {@code kill}, or /stop cancelling the turn, kills
 * it.
 */
final class DslWait {
  private DslWait() {}

  static ObjectNode await(DslJob job, double timeoutSeconds, WaitArgs.OnTimeout onTimeout, int maxChars,
      TurnSignal signal, Path workspace) throws InterruptedException {
    long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
    while (true) {
      if (!job.running()) return DslSnapshot.of(job, maxChars, workspace);
      if (signal.isCancelled()) {
        DslRuntime.kill(job, "turn_cancelled");
        return DslSnapshot.of(job, maxChars, workspace);
      }
      if (signal.isInterrupted()) {
        ObjectNode snap = DslSnapshot.of(job, maxChars, workspace);
        if (!"running".equals(snap.path("status").asText())) return snap;
        snap.put("interrupted", true);
        snap.put("reason", "agent_turn_interrupted");
        return snap;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        // It may have ended on its own in the last instant: then it is simply done, not killed.
        if (onTimeout == WaitArgs.OnTimeout.KILL && !DslRuntime.kill(job, null)) {
          return DslSnapshot.of(job, maxChars, workspace);
        }
        if (onTimeout == WaitArgs.OnTimeout.CONTINUE && !job.running()) return DslSnapshot.of(job, maxChars, workspace);
        ObjectNode snap = DslSnapshot.of(job, maxChars, workspace);
        snap.put("timed_out", true);
        snap.put("on_timeout", onTimeout.wire());
        return snap;
      }
      // The job's end wakes this at once; the signal is checked at least every poll.
      job.awaitEnd(Math.min(WaitArgs.POLL_MILLIS, Math.max(1, left / 1_000_000)));
    }
  }
}
