package partyclaw.actors.conversation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
