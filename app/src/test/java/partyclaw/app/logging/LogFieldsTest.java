package partyclaw.app.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFieldsTest {
  @Test
  void explicitStreamsWin() {
    assertEquals(new LogFields.Route("api", "anthropic_claude-sonnet-4"), LogFields.route(Map.of(
        "log_stream", "api", "log_key", "anthropic/claude-sonnet-4",
        "akkaSource", "akka://partyclaw/system/sharding/conversation/1/cli%3Alocal/$b")));
    assertEquals(new LogFields.Route("agents", "bg-1"), LogFields.route(Map.of("log_stream", "agent", "log_key",
        "bg-1")));
  }

  @Test
  void channelAndConversationActorsRouteByTheirPath() {
    assertEquals(new LogFields.Route("channels", "telegram-main"),
        LogFields.route(Map.of("akkaSource", "akka://partyclaw/user/channel-telegram-main/poller")));
    assertEquals(new LogFields.Route("sessions", "tg_-100123"),
        LogFields.route(Map.of("akkaSource", "akka://partyclaw/system/sharding/conversation/7/tg%3A-100123")));
    assertNull(LogFields.route(Map.of("akkaSource", "akka://partyclaw/user/active-conversations")));
    assertNull(LogFields.route(Map.of()));
    assertNull(LogFields.route(Map.of("log_stream", "nonsense", "log_key", "x")));
  }

  @Test
  void keysAreSanitizedAsTheReference() {
    assertEquals("a_b_c.d-e_", LogFields.sanitize("a/b:c.d-e?"));
    assertEquals("_..", LogFields.sanitize(".."));
    assertEquals("_", LogFields.sanitize(""));
  }

  @Test
  void anExplicitConversationIdWins() {
    assertEquals("web:1", LogFields.conversationId(Map.of("conversation_id", "web:1",
        "akkaSource", "akka://partyclaw/system/sharding/conversation/7/tg%3A5")));
    assertNull(LogFields.conversationId(Map.of("akkaSource", "akka://partyclaw/system/sharding/conversation/7")));
  }
}
