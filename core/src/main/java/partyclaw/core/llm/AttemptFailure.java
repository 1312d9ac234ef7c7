package partyclaw.core.llm;

import java.time.Duration;
import java.util.Optional;

/**
 * Why one HTTP attempt at a model call failed. {@link #reason()} is one line fit for the user (no key, no stack
 * trace); {@link #isRetryable()} says whether another attempt may help; {@link #retryAfter()} is the wait the
 * server asked for, if any. Whoever runs the attempts decides whether and when to retry.
 */
public final class AttemptFailure extends RuntimeException {
  private final boolean retryable;
  private final Duration retryAfter;
  private final boolean timeout;

  private AttemptFailure(String reason, boolean retryable, Duration retryAfter, boolean timeout) {
    super(reason, null, false, false);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
    this.timeout = timeout;
  }

  /**
   * No response (or no streamed data) within the model's timeout: retryable, and a hint that the context may be
   * too large for the model to answer in time (the runtime compacts and retries once).
   */
  public static AttemptFailure timeout(String reason) {
    return new AttemptFailure(reason, true, null, true);
  }

  public boolean isTimeout() {
    return timeout;
  }

  /** A transient failure (timeout, 5xx, a cut stream): another attempt may succeed. */
  public static AttemptFailure retryable(String reason) {
    return new AttemptFailure(reason, true, null, false);
  }

  /** A transient failure whose server asked to wait {@code retryAfter} (may be null) before trying again. */
  public static AttemptFailure retryable(String reason, Duration retryAfter) {
    return new AttemptFailure(reason, true, retryAfter, false);
  }

  /** A failure that another attempt would only repeat (4xx, a bad configuration). */
  public static AttemptFailure fatal(String reason) {
    return new AttemptFailure(reason, false, null, false);
  }

  public boolean isRetryable() {
    return retryable;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  public String reason() {
    return getMessage();
  }

  /** The same failure with every occurrence of {@code secret} masked. */
  AttemptFailure redacted(String secret) {
    String clean = Excerpts.redact(reason(), secret);
    return clean.equals(reason()) ? this : new AttemptFailure(clean, retryable, retryAfter, timeout);
  }

  @Override
  public String toString() {
    return "AttemptFailure[" + (retryable ? "retryable" : "fatal") + (timeout ? ", timeout" : "")
        + (retryAfter == null ? "" : ", retry after " + retryAfter) + ": " + reason() + "]";
  }
}
