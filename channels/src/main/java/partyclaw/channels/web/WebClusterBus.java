package partyclaw.channels.web;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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

  private WebClusterBus() {}

  /** Joins {@code events} of channel {@code channelId} to the other nodes' through children of {@code ctx}. */
  static void join(ActorContext<?> ctx, String channelId, WebEvents events) {
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
  }

  private static void deliver(String channelId, WebEvents events, String text) {
    try {
      if (Json.parse(text) instanceof ObjectNode event) events.deliverLocally(event);
    } catch (IOException e) {
      LOG.warn("web {}: an event from another node is not JSON ({}); dropped", channelId, e.getMessage());
    }
  }
}
