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

  private AttemptFailure(String reason, boolean retryable, Duration retryAfter) {
    super(reason, null, false, false);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /** A transient failure (timeout, 5xx, a cut stream): another attempt may succeed. */
  public static AttemptFailure retryable(String reason) {
    return new AttemptFailure(reason, true, null);
  }

  /** A transient failure whose server asked to wait {@code retryAfter} (may be null) before trying again. */
  public static AttemptFailure retryable(String reason, Duration retryAfter) {
    return new AttemptFailure(reason, true, retryAfter);
  }

  /** A failure that another attempt would only repeat (4xx, a bad configuration). */
  public static AttemptFailure fatal(String reason) {
    return new AttemptFailure(reason, false, null);
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
    return clean.equals(reason()) ? this : new AttemptFailure(clean, retryable, retryAfter);
  }

  @Override
  public String toString() {
    return "AttemptFailure[" + (retryable ? "retryable" : "fatal")
        + (retryAfter == null ? "" : ", retry after " + retryAfter) + ": " + reason() + "]";
  }
}
