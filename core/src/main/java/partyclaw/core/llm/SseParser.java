package partyclaw.core.llm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental Server-Sent-Events decoder: bytes in (split anywhere, even inside a UTF-8 character), the data
 * payload of each complete event out. Comments and fields other than {@code data} are dropped; multi-line data
 * is joined with newlines as the SSE spec says. Not thread-safe: one instance per response stream.
 */
final class SseParser {

  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;

  /** Feeds the next bytes; returns the data of every event they completed. */
  List<String> feed(byte[] bytes) {
    List<String> events = new ArrayList<>();
    for (byte b : bytes) {
      if (b == '\n') {
        onLine(takeLine(), events);
      } else {
        line.write(b);
      }
    }
    return events;
  }

  /**
   * The stream ended: returns the data of an event that lacked its closing blank line. Servers that end with
   * {@code data: [DONE]} and no blank line are common enough to be lenient here.
   */
  List<String> finish() {
    List<String> events = new ArrayList<>();
    if (line.size() > 0) onLine(takeLine(), events);
    dispatch(events);
    return events;
  }

  private String takeLine() {
    byte[] raw = line.toByteArray();
    line.reset();
    int length = raw.length;
    if (length > 0 && raw[length - 1] == '\r') length--;
    return new String(raw, 0, length, StandardCharsets.UTF_8);
  }

  private void onLine(String text, List<String> events) {
    if (text.isEmpty()) {
      dispatch(events);
      return;
    }
    if (text.charAt(0) == ':') return;
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    if (!field.equals("data")) return;
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) value = value.substring(1);
    if (hasData) data.append('\n');
    data.append(value);
    hasData = true;
  }

  private void dispatch(List<String> events) {
    if (!hasData) return;
    events.add(data.toString());
    data.setLength(0);
    hasData = false;
  }
}
