package partyclaw.app.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import partyclaw.core.util.SecretRedaction;

/**
 * The console's layout: the redacted pattern line, or a JSON line when the system property
 * {@code partyclaw.log.format} is {@code json} ({@code partyclaw run --log-format json}, for journald or a container
 * log collector).
 */
public final class SwitchableLayout extends PatternLayout {
  public static final String FORMAT_PROPERTY = "partyclaw.log.format";
  private JsonLogLayout json;

  @Override
  public void start() {
    if ("json".equalsIgnoreCase(System.getProperty(FORMAT_PROPERTY, "text"))) {
      json = new JsonLogLayout();
      json.setContext(getContext());
      json.start();
    }
    super.start();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    return json != null ? json.doLayout(event) : SecretRedaction.redact(super.doLayout(event));
  }
}
