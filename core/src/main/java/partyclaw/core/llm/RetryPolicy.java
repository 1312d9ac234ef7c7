package partyclaw.core.llm;

import java.time.Duration;

/**
 * How transient upstream failures (429, 5xx, connection errors, streams cut mid-way) are retried.
 * {@code baseDelay} doubles per attempt up to {@code maxDelay}; a {@code Retry-After} header wins.
 */
public record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay) {
  public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30));
  public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Duration.ZERO);
}
