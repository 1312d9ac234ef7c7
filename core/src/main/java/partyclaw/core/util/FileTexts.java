package partyclaw.core.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Texts of small files that are read before every turn (profiles, notes), read again only when the file's stamp
 * (file key, size, modification time) changed: one stat instead of open, read and close, and the same String
 * instance while the file is unchanged, so what is derived from it can be cached by identity too.
 *
 * <p>A file that had been modified less than {@link #SETTLED_MILLIS} before it was read is read again next time:
 * two writes within the file system's timestamp granularity can leave the same stamp (git's "racily clean" case).
 */
public final class FileTexts {
  public static final long SETTLED_MILLIS = 2_000;
  private static final int MAX_FILES = 4_096;

  private record Entry(Object fileKey, long size, long modifiedMillis, boolean settled, String text) {}

  private final Map<Path, Entry> entries = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Path, Entry> eldest) {
      return size() > MAX_FILES;
    }
  };

  /** The file's text (UTF-8, malformed bytes replaced); throws as {@link Files#readAllBytes} does. */
  public String read(Path file) throws IOException {
    long now = System.currentTimeMillis();
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    long modified = a.lastModifiedTime().to(TimeUnit.MILLISECONDS);
    Entry e;
    synchronized (this) {
      e = entries.get(file);
    }
    if (e != null && e.settled() && e.size() == a.size() && e.modifiedMillis() == modified
        && Objects.equals(e.fileKey(), a.fileKey())) {
      return e.text();
    }
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    Entry read = new Entry(a.fileKey(), a.size(), modified, now - modified >= SETTLED_MILLIS, text);
    synchronized (this) {
      entries.put(file, read);
    }
    return text;
  }
}
