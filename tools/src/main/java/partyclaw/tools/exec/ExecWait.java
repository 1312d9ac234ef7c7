package partyclaw.tools.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.TurnSignal;
import partyclaw.tools.support.Args;

/**
 * The wait shared by exec_start and exec_wait (tools.md §3.2, §1.6): until the process ends, the wait
 * times out, or the turn is interrupted (return, process keeps running) or cancelled (kill, then return).
 */
final class ExecWait {
  static final double DEFAULT_TIMEOUT_SECONDS = 270;
  /** The spec's "poll every ≤200 ms"; a process exit wakes the wait at once. */
  static final long POLL_MILLIS = 100;
  /** Longer waits are pointless (the turn's own timeout observation fires at 270 s) and overflow nanos. */
  static final double MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

  enum OnTimeout {
    CONTINUE, KILL;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static OnTimeout parse(JsonNode args) throws ToolException {
      String v = Args.optString(args, "on_timeout").orElse("continue").trim().toLowerCase(Locale.ROOT);
      return switch (v) {
        case "continue" -> CONTINUE;
        case "kill" -> KILL;
        default -> throw new ToolException("on_timeout must be \"continue\" or \"kill\"");
      };
    }
  }

  private ExecWait() {}

  /** Validates a wait timeout: finite and not negative. */
  static double timeoutSeconds(double value) throws ToolException {
    if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) {
      throw new ToolException("wait_timeout_seconds must be a finite number of seconds >= 0");
    }
    return Math.min(value, MAX_TIMEOUT_SECONDS);
  }

  static ObjectNode await(ExecProcess p, double timeoutSeconds, OnTimeout onTimeout, OutputOptions opts,
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
      p.awaitExit(Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)));
    }
  }

  private static ObjectNode timedOut(ExecProcess p, OnTimeout onTimeout, OutputOptions opts)
      throws InterruptedException {
    // It may have ended on its own in the last instant: then it is simply complete, not killed.
    if (onTimeout == OnTimeout.KILL && !p.kill()) return ExecSnapshot.of(p, opts);
    ObjectNode snap = ExecSnapshot.of(p, opts);
    if (onTimeout == OnTimeout.KILL) snap.put("killed", true);
    snap.put("wait_timed_out", true);
    snap.put("on_timeout", onTimeout.wire());
    return snap;
  }
}
