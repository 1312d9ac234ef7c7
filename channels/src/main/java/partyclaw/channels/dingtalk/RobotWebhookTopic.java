package partyclaw.channels.dingtalk;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.pubsub.Topic;
import partyclaw.actors.JsonSerializable;

/**
 * In a cluster, how the node that received a robot callback tells the channel's outbox (on the singleton's node) that
 * a conversation's session webhook was cached: the replies that waited for one go out now.
 */
final class RobotWebhookTopic {
  /** The session webhook of {@code conversationId} is in the channel's store. */
  public record Arrived(String conversationId) implements JsonSerializable {}

  private RobotWebhookTopic() {}

  static ActorRef<Topic.Command<Arrived>> spawn(ActorContext<?> ctx, String channelId) {
    return ctx.spawn(Topic.create(Arrived.class, "dingtalk-robot-webhooks-" + channelId), "webhook-topic");
  }
}
