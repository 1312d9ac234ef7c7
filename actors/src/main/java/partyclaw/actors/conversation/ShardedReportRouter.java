package partyclaw.actors.conversation;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import partyclaw.actors.agents.AgentReport;
import partyclaw.actors.agents.ReportRouter;
import partyclaw.actors.directory.TopicSubscriptions;

/** Reports travel to conversations through sharding (which wakes a passivated one); topics live in the index. */
public final class ShardedReportRouter implements ReportRouter {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final ActorSystem<?> system;
  private final ActorRef<TopicSubscriptions.Command> topics;

  public ShardedReportRouter(ActorSystem<?> system, ActorRef<TopicSubscriptions.Command> topics) {
    this.system = system;
    this.topics = topics;
  }

  @Override
  public CompletionStage<Void> deliver(String conversationId, AgentReport report) {
    return ClusterSharding.get(system).entityRefFor(ConversationEntity.TYPE_KEY, conversationId)
        .<Done>askWithStatus(r -> new ConversationEntity.ReceiveAgentReport(report, r), TIMEOUT)
        .thenApply(done -> null);
  }

  @Override
  public CompletionStage<Set<String>> subscribers(String topic) {
    return akka.actor.typed.javadsl.AskPattern.<TopicSubscriptions.Command, TopicSubscriptions.Subscribers>askWithStatus(
        topics, r -> new TopicSubscriptions.GetSubscribers(topic, r), TIMEOUT, system.scheduler())
        .thenApply(TopicSubscriptions.Subscribers::conversations);
  }

  @Override
  public void subscribe(String conversationId, String topic, boolean subscribed) {
    topics.tell(new TopicSubscriptions.Subscribe(topic, conversationId, subscribed));
  }
}
