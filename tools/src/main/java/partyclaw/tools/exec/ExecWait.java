package partyclaw.tools.exec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.json.Json;
import partyclaw.core.tool.TurnSignal;
import partyclaw.tools.support.WaitArgs;

/**
 * The wait shared by exec_start and exec_wait (tools.md §3.2, §1.6): until the process ends, the wait
 * times out, or the turn is interrupted (return, process keeps running) or cancelled (kill, then return).
 */
final class ExecWait {
  private ExecWait() {}

  static ObjectNode await(ExecProcess p, double timeoutSeconds, WaitArgs.OnTimeout onTimeout, OutputOptions opts,
      TurnSignal signal) throws InterruptedException {
    // A cancel raised while we sleep kills at once instead of at the next poll.
    signal.onCancel(() -> {
      try {
        p.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
    while (true) {
      if (signal.isCancelled()) {
        boolean wasRunning = p.kill();
        ObjectNode snap = ExecSnapshot.of(p, opts);
        if (wasRunning || p.status().killed()) {
          snap.put("cancelled", true);
          snap.put("reason", "turn_cancelled");
        }
        return snap;
      }
      if (!p.isRunning()) return ExecSnapshot.of(p, opts);
      if (signal.isInterrupted()) {
        ObjectNode out = Json.object();
        out.put("interrupted", true);
        out.put("reason", "agent_turn_interrupted");
        out.set("process", ExecSnapshot.of(p, opts));
        return out;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) return timedOut(p, onTimeout, opts);
      p.awaitExit(Math.min(WaitArgs.POLL_MILLIS, Math.max(1, left / 1_000_000)));
    }
  }

  private static ObjectNode timedOut(ExecProcess p, WaitArgs.OnTimeout onTimeout, OutputOptions opts)
      throws InterruptedException {
    // It may have ended on its own in the last instant: then it is simply complete, not killed.
    if (onTimeout == WaitArgs.OnTimeout.KILL && !p.kill()) return ExecSnapshot.of(p, opts);
    ObjectNode snap = ExecSnapshot.of(p, opts);
    if (onTimeout == WaitArgs.OnTimeout.KILL) snap.put("killed", true);
    snap.put("wait_timed_out", true);
    snap.put("on_timeout", onTimeout.wire());
    return snap;
  }
}
