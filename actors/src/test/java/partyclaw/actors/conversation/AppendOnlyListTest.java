package partyclaw.actors.conversation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AppendOnlyListTest {
  @Test
  void versionsKeepTheirOwnPrefixWhenAnotherBranchesOff() {
    AppendOnlyList<String> base = AppendOnlyList.<String>empty().appendAll(List.of("a", "b"));
    AppendOnlyList<String> longer = base.append("c");
    AppendOnlyList<String> branch = base.append("x"); // base's end is taken: a copy
    assertEquals(List.of("a", "b"), base);
    assertEquals(List.of("a", "b", "c"), longer);
    assertEquals(List.of("a", "b", "x"), branch);
  }

  @Test
  void appendingWhatAPredictionAppendedSharesItsStorage() {
    AppendOnlyList<String> base = AppendOnlyList.<String>empty().appendAll(List.of("a", "b"));
    AppendOnlyList<String> predicted = base.appendAll(List.of("c", "d"));
    AppendOnlyList<String> real = base.appendAll(List.of("c", new String("d"))); // equal, another instance
    assertEquals(List.of("a", "b", "c", "d"), real);
    assertTrue(real.sharesStorageWith(predicted));
    AppendOnlyList<String> other = base.append("x"); // differs: a copy, and the others keep their elements
    assertFalse(other.sharesStorageWith(predicted));
    assertEquals(List.of("a", "b", "x"), other);
    assertEquals(List.of("a", "b", "c", "d"), real);
    assertEquals(List.of("a", "b", "c"), base.append("c")); // a shorter prefix of what was appended: shared
    assertTrue(base.append("c").sharesStorageWith(predicted));
  }

  @Test
  void toArrayHoldsExactlyTheVersionsElements() {
    AppendOnlyList<String> base = AppendOnlyList.<String>empty().appendAll(List.of("a", "b"));
    base.append("c");
    assertArrayEquals(new Object[] {"a", "b"}, base.toArray());
    assertArrayEquals(new String[] {"a", "b"}, base.toArray(new String[0]));
    String[] roomy = {"1", "2", "3", "4"};
    assertArrayEquals(new String[] {"a", "b", null, "4"}, base.toArray(roomy));
    assertNull(roomy[2]);
  }
}
