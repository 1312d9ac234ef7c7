package partyclaw.app.console;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/** The terminals attached to each conversation, shared by the socket's threads and {@link ConsoleChannel}. */
public final class AttachedTerminals {
  private final ConcurrentHashMap<String, Set<ConsoleConnection>> byConversation = new ConcurrentHashMap<>();

  /** True when {@code connection} is the first terminal on the conversation. */
  boolean attach(String conversationId, ConsoleConnection connection) {
    boolean[] first = {false};
    byConversation.compute(conversationId, (id, set) -> {
      if (set == null) {
        set = new CopyOnWriteArraySet<>();
        first[0] = true;
      }
      set.add(connection);
      return set;
    });
    return first[0];
  }

  /** True when {@code connection} was the last terminal on the conversation. */
  boolean detach(String conversationId, ConsoleConnection connection) {
    boolean[] last = {false};
    byConversation.computeIfPresent(conversationId, (id, set) -> {
      set.remove(connection);
      last[0] = set.isEmpty();
      return set.isEmpty() ? null : set;
    });
    return last[0];
  }

  List<ConsoleConnection> of(String conversationId) {
    Set<ConsoleConnection> set = byConversation.get(conversationId);
    return set == null ? List.of() : List.copyOf(set);
  }

  int count() {
    return byConversation.values().stream().mapToInt(Set::size).sum();
  }
}
