package partyclaw.channels.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LruMapTest {
  @Test
  void forgetsTheLeastRecentlyUsedEntryBeyondItsCapacity() {
    LruMap<Long, String> map = new LruMap<>(3);
    map.put(1L, "a");
    map.put(2L, "b");
    map.put(3L, "c");
    map.get(1L); // used: 2 is now the eldest
    map.put(4L, "d");
    assertEquals(3, map.size());
    assertEquals(List.of(3L, 1L, 4L), List.copyOf(map.keySet()));
  }
}
