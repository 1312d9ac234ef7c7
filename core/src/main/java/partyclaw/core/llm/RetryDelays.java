package partyclaw.core.llm;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.DoubleSupplier;

/** Wait times between attempts: exponential backoff with jitter, or what the server asked for in Retry-After. */
public final class RetryDelays {

  /** A server asking for at most this long is obeyed even beyond the policy's maxDelay. */
  static final Duration OBEYED_RETRY_AFTER = Duration.ofSeconds(60);
  private static final double JITTER = 0.1;

  private RetryDelays() {}

  /**
   * The wait before the attempt that follows failed attempt {@code failedAttempt} (1-based).
   * {@code random} yields values in [0, 1) and spreads the backoff by ±10% so that many conversations
   * hitting the same rate limit do not retry in lockstep.
   */
  public static Duration next(RetryPolicy policy, int failedAttempt, Duration retryAfter, DoubleSupplier random) {
    Duration max = nonNegative(policy.maxDelay());
    if (retryAfter != null) {
      Duration asked = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
      if (asked.compareTo(OBEYED_RETRY_AFTER) <= 0) return asked;
      return asked.compareTo(max) <= 0 ? asked : max;
    }
    Duration base = nonNegative(policy.baseDelay());
    int shift = Math.min(Math.max(failedAttempt - 1, 0), 30);
    long backoffMs = base.toMillis() > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base.toMillis() << shift;
    long cappedMs = Math.min(backoffMs, max.toMillis());
    double factor = 1 + JITTER * (2 * random.getAsDouble() - 1);
    return Duration.ofMillis(Math.max(0, Math.round(cappedMs * factor)));
  }

  /** Parses {@code Retry-After}: delta-seconds or an HTTP date. Null when absent or unreadable. */
  static Duration parseRetryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) return null;
    String trimmed = value.trim();
    try {
      double seconds = Double.parseDouble(trimmed);
      if (Double.isNaN(seconds) || seconds < 0) return null;
      return Duration.ofMillis(Math.round(Math.min(seconds, 86_400) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(now, at);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  private static Duration nonNegative(Duration d) {
    return d == null || d.isNegative() ? Duration.ZERO : d;
  }
}
