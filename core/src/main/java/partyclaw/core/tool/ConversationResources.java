package partyclaw.core.tool;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Long-lived per-conversation resources that outlive a turn (exec processes, downloads). One instance
 * per conversation, owned by the runtime; tools look their registry up by type.
 */
public final class ConversationResources implements AutoCloseable {
  private final ConcurrentHashMap<Class<?>, Object> byType = new ConcurrentHashMap<>();

  public <T> T get(Class<T> type, Supplier<T> create) {
    return type.cast(byType.computeIfAbsent(type, t -> create.get()));
  }

  /**
   * The resource of {@code type} if one was created, or one created under another type that implements it
   * (the runtime finds the exec registry through a {@code core} interface); never creates it.
   */
  public <T> java.util.Optional<T> find(Class<T> type) {
    Object exact = byType.get(type);
    if (exact != null) return java.util.Optional.of(type.cast(exact));
    return byType.values().stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /** Closes every resource that is {@link AutoCloseable} (kills processes): conversation destroyed or daemon stopping. */
  @Override
  public void close() {
    for (Object r : byType.values()) {
      if (r instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception ignored) {
          // best effort on shutdown
        }
      }
    }
    byType.clear();
  }
}
