package partyclaw.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Appends each event that belongs to a channel, a conversation, an agent or a model API (see {@link LogFields#route})
 * as a JSON line to {@code <dir>/<stream>/<key>.jsonl} as well, so one conversation's story can be read on its own.
 * Each file rolls over at {@code maxFileSize} bytes to {@code <key>.1.jsonl} … {@code <key>.<maxHistory>.jsonl};
 * older ones are deleted. Only the most recently used files are kept open.
 */
public final class StreamFilesAppender extends AppenderBase<ILoggingEvent> {
  private static final int OPEN_FILES = 32;

  private String dir = "logs";
  private long maxFileSize = 10L * 1024 * 1024;
  private int maxHistory = 3;
  private final JsonLogLayout layout = new JsonLogLayout();
  private final Map<Path, Open> open = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Path, Open> eldest) {
      if (size() <= OPEN_FILES) return false;
      closeQuietly(eldest.getValue().out);
      return true;
    }
  };

  private static final class Open {
    final OutputStream out;
    long size;

    Open(OutputStream out, long size) {
      this.out = out;
      this.size = size;
    }
  }

  public void setDir(String dir) {
    this.dir = dir;
  }

  public void setMaxFileSize(long maxFileSize) {
    this.maxFileSize = maxFileSize;
  }

  public void setMaxHistory(int maxHistory) {
    this.maxHistory = maxHistory;
  }

  @Override
  public void start() {
    layout.setContext(getContext());
    layout.start();
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    LogFields.Route route = LogFields.route(event.getMDCPropertyMap());
    if (route == null) return;
    Path file = Path.of(dir, route.stream(), route.key() + ".jsonl");
    byte[] line = layout.doLayout(event).getBytes(StandardCharsets.UTF_8);
    try {
      Open o = open.get(file);
      if (o == null) {
        Files.createDirectories(file.getParent());
        o = new Open(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
            Files.exists(file) ? Files.size(file) : 0);
        open.put(file, o);
      }
      if (o.size > 0 && o.size + line.length > maxFileSize) {
        closeQuietly(o.out);
        open.remove(file);
        roll(file);
        o = new Open(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING), 0);
        open.put(file, o);
      }
      o.out.write(line);
      o.out.flush();
      o.size += line.length;
    } catch (IOException e) {
      addError("cannot write " + file, e);
    }
  }

  /** key.jsonl becomes key.1.jsonl, key.1 becomes key.2 …; the oldest is dropped. */
  private void roll(Path file) throws IOException {
    String stem = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
    Path parent = file.getParent();
    Files.deleteIfExists(parent.resolve(stem + "." + maxHistory + ".jsonl"));
    for (int i = maxHistory - 1; i >= 1; i--) {
      Path from = parent.resolve(stem + "." + i + ".jsonl");
      if (Files.exists(from)) {
        Files.move(from, parent.resolve(stem + "." + (i + 1) + ".jsonl"), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (maxHistory >= 1) {
      Files.move(file, parent.resolve(stem + ".1.jsonl"), StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.deleteIfExists(file);
    }
  }

  @Override
  public void stop() {
    open.values().forEach(o -> closeQuietly(o.out));
    open.clear();
    super.stop();
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException ignored) {
      // nothing left to do
    }
  }
}
