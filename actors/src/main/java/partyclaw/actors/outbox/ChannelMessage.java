package partyclaw.actors.outbox;

/**
 * What a conversation sends to its channel: outbox entries to deliver, and best-effort turn activity and text
 * deltas. In a cluster the channel may run on another node (a singleton), so these are JSON-serializable.
 */
public sealed interface ChannelMessage extends partyclaw.actors.JsonSerializable
    permits Deliver, TurnActivity, TextDelta {
  String conversationId();
}
