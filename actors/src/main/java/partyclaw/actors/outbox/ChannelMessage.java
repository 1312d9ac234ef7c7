package partyclaw.actors.outbox;

/** What a conversation sends to its channel: outbox entries to deliver, and best-effort turn activity and text deltas. */
public sealed interface ChannelMessage permits Deliver, TurnActivity, TextDelta {
  String conversationId();
}
