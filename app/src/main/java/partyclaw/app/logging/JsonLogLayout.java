package partyclaw.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import partyclaw.core.util.SecretRedaction;

/**
 * One JSON object per line: {@code ts} (Unix ms, as the reference), {@code time} (ISO-8601 UTC), {@code level},
 * {@code logger}, {@code thread}, {@code message}, {@code conversation_id} where known, the MDC entries, and
 * {@code exception} (the stack trace). Every string goes through {@link SecretRedaction} before it is encoded, and
 * the encoded line once more, so a secret is blanked whether or not JSON escaping changed it.
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
  private static final JsonFactory JSON = new JsonFactory();

  private record Laid(ILoggingEvent event, String line) {}

  /**
   * Lines of recent events by the event's identity: server.log's appender and the stream files' appender lay out the
   * same event objects (one after the other, see {@link TeeAppender}; stderr's JSON layout too), and the later ones
   * find the first one's line here. A few slots, as other threads lay out other events meanwhile.
   */
  private static final AtomicReferenceArray<Laid> RECENT = new AtomicReferenceArray<>(16);

  @Override
  public String doLayout(ILoggingEvent event) {
    int slot = System.identityHashCode(event) & (RECENT.length() - 1);
    Laid recent = RECENT.get(slot);
    if (recent != null && recent.event() == event) return recent.line();
    String line = layout(event);
    RECENT.set(slot, new Laid(event, line));
    return line;
  }

  private static String layout(ILoggingEvent event) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("ts", event.getTimeStamp());
      g.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      g.writeStringField("level", event.getLevel().toString());
      g.writeStringField("logger", event.getLoggerName());
      g.writeStringField("thread", clean(event.getThreadName()));
      g.writeStringField("message", clean(event.getFormattedMessage()));
      Map<String, String> mdc = event.getMDCPropertyMap();
      String conversation = LogFields.conversationId(mdc);
      if (conversation != null) g.writeStringField(LogFields.CONVERSATION_ID, clean(conversation));
      for (Map.Entry<String, String> e : new TreeMap<>(mdc).entrySet()) {
        if (e.getKey().equals(LogFields.CONVERSATION_ID)) continue;
        g.writeStringField(clean(e.getKey()), clean(e.getValue()));
      }
      if (event.getThrowableProxy() != null) {
        g.writeStringField("exception", clean(ThrowableProxyUtil.asString(event.getThrowableProxy())));
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return SecretRedaction.redact(out.toString()) + CoreConstants.LINE_SEPARATOR;
  }

  private static String clean(String s) {
    return s == null ? null : SecretRedaction.redact(s);
  }

  @Override
  public String getContentType() {
    return "application/json";
  }
}
