package partyclaw.actors.conversation;

import java.util.ArrayList;
import java.util.List;
import partyclaw.actors.conversation.ConversationEntity.QueuedMessagesParked;
import partyclaw.actors.conversation.ConversationEntity.ToolResultRecorded;
import partyclaw.actors.conversation.ConversationEntity.TurnFinished;
import partyclaw.actors.conversation.ConversationState.Inbound;
import partyclaw.actors.conversation.ConversationState.Turn;
import partyclaw.core.transcript.ToolCall;

/**
 * The events of a turn cancelled for real (/stop, queue mode interrupt): unfinished calls get a cancelled result so
 * the transcript stays paired, the turn ends with its reason, and after /stop the user is told what was stopped and
 * queued messages are kept without starting a turn. Pure: the entity performs the stopping after persisting.
 */
final class TurnCancellation {
  private TurnCancellation() {}

  /**
   * @param modelCallRunning a model call is in flight
   * @param processes "command (pid N)" of the processes the turn started that still run
   */
  static PendingEvents events(PendingEvents pending, TurnOutcome outcome, String reason, boolean modelCallRunning,
      List<String> processes, Texts t) {
    Turn turn = pending.state().turn();
    List<String> stopped = new ArrayList<>();
    if (modelCallRunning) stopped.add(t.get("turn.stoppedModelCall"));
    for (ToolCall call : turn.unfinishedCalls()) {
      String arg = UserMessages.firstArgument(call.arguments());
      stopped.add(call.name() + (arg.isEmpty() ? "" : " (" + arg + ")"));
      pending.add(new ToolResultRecorded(turn.turnId(), call.id(), call.name(),
          TranscriptRepairs.cancelledResult(call, reason), ResultStatus.CANCELLED));
    }
    processes.forEach(p -> stopped.add(t.get("turn.stoppedProcess", p)));
    pending.add(new TurnFinished(turn.turnId(), outcome, reason, java.time.Instant.now()));
    if (outcome != TurnOutcome.STOPPED) return pending;
    List<Inbound> queued = pending.state().inbox();
    if (!queued.isEmpty()) {
      pending.add(new QueuedMessagesParked(queued.stream().map(Inbound::messageId).toList(),
          UserMessages.plain(queued, queued.size())));
    }
    return pending.tell(OutboundKind.NOTICE, stopped.isEmpty() ? t.get("turn.stopped")
        : t.get("turn.stoppedWhat", String.join(", ", stopped)));
  }
}
