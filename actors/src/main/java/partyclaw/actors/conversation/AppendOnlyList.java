package partyclaw.actors.conversation;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list with amortised O(1) append: versions share one backing array and each sees only its own
 * prefix, which never changes afterwards. Appending what another version already appended after the same end
 * shares it too. Replaying 10,000 transcript events stays linear, and a snapshot being
 * serialised concurrently never sees a later append.
 */
public final class AppendOnlyList<T> extends AbstractList<T> implements RandomAccess {
  private static final AppendOnlyList<?> EMPTY = new AppendOnlyList<>(new Shared(new Object[0]), 0);

  /** Backing storage; {@code used} is how far any version has appended into it. */
  private static final class Shared {
    Object[] items;
    int used;

    Shared(Object[] items) {
      this.items = items;
    }
  }

  private final Shared shared;
  private final int size;

  private AppendOnlyList(Shared shared, int size) {
    this.shared = shared;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  public static <T> AppendOnlyList<T> empty() {
    return (AppendOnlyList<T>) EMPTY;
  }

  /** Views {@code items} as an AppendOnlyList, copying once unless it already is one (e.g. after snapshot load). */
  public static <T> AppendOnlyList<T> from(List<T> items) {
    if (items instanceof AppendOnlyList<T> a) return a;
    Shared s = new Shared(items.toArray());
    s.used = s.items.length;
    return new AppendOnlyList<>(s, s.items.length);
  }

  public AppendOnlyList<T> append(T item) {
    return appendAll(List.of(item));
  }

  public AppendOnlyList<T> appendAll(List<? extends T> items) {
    if (items.isEmpty()) return this;
    // An empty list never appends into its storage: EMPTY's is shared by every empty list.
    if (size > 0) {
      synchronized (shared) {
        if (shared.used == size && size + items.size() <= shared.items.length) {
          writeInto(shared, items);
          return new AppendOnlyList<>(shared, size + items.size());
        }
        if (shared.used == size) {
          shared.items = Arrays.copyOf(shared.items, Math.max(16, (size + items.size()) * 2));
          writeInto(shared, items);
          return new AppendOnlyList<>(shared, size + items.size());
        }
        // A command handler's prediction appended the same items first (PendingEvents, then the event handler).
        if (holdsNext(items)) return new AppendOnlyList<>(shared, size + items.size());
      }
    }
    // Another version already appended something else past our end: branch off with a copy.
    Shared fresh = new Shared(Arrays.copyOf(shared.items, Math.max(16, (size + items.size()) * 2)));
    fresh.used = size;
    writeInto(fresh, items);
    return new AppendOnlyList<>(fresh, size + items.size());
  }

  /** For tests: whether both versions are views of one backing array. */
  boolean sharesStorageWith(AppendOnlyList<?> other) {
    return shared == other.shared;
  }

  /** Whether another version already appended {@code items} (equal ones) right after this one's end. */
  private boolean holdsNext(List<? extends T> items) {
    if (shared.used < size + items.size()) return false;
    int i = size;
    for (T item : items) {
      Object there = shared.items[i++];
      if (there != item && (there == null || !there.equals(item))) return false;
    }
    return true;
  }

  private void writeInto(Shared target, List<? extends T> items) {
    int i = size;
    for (T item : items) target.items[i++] = item;
    target.used = i;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T get(int index) {
    if (index < 0 || index >= size) throw new IndexOutOfBoundsException(index);
    return (T) shared.items[index];
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Object[] toArray() {
    return Arrays.copyOf(shared.items, size);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <A> A[] toArray(A[] a) {
    if (a.length < size) return (A[]) Arrays.copyOf(shared.items, size, a.getClass());
    System.arraycopy(shared.items, 0, a, 0, size);
    if (a.length > size) a[size] = null;
    return a;
  }
}
