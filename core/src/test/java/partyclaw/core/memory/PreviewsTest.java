package partyclaw.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PreviewsTest {
  @Test
  void shortTextIsReturnedWhole() {
    assertEquals("abc", Previews.around("abc", "b", 3));
    assertEquals("abc", Previews.head("abc", 3));
  }

  @Test
  void longTextIsCutAroundTheMatchWithinTheLimit() {
    String text = "a".repeat(50) + "NEEDLE" + "b".repeat(50);
    assertEquals("…" + "a".repeat(6) + "NEEDLE" + "b".repeat(6) + "…", Previews.around(text, "needle", 20));
    assertEquals("a".repeat(19) + "…", Previews.around(text, "missing", 20));
    assertEquals("…" + "a".repeat(16) + "END", Previews.around("a".repeat(100) + "END", "end", 20));
    assertEquals("aaaa…", Previews.head(text, 5));
  }

  @Test
  void cutsNeverSplitASurrogatePair() {
    String text = "\uD83D\uDE00".repeat(20);
    String cut = Previews.head(text, 6);
    assertEquals("\uD83D\uDE00\uD83D\uDE00…", cut);
  }

  @Test
  void matchingIgnoresCase() {
    assertEquals(4, Previews.indexOfIgnoreCase("key PORT=1", "port"));
    assertEquals(-1, Previews.indexOfIgnoreCase("key", "keys"));
  }
}
