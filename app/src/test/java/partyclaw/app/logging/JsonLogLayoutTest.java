package partyclaw.app.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import partyclaw.core.util.SecretRedaction;

class JsonLogLayoutTest {
  private final LoggerContext context = new LoggerContext();
  private final ObjectMapper json = new ObjectMapper();

  @AfterEach
  void forget() {
    SecretRedaction.clear();
  }

  private JsonLogLayout layout() {
    JsonLogLayout layout = new JsonLogLayout();
    layout.setContext(context);
    layout.start();
    return layout;
  }

  private LoggingEvent event(String logger, Level level, String message, Throwable t, Map<String, String> mdc,
      Object... args) {
    Logger l = context.getLogger(logger);
    LoggingEvent e = new LoggingEvent(Logger.class.getName(), l, level, message, t, args);
    e.setTimeStamp(1_700_000_000_123L);
    e.setThreadName("worker-1");
    e.setMDCPropertyMap(mdc);
    return e;
  }

  @Test
  void theSecondAppenderReusesTheLineOfTheSameEventButNotOfAnEqualOne() {
    LoggingEvent e = event("x", Level.INFO, "same text", null, Map.of());
    String first = layout().doLayout(e);
    assertSame(first, layout().doLayout(e), "the same event, laid out by another appender's layout");
    String twin = layout().doLayout(event("x", Level.INFO, "same text", null, Map.of()));
    assertEquals(first, twin);
    assertNotSame(first, twin, "another event with the same content is laid out itself");
  }

  @Test
  void oneObjectPerLineWithTheReferenceFieldsAndTheConversationFromTheActorPath() throws Exception {
    String line = layout().doLayout(event("partyclaw.actors.conversation.ConversationEntity", Level.INFO,
        "turn {} finished", null,
        Map.of("akkaSource", "akka://partyclaw/system/sharding/conversation/7/tg%3A-100123/$a"), "t-1"));
    assertTrue(line.endsWith("\n"));
    assertEquals(1, line.lines().count());
    JsonNode n = json.readTree(line);
    assertEquals(1_700_000_000_123L, n.path("ts").asLong());
    assertEquals("2023-11-14T22:13:20.123Z", n.path("time").asText());
    assertEquals("INFO", n.path("level").asText());
    assertEquals("partyclaw.actors.conversation.ConversationEntity", n.path("logger").asText());
    assertEquals("worker-1", n.path("thread").asText());
    assertEquals("turn t-1 finished", n.path("message").asText());
    assertEquals("tg:-100123", n.path("conversation_id").asText());
    assertEquals("akka://partyclaw/system/sharding/conversation/7/tg%3A-100123/$a", n.path("akkaSource").asText());
    assertEquals(List.of("ts", "time", "level", "logger", "thread", "message", "conversation_id", "akkaSource"),
        fieldNames(n));
  }

  @Test
  void secretsAreRedactedInEveryFieldEvenWhereJsonEscapesThem() throws Exception {
    SecretRedaction.register("canary-sk-0123456789");
    SecretRedaction.register("quo\"ted-secret\\value");
    String line = layout().doLayout(event("akka.http.impl.engine.client.PoolGateway", Level.ERROR,
        "request with key {} and {} failed", new IllegalStateException("boom canary-sk-0123456789"),
        Map.of("header", "Bearer canary-sk-0123456789"), "canary-sk-0123456789", "quo\"ted-secret\\value"));
    assertFalse(line.contains("canary-sk-0123456789"), line);
    assertFalse(line.contains("ted-secret"), line);
    JsonNode n = json.readTree(line);
    assertEquals("request with key [REDACTED] and [REDACTED] failed", n.path("message").asText());
    assertEquals("Bearer [REDACTED]", n.path("header").asText());
    assertTrue(n.path("exception").asText().startsWith("java.lang.IllegalStateException: boom [REDACTED]"),
        n.path("exception").asText());
  }

  @Test
  void telegramTokensInRequestPathsAreRedactedUnregistered() throws Exception {
    String line = layout().doLayout(event("akka.http", Level.WARN,
        "Request [POST http://127.0.0.1:1/bot4242424242:IT-secret-AAbbCCddEEff/getUpdates] failed", null, Map.of()));
    assertEquals("Request [POST http://127.0.0.1:1/bot4242424242:[REDACTED]/getUpdates] failed",
        json.readTree(line).path("message").asText());
  }

  @Test
  void theConsoleLayoutSwitchesToJsonByProperty() throws Exception {
    String before = System.getProperty(SwitchableLayout.FORMAT_PROPERTY);
    try {
      System.setProperty(SwitchableLayout.FORMAT_PROPERTY, "json");
      SwitchableLayout l = new SwitchableLayout();
      l.setContext(context);
      l.setPattern("%level %msg%n");
      l.start();
      SecretRedaction.register("canary-sk-0123456789");
      String line = l.doLayout(event("x", Level.WARN, "key canary-sk-0123456789", null, Map.of()));
      assertEquals("key [REDACTED]", json.readTree(line).path("message").asText());

      System.setProperty(SwitchableLayout.FORMAT_PROPERTY, "text");
      SwitchableLayout text = new SwitchableLayout();
      text.setContext(context);
      text.setPattern("%level %msg%n");
      text.start();
      assertEquals("WARN key [REDACTED]\n", text.doLayout(event("x", Level.WARN, "key canary-sk-0123456789", null,
          Map.of())));
    } finally {
      if (before == null) System.clearProperty(SwitchableLayout.FORMAT_PROPERTY);
      else System.setProperty(SwitchableLayout.FORMAT_PROPERTY, before);
    }
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
