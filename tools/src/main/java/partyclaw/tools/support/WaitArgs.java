package partyclaw.tools.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import partyclaw.core.tool.ToolException;

/** The arguments every interruptible wait shares (tools.md §1.6): how long, and what a timeout does. */
public final class WaitArgs {
  public static final double DEFAULT_TIMEOUT_SECONDS = 270;
  /** The spec's "poll every ≤200 ms"; the end of what is awaited wakes the wait at once. */
  public static final long POLL_MILLIS = 100;
  /** Longer waits are pointless (the turn's own timeout observation fires at 270 s) and overflow nanos. */
  public static final double MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

  /** What a wait that timed out does to what it waited for. */
  public enum OnTimeout {
    CONTINUE, KILL;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static OnTimeout parse(JsonNode args) throws ToolException {
      String v = Args.optString(args, "on_timeout").orElse("continue").trim().toLowerCase(Locale.ROOT);
      return switch (v) {
        case "continue" -> CONTINUE;
        case "kill" -> KILL;
        default -> throw new ToolException("on_timeout must be \"continue\" or \"kill\"");
      };
    }
  }

  private WaitArgs() {}

  /** Validates a wait timeout: finite and not negative; capped at {@link #MAX_TIMEOUT_SECONDS}. */
  public static double timeoutSeconds(double value) throws ToolException {
    if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) {
      throw new ToolException("wait_timeout_seconds must be a finite number of seconds >= 0");
    }
    return Math.min(value, MAX_TIMEOUT_SECONDS);
  }

  /** {@code wait_timeout_seconds}, the default when absent. */
  public static double timeoutSeconds(JsonNode args) throws ToolException {
    return timeoutSeconds(Args.optNumber(args, "wait_timeout_seconds").orElse(DEFAULT_TIMEOUT_SECONDS));
  }
}
