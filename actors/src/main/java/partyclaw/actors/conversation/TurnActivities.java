package partyclaw.actors.conversation;

import java.util.ArrayList;
import java.util.List;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.ModelCatalog;
import partyclaw.actors.conversation.ConversationState.RecordedResult;
import partyclaw.actors.conversation.ConversationState.Turn;
import partyclaw.actors.outbox.TurnActivity;
import partyclaw.core.transcript.ToolCall;

/** Tells the channel what a turn is doing, for typing indicators and progress messages. Best effort, not durable. */
final class TurnActivities {
  private final String conversationId;
  private final ConversationRuntime rt;

  TurnActivities(String conversationId, ConversationRuntime rt) {
    this.conversationId = conversationId;
    this.rt = rt;
  }

  void phase(ConversationState s, TurnActivity.Phase phase) {
    if (s.turn() == null) return;
    String model = rt.models().resolve(s.settings().modelAlias()).map(ModelCatalog.Entry::alias).orElse(null);
    send(new TurnActivity(conversationId, s.turn().turnId(), phase, List.of(), null, model));
  }

  /** The batch of {@code turn} with each call's state; {@code finishedId} just ended with {@code finishedStatus}. */
  void tools(ConversationState s, Turn turn, String finishedId, ResultStatus finishedStatus) {
    List<TurnActivity.ToolLine> lines = new ArrayList<>();
    for (ToolCall c : turn.calls()) {
      RecordedResult recorded = turn.results().get(c.id());
      ResultStatus status = c.id().equals(finishedId) ? finishedStatus
          : recorded == null ? null : recorded.status();
      String shown = status == null ? "running" : status == ResultStatus.OK ? "ok" : "error";
      lines.add(new TurnActivity.ToolLine(c.id(), c.name(), UserMessages.firstArgument(c.arguments()), shown));
    }
    send(new TurnActivity(conversationId, turn.turnId(), TurnActivity.Phase.TOOLS, lines, null, null,
        s.plan().lines()));
  }

  void finished(String turnId, TurnOutcome outcome) {
    send(new TurnActivity(conversationId, turnId, TurnActivity.Phase.FINISHED, List.of(), outcome.wire(), null));
  }

  private void send(TurnActivity activity) {
    rt.delivery().channelOf(conversationId).ifPresent(ch -> ch.tell(activity));
  }
}
