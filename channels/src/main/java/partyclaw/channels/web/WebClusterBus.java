package partyclaw.channels.web;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.actors.JsonSerializable;
import partyclaw.core.json.Json;

/**
 * A web channel's events across the cluster: every node serves the channel, so a user connected to one node must see
 * what the conversation, running on another, sends. Each node publishes its events on the channel's topic and
 * delivers those of the other nodes to its own clients. Best effort, as events are on one node: the transcript (in
 * the shared directory) stays the record a reconnecting client reads.
 */
final class WebClusterBus {
  private static final Logger LOG = LoggerFactory.getLogger(WebClusterBus.class);

  /** One event, from the node that published it ({@code origin}). */
  public record NodeEvent(String origin, String event) implements JsonSerializable {}

  private static final Object POLL = "poll";
  /** How long a node waits for its topic to reach every node before it serves anyway. */
  private static final Duration REACH_WAIT = Duration.ofSeconds(15);

  private WebClusterBus() {}

  /**
   * Joins {@code events} of channel {@code channelId} to the other nodes' through children of {@code ctx}. Completes
   * once this node's topic knows a subscribed instance on every member that is up: until then an event published
   * here may miss a node, so the channel does not count as started (the node's {@code /ready}).
   */
  static CompletionStage<Void> join(ActorContext<?> ctx, String channelId, WebEvents events) {
    String origin = UUID.randomUUID().toString();
    ActorRef<Topic.Command<NodeEvent>> topic =
        ctx.spawn(Topic.create(NodeEvent.class, "web-events-" + channelId), "events-topic");
    ActorRef<NodeEvent> fromOthers = ctx.spawn(Behaviors.receive(NodeEvent.class)
        .onMessage(NodeEvent.class, e -> {
          if (!e.origin().equals(origin)) deliver(channelId, events, e.event());
          return Behaviors.same();
        })
        .build(), "events-from-other-nodes");
    topic.tell(Topic.subscribe(fromOthers));
    events.spanNodes(event -> topic.tell(Topic.publish(new NodeEvent(origin, Json.write(event)))));
    CompletableFuture<Void> reachesEveryMember = new CompletableFuture<>();
    ctx.spawn(reach(channelId, topic, reachesEveryMember), "events-reach");
    return reachesEveryMember;
  }

  /**
   * Follows how many nodes the topic reaches (the receptionist learns of other nodes' subscribers by gossip, a
   * second or so after they join) and logs every change of it or of the nodes up, so an operator sees a node that
   * web events do not reach.
   */
  private static Behavior<Object> reach(String channelId, ActorRef<Topic.Command<NodeEvent>> topic,
      CompletableFuture<Void> reachesEveryMember) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Cluster cluster = Cluster.get(ctx.getSystem());
      ActorRef<Topic.TopicStats> stats = ctx.messageAdapter(Topic.TopicStats.class, s -> s);
      timers.startTimerWithFixedDelay(POLL, POLL, Duration.ofMillis(200));
      int[] reached = {0};
      int[] upBefore = {0};
      long since = System.nanoTime();
      return Behaviors.receive(Object.class)
          .onMessageEquals(POLL, () -> {
            topic.tell(Topic.getTopicStats(stats));
            return Behaviors.same();
          })
          .onMessage(Topic.TopicStats.class, s -> {
            int up = 0;
            for (Member m : cluster.state().getMembers()) if (m.status() == MemberStatus.up()) up++;
            if (s.topicInstanceCount() != reached[0] || up != upBefore[0]) {
              reached[0] = s.topicInstanceCount();
              upBefore[0] = up;
              LOG.info("web {}: {} node(s) up, events reach {} node(s)", channelId, up, reached[0]);
            }
            if (up > 0 && reached[0] >= up) {
              // started: from now on only watched for the log, at a slower pace
              if (reachesEveryMember.complete(null)) timers.startTimerWithFixedDelay(POLL, POLL, Duration.ofSeconds(2));
            } else if (!reachesEveryMember.isDone() && System.nanoTime() - since > REACH_WAIT.toNanos()) {
              // A node without this channel never subscribes: serve rather than stay unready for good.
              LOG.warn("web {}: after {} s events reach {} of {} node(s) up; serving anyway (is the channel missing"
                  + " on some node?)", channelId, REACH_WAIT.toSeconds(), reached[0], up);
              reachesEveryMember.complete(null);
              timers.startTimerWithFixedDelay(POLL, POLL, Duration.ofSeconds(2));
            }
            return Behaviors.same();
          })
          .build();
    }));
  }

  private static void deliver(String channelId, WebEvents events, String text) {
    try {
      if (Json.parse(text) instanceof ObjectNode event) events.deliverLocally(event);
    } catch (IOException e) {
      LOG.warn("web {}: an event from another node is not JSON ({}); dropped", channelId, e.getMessage());
    }
  }
}
