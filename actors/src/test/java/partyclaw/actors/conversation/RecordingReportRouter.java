package partyclaw.actors.conversation;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import partyclaw.actors.agents.AgentReport;
import partyclaw.actors.agents.ReportRouter;

/** Other conversations as a test sees them: deliveries recorded, subscriptions in a map, failures on demand. */
final class RecordingReportRouter implements ReportRouter {
  record Delivery(String conversationId, AgentReport report) {}

  final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  final Map<String, Set<String>> topics = new ConcurrentHashMap<>();
  /** The next this-many deliveries fail (an unreachable conversation). */
  final AtomicInteger failNext = new AtomicInteger();

  @Override
  public CompletionStage<Void> deliver(String conversationId, AgentReport report) {
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return CompletableFuture.failedFuture(new IllegalStateException("conversation " + conversationId
          + " unreachable"));
    }
    deliveries.add(new Delivery(conversationId, report));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Set<String>> subscribers(String topic) {
    return CompletableFuture.completedFuture(new TreeSet<>(topics.getOrDefault(topic, Set.of())));
  }

  @Override
  public void subscribe(String conversationId, String topic, boolean subscribed) {
    topics.compute(topic, (t, members) -> {
      Set<String> next = new TreeSet<>(members == null ? Set.of() : members);
      if (subscribed) next.add(conversationId); else next.remove(conversationId);
      return Set.copyOf(next);
    });
  }

  long deliveriesTo(String conversationId) {
    return deliveries.stream().filter(d -> d.conversationId().equals(conversationId)).count();
  }
}
