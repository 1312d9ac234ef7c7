package partyclaw.core.llm;

/** A model call that failed for good (after retries). The message is safe to show to the user: no secrets. */
public class LlmException extends RuntimeException {
  private final boolean cancelled;

  public LlmException(String message) {
    this(message, false);
  }

  public LlmException(String message, boolean cancelled) {
    super(message);
    this.cancelled = cancelled;
  }

  public boolean cancelled() {
    return cancelled;
  }
}
