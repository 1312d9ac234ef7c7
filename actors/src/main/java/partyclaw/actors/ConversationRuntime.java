package partyclaw.actors;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import partyclaw.actors.outbox.DeliveryRouter;
import partyclaw.core.llm.ChatClient;
import partyclaw.core.llm.ToolSpec;
import partyclaw.core.tool.Tool;

/**
 * Everything a conversation needs from the node it runs on. Built once by the app from the config; shared by all
 * conversations of the node.
 */
public record ConversationRuntime(
    ChatClient chat,
    ModelCatalog models,
    Map<String, Tool> tools,
    List<ToolSpec> toolSpecs,
    Path workdir,
    Map<String, String> processEnvironment,
    int maxToolRounds,
    String language,
    DeliveryRouter delivery,
    ResourcesRegistry resources,
    Duration passivateAfter,
    String defaultQueueMode,
    Duration debounce,
    int followUpCap,
    String sandboxMode) {

  /** Tool specs as sent upstream: the mode sentence before each description, alphabetical (the registry's order). */
  public static List<ToolSpec> specsOf(Map<String, Tool> tools) {
    return tools.values().stream()
        .sorted(java.util.Comparator.comparing(Tool::name))
        .map(t -> new ToolSpec(t.name(), t.mode().prefix() + " " + t.description(), t.parameters()))
        .toList();
  }

  public Path workspaceDir(String workspaceId) {
    return workdir.resolve("workspaces").resolve(workspaceId).resolve("files");
  }
}
