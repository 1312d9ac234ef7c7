package partyclaw.actors.outbox;

/** What a conversation sends to its channel: outbox entries to deliver, and best-effort turn activity. */
public sealed interface ChannelMessage extends partyclaw.actors.JsonSerializable permits Deliver, TurnActivity {
  String conversationId();
}
