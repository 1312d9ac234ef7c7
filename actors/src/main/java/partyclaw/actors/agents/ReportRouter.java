package partyclaw.actors.agents;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * How a conversation reaches other conversations for background agents' reports: deliveries to a conversation
 * (wherever it runs, waking it if passivated) and the topic subscriptions of broadcast sinks.
 */
public interface ReportRouter {

  /** Completes once the target journaled the report (or already had it); fails when it could not be reached. */
  CompletionStage<Void> deliver(String conversationId, AgentReport report);

  /** The conversations subscribed to {@code topic}. */
  CompletionStage<Set<String>> subscribers(String topic);

  /** Records a (un)subscription in the node's topic index; idempotent. */
  void subscribe(String conversationId, String topic, boolean subscribed);
}
