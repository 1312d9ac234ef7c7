package partyclaw.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTextsTest {
  @TempDir Path dir;
  private final FileTexts texts = new FileTexts();
  private static final FileTime AN_HOUR_AGO = FileTime.from(Instant.now().minusSeconds(3600));

  @Test
  void aFileJustWrittenIsReadAgainEvenWhenItsStampLooksTheSame() throws Exception {
    Path f = dir.resolve("USER.md");
    Files.writeString(f, "aaaa");
    FileTime stamp = Files.getLastModifiedTime(f);
    assertEquals("aaaa", texts.read(f));
    Files.writeString(f, "bbbb"); // same size, and within the same timestamp tick on a coarse file system
    Files.setLastModifiedTime(f, stamp);
    assertEquals("bbbb", texts.read(f));
  }

  @Test
  void aSettledFileIsServedFromTheCacheUntilItsStampChanges() throws Exception {
    Path f = dir.resolve("IDENTITY.md");
    writeSettled(f, "first");
    String first = texts.read(f);
    assertEquals("first", first);
    assertSame(first, texts.read(f), "unchanged: the same instance, not read again");

    writeSettled(f, "other"); // same size, stamp forced back: only the cache can still say "first"
    assertSame(first, texts.read(f));

    writeSettled(f, "changed"); // another size
    assertEquals("changed", texts.read(f));

    Path replacement = dir.resolve("new.md");
    writeSettled(replacement, "again!!"); // same size and time, but another file (renamed over it)
    Files.move(replacement, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    assertEquals("again!!", texts.read(f));
  }

  @Test
  void aMissingFileThrowsAsReadingItWould() throws Exception {
    Path f = dir.resolve("gone.md");
    writeSettled(f, "here");
    assertEquals("here", texts.read(f));
    Files.delete(f);
    assertThrows(NoSuchFileException.class, () -> texts.read(f));
  }

  /** Writes {@code text} with a modification time an hour ago: a file the cache may trust. */
  private static void writeSettled(Path f, String text) throws Exception {
    Files.writeString(f, text);
    Files.setLastModifiedTime(f, AN_HOUR_AGO);
  }
}
