package partyclaw.app.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One JSON object per line over a Unix domain socket, both ways. Reads and writes go straight to the channel:
 * the streams of {@code Channels.newInputStream/newOutputStream} share one lock, so a thread blocked reading would
 * keep another from writing.
 */
public final class JsonLines {
  static final ObjectMapper JSON = new ObjectMapper();
  /** A line longer than this is refused: a typed message is never that long, a runaway peer might be. */
  static final int MAX_LINE = 1 << 20;

  private final SocketChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(8192);
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  public JsonLines(SocketChannel channel) {
    this.channel = channel;
    buffer.flip();
  }

  /** The next object, or null at the end of the stream. */
  public JsonNode read() throws IOException {
    while (true) {
      while (buffer.hasRemaining()) {
        byte b = buffer.get();
        if (b == '\n') {
          String text = line.toString(StandardCharsets.UTF_8);
          line.reset();
          if (text.isBlank()) continue;
          return JSON.readTree(text);
        }
        if (line.size() >= MAX_LINE) throw new IOException("line longer than " + MAX_LINE + " bytes");
        line.write(b);
      }
      buffer.clear();
      int n = channel.read(buffer);
      buffer.flip();
      if (n < 0) return null;
    }
  }

  /** Writes one object as a line; callers serialize their writes. */
  public static void write(SocketChannel channel, JsonNode node) throws IOException {
    ByteBuffer out = ByteBuffer.wrap((JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8));
    while (out.hasRemaining()) channel.write(out);
  }
}
