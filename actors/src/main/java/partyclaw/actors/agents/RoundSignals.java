package partyclaw.actors.agents;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import partyclaw.core.tool.TurnSignal;

/**
 * The signals of the tool calls an agent has running, caught as each call builds its context. The agent cancels
 * them itself instead of telling its tool actors, because it stops right after reporting and a stopping actor's
 * children may never read a message; a call that builds its context after that is cancelled at once.
 * Thread-safe: calls register from tool threads.
 */
final class RoundSignals {
  private final List<TurnSignal> signals = new ArrayList<>();
  private boolean cancelled;

  void register(TurnSignal signal) {
    synchronized (this) {
      if (!cancelled) {
        signals.add(signal);
        return;
      }
    }
    signal.cancel();
  }

  /** The round's calls all reported: their signals are of no more use. */
  synchronized void clear() {
    signals.clear();
  }

  /** Cancels every call registered so far and every later one; cancel hooks (killing processes) run on control. */
  void cancelAll(Executor control) {
    List<TurnSignal> toCancel;
    synchronized (this) {
      cancelled = true;
      toCancel = new ArrayList<>(signals);
      signals.clear();
    }
    for (TurnSignal signal : toCancel) {
      try {
        control.execute(signal::cancel);
      } catch (RejectedExecutionException shuttingDown) {
        signal.cancel();
      }
    }
  }
}
