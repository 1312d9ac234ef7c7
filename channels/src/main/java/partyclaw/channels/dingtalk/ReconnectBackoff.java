package partyclaw.channels.dingtalk;

import java.time.Duration;

/**
 * The Stream client's reconnect wait (spec 2.2): it starts at the base, doubles after every failed or broken
 * connection up to the cap, and is back at the base after a cleanly closed stream. Not thread-safe: one per
 * connection actor.
 */
final class ReconnectBackoff {
  private final Duration base;
  private final Duration cap;
  private Duration next;

  ReconnectBackoff(Duration base, Duration cap) {
    this.base = base;
    this.cap = cap;
    this.next = base;
  }

  /** The wait after a failure (open refused, socket dropped, {@code disconnect} frame); the one after it doubles. */
  Duration afterFailure() {
    Duration wait = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(cap) > 0 ? cap : doubled;
    return wait;
  }

  /** The wait after the gateway closed the stream cleanly: the base, and the doubling starts over. */
  Duration afterCleanClose() {
    next = base;
    return base;
  }
}
