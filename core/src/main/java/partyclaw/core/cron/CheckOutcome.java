package partyclaw.core.cron;

/**
 * How a checker ended, with the text recorded as the task's {@code last_check_outcome} (runtime.md §6):
 * {@code checker_passed} and {@code checker_error_triggered: <reason>} fire the task, {@code checker_blocked} does not.
 */
public record CheckOutcome(Kind kind, String text) {
  public enum Kind {
    /** Exit 0. */
    PASSED,
    /** Non-zero exit. */
    BLOCKED,
    /** Could not run it, or it timed out: fires anyway, as in the reference. */
    ERROR
  }

  public static CheckOutcome passed() {
    return new CheckOutcome(Kind.PASSED, "checker_passed");
  }

  public static CheckOutcome blocked() {
    return new CheckOutcome(Kind.BLOCKED, "checker_blocked");
  }

  public static CheckOutcome error(String reason) {
    return new CheckOutcome(Kind.ERROR, "checker_error_triggered: " + CronFieldText.oneLine(reason));
  }

  /** Whether the task runs after this check. */
  public boolean fires() {
    return kind != Kind.BLOCKED;
  }
}
