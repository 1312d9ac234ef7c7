package partyclaw.core.tool;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import partyclaw.core.plan.Plan;
import partyclaw.core.sandbox.Sandbox;
import partyclaw.core.workdir.Workdir;

/** What a tool may see of the runtime. A tool never sees an actor. */
public interface ToolContext {
  /** {@code <channel id>:<chat id>}. */
  String conversationId();

  /** The conversation's workspace root (absolute, real path); tools confine paths to it. */
  Path workspaceRoot();

  /** The turn this call belongs to; resources it starts (processes) are stopped with the turn on /stop. */
  default String turnId() {
    return "";
  }

  /** Interrupt/cancel signal of the batch this call belongs to. */
  TurnSignal signal();

  /** Resources that outlive the turn (process registry, downloads). */
  ConversationResources resources();

  /** Environment for child processes: the daemon's environment with every secret removed. */
  Map<String, String> processEnvironment();

  /** The daemon's workdir layout: shared profiles, skills store, this conversation's memory. */
  Workdir workdir();

  /**
   * How this conversation's processes are confined; every tool that starts a process launches it through
   * {@code partyclaw.tools.sandbox.SandboxLauncher} with this.
   */
  default Sandbox sandbox() {
    return Sandbox.subprocess(workspaceRoot());
  }

  /**
   * The model key of the conversation's current main model (what a cron task created now runs with); null when
   * none is selected.
   */
  default String currentModel() {
    return null;
  }

  /**
   * Replaces the conversation's plan ({@code update_plan}); completes once it is journaled. Only a conversation keeps
   * a plan: elsewhere (a sub-agent, which is not offered the tool, or a test context) the call fails with the reason.
   */
  default CompletionStage<Void> updatePlan(Plan plan) {
    return java.util.concurrent.CompletableFuture.failedFuture(
        new UnsupportedOperationException("plans are not kept in this runtime"));
  }

  /** Sends a separate message to the user now, through the conversation's outbox. Completes once queued durably. */
  CompletionStage<Void> tellUser(String text);
}
