package partyclaw.tools.dsl;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import partyclaw.core.plan.Plan;
import partyclaw.core.sandbox.Sandbox;
import partyclaw.core.tool.ConversationResources;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.TurnSignal;
import partyclaw.core.workdir.Workdir;

/**
 * The context of a tool called from a script: the starting call's conversation, workspace and sandbox, but a signal of
 * the job's own. Tool calls in a DSL are not interruptible (tools.md §3.3): a newer user message never reaches them;
 * killing the job cancels the call in flight.
 */
record DslToolContext(ToolContext parent, TurnSignal signal) implements ToolContext {
  @Override
  public String conversationId() {
    return parent.conversationId();
  }

  @Override
  public Path workspaceRoot() {
    return parent.workspaceRoot();
  }

  @Override
  public String turnId() {
    return parent.turnId();
  }

  @Override
  public ConversationResources resources() {
    return parent.resources();
  }

  @Override
  public Map<String, String> processEnvironment() {
    return parent.processEnvironment();
  }

  @Override
  public Workdir workdir() {
    return parent.workdir();
  }

  @Override
  public Sandbox sandbox() {
    return parent.sandbox();
  }

  @Override
  public String currentModel() {
    return parent.currentModel();
  }

  @Override
  public CompletionStage<Void> updatePlan(Plan plan) {
    return parent.updatePlan(plan);
  }

  @Override
  public CompletionStage<Void> tellUser(String text) {
    return parent.tellUser(text);
  }
}
