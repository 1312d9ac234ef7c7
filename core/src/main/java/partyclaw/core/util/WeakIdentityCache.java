package partyclaw.core.util;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A cache from an object, by identity, to a value derived from it; an entry goes when its key is collected.
 *
 * <p>For values derived from immutable objects that are passed around as the same instances (a transcript's
 * messages, request after request). Unlike a {@link java.util.WeakHashMap}, a lookup never calls the key's
 * {@code hashCode} or {@code equals}: for a record those walk every component on each call, which made the cache
 * cost more than the work it saved. Thread-safe.
 */
public final class WeakIdentityCache<K, V> {
  private final Map<IdentityKey<K>, V> entries = new HashMap<>();
  private final ReferenceQueue<K> collected = new ReferenceQueue<>();

  /** The value for {@code key}, computed outside the lock when absent (two threads may both compute it). */
  public V computeIfAbsent(K key, Function<? super K, ? extends V> compute) {
    V value = get(key);
    if (value != null) return value;
    value = compute.apply(key);
    synchronized (this) {
      entries.putIfAbsent(new IdentityKey<>(key, collected), value);
    }
    return value;
  }

  public synchronized V get(K key) {
    expunge();
    return entries.get(new Probe(key));
  }

  /** Caches {@code value} for {@code key}, replacing what was there. */
  public synchronized void replace(K key, V value) {
    expunge();
    entries.remove(new Probe(key));
    entries.put(new IdentityKey<>(key, collected), value);
  }

  /**
   * The cached values of all {@code keys} (null where absent), under one lock: for a whole transcript at once, where
   * a lock and a probe per message cost more than the lookups.
   */
  public synchronized Object[] getAll(java.util.List<? extends K> keys) {
    expunge();
    Object[] out = new Object[keys.size()];
    Probe probe = new Probe(null);
    for (int i = 0; i < out.length; i++) {
      probe.key = keys.get(i);
      out[i] = entries.get(probe);
    }
    return out;
  }

  /** Caches {@code value} for {@code key} unless a value is already there. */
  public synchronized void put(K key, V value) {
    entries.putIfAbsent(new IdentityKey<>(key, collected), value);
  }

  public synchronized int size() {
    expunge();
    return entries.size();
  }

  private void expunge() {
    for (Object ref; (ref = collected.poll()) != null; ) entries.remove(ref);
  }

  /**
   * What a lookup hashes with: not a reference itself, so a lookup allocates nothing the collector must track; one
   * probe serves a run of lookups under the lock.
   */
  private static final class Probe {
    Object key;

    Probe(Object key) {
      this.key = key;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(key);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof IdentityKey<?> k && k.get() == key;
    }
  }

  private static final class IdentityKey<K> extends WeakReference<K> {
    private final int hash;

    IdentityKey(K key, ReferenceQueue<K> queue) {
      super(key, queue);
      this.hash = System.identityHashCode(key);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (this == o) return true;
      if (o instanceof Probe p) return get() == p.key;
      if (!(o instanceof IdentityKey<?> other) || other.hash != hash) return false;
      Object mine = get();
      return mine != null && mine == other.get();
    }
  }
}
