package partyclaw.core.llm;

import java.time.Duration;

/**
 * Why one HTTP attempt failed. {@code reason} is one line fit for the user (no key, no stack trace);
 * {@code retryAfter} is the server's requested wait, or null.
 */
final class AttemptFailure extends RuntimeException {
  private final boolean retryable;
  private final Duration retryAfter;

  private AttemptFailure(String reason, boolean retryable, Duration retryAfter) {
    super(reason, null, false, false);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  static AttemptFailure retryable(String reason) {
    return new AttemptFailure(reason, true, null);
  }

  static AttemptFailure retryable(String reason, Duration retryAfter) {
    return new AttemptFailure(reason, true, retryAfter);
  }

  static AttemptFailure fatal(String reason) {
    return new AttemptFailure(reason, false, null);
  }

  boolean isRetryable() {
    return retryable;
  }

  Duration retryAfter() {
    return retryAfter;
  }

  String reason() {
    return getMessage();
  }
}
