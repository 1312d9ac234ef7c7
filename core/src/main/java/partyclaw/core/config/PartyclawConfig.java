package partyclaw.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded, migrated and validated config, whatever version the file was ({@code sourceVersion}).
 * {@code models} iterates in alias order; {@code availableModels} is {@code agent.agent_frame.available_models},
 * auto-filled with every agent-capable model when the file gave none; {@code tooling} maps a tooling field
 * ({@code web_search}, {@code image}, …) to its raw target ({@code "<alias>"} or {@code "<alias>:self"});
 * {@code management} is null when the config has no management endpoint; {@code cluster} is null for the single
 * node on LevelDB.
 */
public record PartyclawConfig(
    String sourceVersion,
    Map<String, ModelConfig> models,
    List<String> availableModels,
    Map<String, String> tooling,
    MainAgentConfig mainAgent,
    SandboxConfig sandbox,
    int maxGlobalSubAgents,
    int cronPollIntervalSeconds,
    List<ChannelConfig> channels,
    ManagementConfig management,
    ClusterConfig cluster) {

  public static final String LATEST_VERSION = ConfigVersions.LATEST;
  public static final int DEFAULT_MAX_GLOBAL_SUB_AGENTS = 4;
  public static final int DEFAULT_CRON_POLL_INTERVAL_SECONDS = 5;

  public PartyclawConfig {
    models = models == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(models));
    availableModels = availableModels == null ? List.of() : List.copyOf(availableModels);
    tooling = tooling == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tooling));
    mainAgent = mainAgent == null ? MainAgentConfig.defaults() : mainAgent;
    sandbox = sandbox == null ? SandboxConfig.DEFAULT : sandbox;
    channels = channels == null ? List.of() : List.copyOf(channels);
  }

  /**
   * The model a new conversation starts with: {@code main_agent.model} if it names an available model, else the
   * first available model. (The reference has no default and stays silent until {@code /agent} is used.)
   */
  public Optional<ModelConfig> defaultModel() {
    String preferred = mainAgent.model();
    if (preferred != null && availableModels.contains(preferred) && models.containsKey(preferred)) {
      return Optional.of(models.get(preferred));
    }
    return availableModels.stream().map(models::get).filter(m -> m != null).findFirst();
  }

  /** A single node: no {@code cluster} section. */
  public PartyclawConfig(String sourceVersion, Map<String, ModelConfig> models, List<String> availableModels,
      Map<String, String> tooling, MainAgentConfig mainAgent, SandboxConfig sandbox, int maxGlobalSubAgents,
      int cronPollIntervalSeconds, List<ChannelConfig> channels, ManagementConfig management) {
    this(sourceVersion, models, availableModels, tooling, mainAgent, sandbox, maxGlobalSubAgents,
        cronPollIntervalSeconds, channels, management, null);
  }

  /** This node's place in a multi-node cluster; empty for the single node on LevelDB. */
  public Optional<ClusterConfig> clusterMode() {
    return Optional.ofNullable(cluster);
  }

  /** The management endpoint's address, if the config asks for one. */
  public Optional<ManagementConfig> managementEndpoint() {
    return Optional.ofNullable(management);
  }

  public Optional<ModelConfig> model(String alias) {
    return Optional.ofNullable(alias == null ? null : models.get(alias));
  }

  /** The parsed target of a tooling field, if the config routes it. */
  public Optional<ToolingTarget> toolingTarget(String field) {
    String raw = tooling.get(field);
    return raw == null ? Optional.empty() : Optional.of(ToolingTarget.parse(raw));
  }
}
