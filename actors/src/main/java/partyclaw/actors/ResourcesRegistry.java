package partyclaw.actors;

import java.util.concurrent.ConcurrentHashMap;
import partyclaw.core.tool.ConversationResources;

/**
 * Per-conversation resources (exec processes…) of this node. They live outside the entity so that they outlive
 * turns and passivation; they are closed when the daemon stops.
 */
public final class ResourcesRegistry implements AutoCloseable {
  private final ConcurrentHashMap<String, ConversationResources> byConversation = new ConcurrentHashMap<>();

  private final java.util.Set<String> seen = ConcurrentHashMap.newKeySet();

  /** True the first time a conversation asks in this process: it was restarted, not merely passivated. */
  public boolean firstTimeInThisProcess(String conversationId) {
    return seen.add(conversationId);
  }

  public ConversationResources of(String conversationId) {
    return byConversation.computeIfAbsent(conversationId, id -> new ConversationResources());
  }

  /** The conversations with resources on this node and their resources, for the daemon's status. */
  public java.util.Map<String, ConversationResources> snapshot() {
    return java.util.Map.copyOf(byConversation);
  }

  @Override
  public void close() {
    byConversation.values().forEach(ConversationResources::close);
    byConversation.clear();
    seen.clear(); // what ran before is gone: the next run of each conversation starts as after a restart

  }
}
