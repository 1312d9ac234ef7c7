package partyclaw.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import partyclaw.core.util.SecretRedaction;

/**
 * Keeps the last warnings and errors in memory for {@code partyclaw status}; redacted like every other log line.
 * Configured in logback.xml.
 */
public final class RecentProblems extends AppenderBase<ILoggingEvent> {
  public record Problem(Instant at, String level, String logger, String message) {}

  private static final int KEEP = 10;
  private static final int MAX_MESSAGE = 500;
  private static final ArrayDeque<Problem> LAST = new ArrayDeque<>();

  @Override
  protected void append(ILoggingEvent event) {
    if (!event.getLevel().isGreaterOrEqual(Level.WARN)) return;
    String message = event.getFormattedMessage();
    if (event.getThrowableProxy() != null) {
      message = message + " (" + event.getThrowableProxy().getClassName() + ": "
          + event.getThrowableProxy().getMessage() + ")";
    }
    message = SecretRedaction.redact(message == null ? "" : message);
    if (message.length() > MAX_MESSAGE) message = message.substring(0, MAX_MESSAGE) + "…";
    Problem p = new Problem(Instant.ofEpochMilli(event.getTimeStamp()), event.getLevel().toString(),
        event.getLoggerName(), message);
    synchronized (LAST) {
      LAST.addLast(p);
      while (LAST.size() > KEEP) LAST.removeFirst();
    }
  }

  /** Oldest first. */
  public static List<Problem> last() {
    synchronized (LAST) {
      return List.copyOf(LAST);
    }
  }

  static void clearForTest() {
    synchronized (LAST) {
      LAST.clear();
    }
  }

}
