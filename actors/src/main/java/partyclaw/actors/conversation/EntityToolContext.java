package partyclaw.actors.conversation;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import partyclaw.core.tool.ConversationResources;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.TurnSignal;
import partyclaw.core.plan.Plan;
import partyclaw.core.sandbox.Sandbox;
import partyclaw.core.workdir.Workdir;

/** The {@link ToolContext} a conversation gives its tool calls. */
record EntityToolContext(
    String conversationId,
    String turnId,
    Path workspaceRoot,
    TurnSignal signal,
    ConversationResources resources,
    Map<String, String> processEnvironment,
    Workdir workdir,
    Sandbox sandbox,
    String currentModel,
    Function<String, CompletionStage<Void>> teller,
    Function<Plan, CompletionStage<Void>> planner) implements ToolContext {

  @Override
  public CompletionStage<Void> updatePlan(Plan plan) {
    return planner.apply(plan);
  }

  @Override
  public CompletionStage<Void> tellUser(String text) {
    return teller.apply(text);
  }
}
