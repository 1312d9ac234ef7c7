package partyclaw.actors.outbox;

import akka.actor.typed.ActorRef;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Maps channel ids to the channel actors that deliver their conversations' outboxes. */
public final class DeliveryRouter {
  private final ConcurrentHashMap<String, ActorRef<ChannelMessage>> channels = new ConcurrentHashMap<>();
  /** Channels that serve their users (a bot connected to its platform), for the node's readiness. */
  private final java.util.Set<String> started = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, ActorRef<ChannelMessage>> observers = new ConcurrentHashMap<>();

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

  /**
   * Where a conversation's messages go: the observer of that conversation if one is attached (it passes them on to
   * the owning channel, see {@link #ownerOf}), otherwise the channel of the conversation id
   * {@code <channel id>:<chat id>}.
   */
  public Optional<ActorRef<ChannelMessage>> channelOf(String conversationId) {
    ActorRef<ChannelMessage> observer = observers.get(conversationId);
    return observer != null ? Optional.of(observer) : ownerOf(conversationId);
  }

  /** The channel that owns a conversation, whether or not someone observes it. */
  public Optional<ActorRef<ChannelMessage>> ownerOf(String conversationId) {
    int colon = conversationId.indexOf(':');
    String channelId = colon < 0 ? conversationId : conversationId.substring(0, colon);
    return Optional.ofNullable(channels.get(channelId));
  }

  /**
   * An attached terminal ({@code partyclaw chat --conversation}) sees a conversation's messages: they go to
   * {@code observer}, which must pass each on to {@link #ownerOf} unchanged so delivery stays the channel's.
   */
  public void observe(String conversationId, ActorRef<ChannelMessage> observer) {
    observers.put(conversationId, observer);
  }

  public void unobserve(String conversationId, ActorRef<ChannelMessage> observer) {
    observers.remove(conversationId, observer);
  }

  /** Whether a channel id is registered, e.g. to refuse a second channel under a reserved id. */
  public boolean isRegistered(String channelId) {
    return channels.containsKey(channelId);
  }
}
