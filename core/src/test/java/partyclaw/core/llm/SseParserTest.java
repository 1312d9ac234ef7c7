package partyclaw.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

  @Test
  void reassemblesEventsFedOneByteAtATimeIncludingMultiByteCharacters() {
    String stream = ": keep-alive\n\ndata: {\"t\":\"héllo 🎉\"}\n\ndata: [DONE]\n\n";
    SseParser parser = new SseParser();
    List<String> events = new ArrayList<>();
    for (byte b : stream.getBytes(StandardCharsets.UTF_8)) events.addAll(parser.feed(new byte[] {b}));
    events.addAll(parser.finish());
    assertEquals(List.of("{\"t\":\"héllo 🎉\"}", "[DONE]"), events);
  }

  @Test
  void handlesCrlfMultiLineDataAndOtherFields() {
    String stream = "event: message\r\nid: 7\r\ndata:first\r\ndata: second\r\n\r\nretry: 10\r\n\r\n";
    SseParser parser = new SseParser();
    List<String> events = new ArrayList<>(parser.feed(stream.getBytes(StandardCharsets.UTF_8)));
    events.addAll(parser.finish());
    assertEquals(List.of("first\nsecond"), events);
  }

  @Test
  void flushesAnEventMissingItsBlankLineAtTheEnd() {
    SseParser parser = new SseParser();
    assertEquals(List.of(), parser.feed("data: [DONE]".getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("[DONE]"), parser.finish());
  }
}
