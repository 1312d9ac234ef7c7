package partyclaw.channels.common;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that forgets its least recently used entry beyond {@code capacity}: for channel caches keyed by chat or user
 * (member counts, refusals…), which must not grow with every chat the bot ever saw. Not thread-safe on its own;
 * wrap with {@link java.util.Collections#synchronizedMap} when shared.
 */
public final class LruMap<K, V> extends LinkedHashMap<K, V> {
  private final int capacity;

  public LruMap(int capacity) {
    super(16, 0.75f, true);
    if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    this.capacity = capacity;
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    return size() > capacity;
  }
}
