package partyclaw.actors.outbox;

import akka.actor.typed.ActorRef;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Maps channel ids to the channel actors that deliver their conversations' outboxes. */
public final class DeliveryRouter {
  private final ConcurrentHashMap<String, ActorRef<ChannelMessage>> channels = new ConcurrentHashMap<>();
  /** Channels that serve their users (a bot connected to its platform), for the node's readiness. */
  private final java.util.Set<String> started = ConcurrentHashMap.newKeySet();

  public void register(String channelId, ActorRef<ChannelMessage> channel) {
    channels.put(channelId, channel);
  }

  /** A channel says it serves its users now (the command line at once, a bot once its platform answered). */
  public void channelStarted(String channelId) {
    started.add(channelId);
  }

  /** Whether the channel registered for its outbox and said it started. */
  public boolean isStarted(String channelId) {
    return channels.containsKey(channelId) && started.contains(channelId);
  }

  /** The channel of a conversation id {@code <channel id>:<chat id>}. */
  public Optional<ActorRef<ChannelMessage>> channelOf(String conversationId) {
    int colon = conversationId.indexOf(':');
    String channelId = colon < 0 ? conversationId : conversationId.substring(0, colon);
    return Optional.ofNullable(channels.get(channelId));
  }
}
