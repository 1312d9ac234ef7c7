package partyclaw.app.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.util.SecretRedaction;

class StreamFilesAppenderTest {
  @TempDir Path dir;
  private final LoggerContext context = new LoggerContext();

  @AfterEach
  void forget() {
    SecretRedaction.clear();
  }

  private StreamFilesAppender appender(long maxSize, int history) {
    StreamFilesAppender a = new StreamFilesAppender();
    a.setContext(context);
    a.setDir(dir.toString());
    a.setMaxFileSize(maxSize);
    a.setMaxHistory(history);
    a.start();
    return a;
  }

  private LoggingEvent event(String message, Map<String, String> mdc) {
    LoggingEvent e = new LoggingEvent(Logger.class.getName(), context.getLogger("t"), Level.INFO, message, null, null);
    e.setMDCPropertyMap(mdc);
    return e;
  }

  @Test
  void eventsGoToTheirStreamFileAsJsonLinesRedacted() throws Exception {
    SecretRedaction.register("canary-sk-0123456789");
    StreamFilesAppender a = appender(1 << 20, 3);
    a.doAppend(event("one canary-sk-0123456789", Map.of("akkaSource",
        "akka://partyclaw/system/sharding/conversation/3/tg%3A42")));
    a.doAppend(event("two", Map.of("akkaSource", "akka://partyclaw/user/channel-tg")));
    a.doAppend(event("three", Map.of("log_stream", "api", "log_key", "openai/gpt-4o")));
    a.doAppend(event("not routed", Map.of()));
    a.stop();
    List<String> session = Files.readAllLines(dir.resolve("sessions/tg_42.jsonl"));
    assertEquals(1, session.size());
    assertEquals("one [REDACTED]", new ObjectMapper().readTree(session.get(0)).path("message").asText());
    assertEquals("tg:42", new ObjectMapper().readTree(session.get(0)).path("conversation_id").asText());
    assertEquals(1, Files.readAllLines(dir.resolve("channels/tg.jsonl")).size());
    assertEquals(1, Files.readAllLines(dir.resolve("api/openai_gpt-4o.jsonl")).size());
    try (Stream<Path> all = Files.walk(dir)) {
      assertEquals(3, all.filter(Files::isRegularFile).count());
    }
  }

  @Test
  void filesRollOverBySizeKeepingTheNewest() throws Exception {
    StreamFilesAppender a = appender(400, 2);
    Map<String, String> mdc = Map.of("log_stream", "agent", "log_key", "sub-1");
    for (int i = 0; i < 20; i++) a.doAppend(event("message number " + i, mdc));
    a.stop();
    Path agents = dir.resolve("agents");
    assertTrue(Files.exists(agents.resolve("sub-1.jsonl")));
    assertTrue(Files.exists(agents.resolve("sub-1.1.jsonl")));
    assertTrue(Files.exists(agents.resolve("sub-1.2.jsonl")));
    assertFalse(Files.exists(agents.resolve("sub-1.3.jsonl")));
    for (String f : List.of("sub-1.jsonl", "sub-1.1.jsonl", "sub-1.2.jsonl")) {
      assertTrue(Files.size(agents.resolve(f)) <= 400, f);
    }
    List<String> newest = Files.readAllLines(agents.resolve("sub-1.jsonl"));
    assertEquals("message number 19",
        new ObjectMapper().readTree(newest.get(newest.size() - 1)).path("message").asText());
  }
}
