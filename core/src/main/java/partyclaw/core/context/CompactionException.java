package partyclaw.core.context;

/** A compaction that cannot produce a usable summary; the message is one line fit for the user. */
public class CompactionException extends RuntimeException {
  public CompactionException(String message) {
    super(message);
  }
}
