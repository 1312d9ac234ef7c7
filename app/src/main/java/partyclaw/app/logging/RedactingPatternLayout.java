package partyclaw.app.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import partyclaw.core.util.SecretRedaction;

/**
 * A {@link PatternLayout} whose every formatted line, stack traces included, goes through
 * {@link SecretRedaction}: secrets cannot reach stderr or the log files whatever a library chooses to log.
 */
public final class RedactingPatternLayout extends PatternLayout {
  @Override
  public String doLayout(ILoggingEvent event) {
    return SecretRedaction.redact(super.doLayout(event));
  }
}
