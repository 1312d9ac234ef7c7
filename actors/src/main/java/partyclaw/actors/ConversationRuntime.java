package partyclaw.actors;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import partyclaw.actors.agents.AgentSlots;
import partyclaw.actors.agents.ReportRouter;
import partyclaw.actors.context.ContextPolicy;
import partyclaw.actors.conversation.QueueMode;
import partyclaw.actors.conversation.TurnPolicy;
import partyclaw.actors.outbox.DeliveryRouter;
import partyclaw.core.llm.ChatClient;
import partyclaw.core.llm.ToolSpec;
import partyclaw.core.tool.Tool;
import partyclaw.core.workdir.Workdir;

/**
 * Everything a conversation needs from the node it runs on. Built once by the app from the config; shared by all
 * conversations of the node.
 *
 * @param operatorChannels ids of the channels whose users operate the daemon itself (the local command line): they
 *     may act on other conversations' snapshots
 * @param reports how background agents' reports reach other conversations, and the topics they subscribe to
 */
public record ConversationRuntime(
    ChatClient chat,
    ModelCatalog models,
    Map<String, Tool> tools,
    List<ToolSpec> toolSpecs,
    Path workdir,
    Map<String, String> processEnvironment,
    String language,
    DeliveryRouter delivery,
    ResourcesRegistry resources,
    Duration passivateAfter,
    TurnPolicy turns,
    SandboxPolicy sandbox,
    Set<String> operatorChannels,
    ContextPolicy context,
    AgentSlots subAgentSlots,
    AgentSlots backgroundSlots,
    ReportRouter reports) {

  /**
   * Tool specs as sent upstream: the mode sentence before each description, alphabetical (the registry's order).
   * One immutable list for the node, which requests pass on as the same instance, so its JSON is encoded once.
   */
  public static List<ToolSpec> specsOf(Map<String, Tool> tools) {
    return List.copyOf(tools.values().stream()
        .sorted(java.util.Comparator.comparing(Tool::name))
        .map(t -> new ToolSpec(t.name(), t.mode().prefix() + " " + t.description(), t.parameters()))
        .toList());
  }

  /** The specs offered to model {@code modelAlias}: {@link #toolSpecs} without the tools it is not offered. */
  public List<ToolSpec> toolSpecsFor(String modelAlias) {
    return OfferedTools.specs(tools, toolSpecs, modelAlias);
  }

  public Path workspaceDir(String workspaceId) {
    return layout().workspaceFiles(workspaceId);
  }

  public Workdir layout() {
    return new Workdir(workdir);
  }

  public QueueMode defaultQueueMode() {
    return turns.defaultQueueMode();
  }

  /** A conversation {@code <channel id>:<chat id>} of an operator channel. */
  public boolean isOperator(String conversationId) {
    int colon = conversationId.indexOf(':');
    return operatorChannels.contains(colon < 0 ? conversationId : conversationId.substring(0, colon));
  }
}
