package partyclaw.actors.conversation;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import partyclaw.core.config.TimeAwarenessConfig;
import partyclaw.core.prompt.TimeHints;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;

/** How a turn begins: its id, its user messages and the time hints of {@code main_agent.time_awareness}. */
final class TurnOpenings {
  private TurnOpenings() {}

  /**
   * A turn for user messages. The idle-gap tip goes with the first model call only; the optional system date is
   * part of the first user message (runtime.md §1.1 step 3.4).
   */
  static ConversationEntity.TurnStarted start(ConversationState s, List<String> messageIds,
      List<ChatMessage> userMessages, TimeAwarenessConfig time) {
    Instant now = Instant.now();
    List<String> notices = new ArrayList<>();
    Instant last = s.context().lastAgentActivityAt();
    if (time.emitIdleTimeGapHint() && last != null) TimeHints.idleGapTip(last, now).ifPresent(notices::add);
    List<ChatMessage> messages = userMessages;
    if (time.emitSystemDateOnUserMessage() && !userMessages.isEmpty() && userMessages.get(0).role() == Role.USER) {
      messages = new ArrayList<>(userMessages);
      ChatMessage first = userMessages.get(0);
      messages.set(0, ChatMessage.user(TimeHints.systemDatePrefix(ZonedDateTime.now()) + first.content()));
    }
    return new ConversationEntity.TurnStarted(UUID.randomUUID().toString(), messageIds, messages, notices);
  }

  /** {@code /continue}: no new messages and no hints. */
  static ConversationEntity.TurnStarted resume() {
    return new ConversationEntity.TurnStarted(UUID.randomUUID().toString(), List.of(), List.of(), List.of());
  }
}
