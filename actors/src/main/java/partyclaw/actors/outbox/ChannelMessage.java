package partyclaw.actors.outbox;

/** What a conversation sends to its channel: outbox entries to deliver, and best-effort turn activity. */
public sealed interface ChannelMessage permits Deliver, TurnActivity {
  String conversationId();
}
