package partyclaw.actors.outbox;

import akka.actor.typed.ActorRef;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Maps channel ids to the channel actors that deliver their conversations' outboxes. */
public final class DeliveryRouter {
  private final ConcurrentHashMap<String, ActorRef<ChannelMessage>> channels = new ConcurrentHashMap<>();

  public void register(String channelId, ActorRef<ChannelMessage> channel) {
    channels.put(channelId, channel);
  }

  /** Whether a channel actor registered for {@code channelId}, i.e. the channel started. */
  public boolean isRegistered(String channelId) {
    return channels.containsKey(channelId);
  }

  /** The channel of a conversation id {@code <channel id>:<chat id>}. */
  public Optional<ActorRef<ChannelMessage>> channelOf(String conversationId) {
    int colon = conversationId.indexOf(':');
    String channelId = colon < 0 ? conversationId : conversationId.substring(0, colon);
    return Optional.ofNullable(channels.get(channelId));
  }
}
