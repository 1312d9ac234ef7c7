package partyclaw.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WeakIdentityCacheTest {
  record Message(String text) {}

  @Test
  void computesOncePerInstanceAndKeysByIdentityNotEquality() {
    WeakIdentityCache<Message, String> cache = new WeakIdentityCache<>();
    AtomicInteger computed = new AtomicInteger();
    Message a = new Message("same");
    Message b = new Message("same");

    String first = cache.computeIfAbsent(a, m -> m.text() + "#" + computed.incrementAndGet());
    String again = cache.computeIfAbsent(a, m -> m.text() + "#" + computed.incrementAndGet());
    String other = cache.computeIfAbsent(b, m -> m.text() + "#" + computed.incrementAndGet());

    assertEquals("same#1", first);
    assertSame(first, again);
    assertEquals("same#2", other);
    assertEquals(2, computed.get());
    assertEquals(2, cache.size());
  }

  @Test
  void getAllLooksUpEachKeyByIdentityAndPutKeepsTheFirstValue() {
    WeakIdentityCache<Message, String> cache = new WeakIdentityCache<>();
    Message a = new Message("same");
    Message b = new Message("same");
    Message c = new Message("other");
    cache.put(a, "A");
    cache.put(a, "A2");
    cache.put(c, "C");
    Object[] found = cache.getAll(java.util.List.of(a, b, c, a));
    assertEquals(4, found.length);
    assertEquals("A", found[0]);
    assertNull(found[1], "equal but not the same instance");
    assertEquals("C", found[2]);
    assertEquals("A", found[3]);
    assertEquals(2, cache.size());
  }

  @Test
  void anEntryGoesWithItsKey() throws InterruptedException {
    WeakIdentityCache<Message, String> cache = new WeakIdentityCache<>();
    Message kept = new Message("kept");
    cache.computeIfAbsent(kept, Message::text);
    cache.computeIfAbsent(new Message("dropped"), Message::text);

    long deadline = System.nanoTime() + 10_000_000_000L;
    while (cache.size() != 1 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }

    assertEquals(1, cache.size());
    assertTrue(cache.computeIfAbsent(kept, m -> "recomputed").equals("kept"));
  }
}
