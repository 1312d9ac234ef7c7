package partyclaw.actors.outbox;

import java.util.List;

/**
 * Progress of a turn, for typing indicators and progress messages. Not durable: a channel may miss one, and
 * after a restart the next activity of the turn arrives as usual.
 *
 * @param phase STARTED, THINKING (model call), TOOLS (a batch runs; {@code tools} lists them), or FINISHED
 * @param tools one entry per call of the running batch: {@code status} is running, ok or error
 * @param outcome for FINISHED: completed, failed, max_rounds, stopped…
 * @param plan the agent's plan ({@code update_plan}), one line per step with its mark
 */
public record TurnActivity(String conversationId, String turnId, Phase phase, List<ToolLine> tools, String outcome,
    String model, List<String> plan) implements ChannelMessage {

  public TurnActivity {
    plan = plan == null ? List.of() : List.copyOf(plan);
  }

  public TurnActivity(String conversationId, String turnId, Phase phase, List<ToolLine> tools, String outcome,
      String model) {
    this(conversationId, turnId, phase, tools, outcome, model, List.of());
  }

  public enum Phase { STARTED, THINKING, TOOLS, FINISHED }

  public record ToolLine(String callId, String name, String firstArgument, String status) {}
}
