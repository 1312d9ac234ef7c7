package partyclaw.app.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import partyclaw.core.util.SecretRedaction;

class RedactingPatternLayoutTest {
  @AfterEach
  void forget() {
    SecretRedaction.clear();
  }

  @Test
  void everyLineAndItsStackTraceAreRedacted() {
    SecretRedaction.register("the-api-key-value");
    LoggerContext context = new LoggerContext();
    RedactingPatternLayout layout = new RedactingPatternLayout();
    layout.setContext(context);
    layout.setPattern("%level %msg%n%ex{1}");
    layout.start();
    Logger logger = context.getLogger("akka.http.impl.engine.client.PoolGateway");
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN,
        "Request [POST http://127.0.0.1:1/bot4242424242:IT-secret-AAbbCCddEEff/getUpdates] failed, key {}",
        new IllegalStateException("GET /file/bot1:abc-DEF/x.jpg with the-api-key-value"),
        new Object[] {"the-api-key-value"});
    String line = layout.doLayout(event);
    String[] lines = line.split("\n");
    assertEquals("WARN Request [POST http://127.0.0.1:1/bot4242424242:[REDACTED]/getUpdates] failed, key [REDACTED]",
        lines[0]);
    assertEquals("java.lang.IllegalStateException: GET /file/bot1:[REDACTED]/x.jpg with [REDACTED]", lines[1]);
  }
}
