package partyclaw.tools.download;

import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.json.Json;
import partyclaw.core.tool.TurnSignal;
import partyclaw.tools.support.WaitArgs;

/**
 * The wait shared by file_download_start and file_download_wait (tools.md §3.4, §1.6): until the download ends, the
 * wait times out, or the turn is interrupted (return; the download goes on) or cancelled (the download is cancelled).
 */
final class DownloadWait {
  private DownloadWait() {}



  static ObjectNode await(DownloadRegistry registry, Download d, double timeoutSeconds, WaitArgs.OnTimeout onTimeout,
      TurnSignal signal) throws InterruptedException {
    long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
    while (true) {
      if (d.finished()) return d.snapshot();
      if (signal.isCancelled()) {
        registry.cancel(d);
        return d.snapshot().put("reason", "turn_cancelled");
      }
      if (signal.isInterrupted()) {
        ObjectNode out = Json.object();
        out.put("interrupted", true);
        out.put("reason", "agent_turn_interrupted");
        out.set("download", d.snapshot());
        return out;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) return timedOut(registry, d, onTimeout);
      long ms = Math.min(WaitArgs.POLL_MILLIS, Math.max(1, left / 1_000_000));
      // The signal wakes the wait at once; the download's end is noticed within a poll.
      signal.await(java.time.Duration.ofMillis(ms));
    }
  }

  private static ObjectNode timedOut(DownloadRegistry registry, Download d, WaitArgs.OnTimeout onTimeout)
      throws InterruptedException {
    if (onTimeout == WaitArgs.OnTimeout.KILL && !registry.cancel(d) && d.phase() == Download.Phase.COMPLETED) {
      return d.snapshot(); // it finished in the last instant: simply done
    }
    ObjectNode snap = d.snapshot();
    snap.put("wait_timed_out", true);
    snap.put("on_timeout", onTimeout.wire());
    return snap;
  }
}
