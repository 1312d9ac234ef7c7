package partyclaw.actors.conversation;

import java.util.ArrayList;
import java.util.List;
import partyclaw.actors.conversation.ConversationEntity.Event;
import partyclaw.actors.conversation.ConversationEntity.OutboundQueued;
import partyclaw.actors.outbox.ReplyOption;

/**
 * The events one command will persist, with the state they lead to: a command handler predicts state only
 * through {@link ConversationState#apply}, the same fold the event handler uses.
 */
final class PendingEvents {
  private ConversationState state;
  private final List<Event> events = new ArrayList<>();

  PendingEvents(ConversationState from) {
    this.state = from;
  }

  PendingEvents add(Event event) {
    events.add(event);
    state = state.apply(event);
    return this;
  }

  /** Queues a message to the user under the next outbox id. */
  PendingEvents tell(OutboundKind kind, String text) {
    return tell(kind, text, List.of());
  }

  /** Queues a message with choices to offer (buttons where the channel has them). */
  PendingEvents tell(OutboundKind kind, String text, List<ReplyOption> options) {
    return add(new OutboundQueued(state.nextOutboundId(), kind, text, options));
  }

  ConversationState state() {
    return state;
  }

  List<Event> events() {
    return List.copyOf(events);
  }
}
