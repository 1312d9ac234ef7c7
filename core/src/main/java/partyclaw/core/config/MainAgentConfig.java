package partyclaw.core.config;

import java.util.List;

/**
 * {@code main_agent}: settings shared by the foreground agent, sub-agents and background agents.
 * {@code timeoutSeconds} is the default timeout of sub-agents and background agents (null = model timeout + 15 s,
 * 0 = 300 s). {@code enabledTools} is what the file listed (normalized), empty when absent; like the reference,
 * the tool registry does not use it.
 */
public record MainAgentConfig(
    String model,
    Double timeoutSeconds,
    String globalInstallRoot,
    String language,
    int maxToolRoundtrips,
    boolean enableContextCompression,
    ContextCompactionConfig contextCompaction,
    IdleCompactionConfig idleCompaction,
    boolean timeoutObservationCompaction,
    TimeAwarenessConfig timeAwareness,
    TokenEstimationCacheConfig tokenEstimationCache,
    String memorySystem,
    List<String> enabledTools,
    String queueMode,
    int debounceMs) {

  public static final String DEFAULT_LANGUAGE = "zh-CN";
  public static final int DEFAULT_MAX_TOOL_ROUNDTRIPS = 120;
  public static final String MEMORY_LAYERED = "layered";
  public static final String MEMORY_CLAUDE_CODE = "claude_code";
  public static final List<String> MEMORY_SYSTEMS = List.of(MEMORY_LAYERED, MEMORY_CLAUDE_CODE);
  /** partyclaw extension: what a message sent during a turn does (steer yields the turn at a safe boundary). */
  public static final List<String> QUEUE_MODES = List.of("steer", "followup", "collect", "interrupt");
  public static final String DEFAULT_QUEUE_MODE = "steer";
  public static final int DEFAULT_DEBOUNCE_MS = 500;

  public MainAgentConfig {
    contextCompaction = contextCompaction == null ? ContextCompactionConfig.DEFAULT : contextCompaction;
    idleCompaction = idleCompaction == null ? IdleCompactionConfig.DEFAULT : idleCompaction;
    timeAwareness = timeAwareness == null ? TimeAwarenessConfig.DEFAULT : timeAwareness;
    tokenEstimationCache = tokenEstimationCache == null ? TokenEstimationCacheConfig.DEFAULT : tokenEstimationCache;
    memorySystem = memorySystem == null ? MEMORY_LAYERED : memorySystem;
    enabledTools = enabledTools == null ? List.of() : List.copyOf(enabledTools);
    queueMode = queueMode == null ? DEFAULT_QUEUE_MODE : queueMode;
  }

  /** The common settings; compaction, time awareness, caches and memory take their defaults. */
  public MainAgentConfig(String model, Double timeoutSeconds, String globalInstallRoot, String language,
      int maxToolRoundtrips, boolean enableContextCompression) {
    this(model, timeoutSeconds, globalInstallRoot, language, maxToolRoundtrips, enableContextCompression,
        null, null, true, null, null, null, null, DEFAULT_QUEUE_MODE, DEFAULT_DEBOUNCE_MS);
  }

  /** Everything at its default, as for {@code "main_agent": {}}. */
  public static MainAgentConfig defaults() {
    return new MainAgentConfig(null, null, defaultGlobalInstallRoot(), DEFAULT_LANGUAGE, DEFAULT_MAX_TOOL_ROUNDTRIPS, true);
  }

  /** Whether replies and status texts should be Chinese, as the reference decides it. */
  public boolean chinese() {
    return language != null && language.startsWith("zh");
  }

  public static String defaultGlobalInstallRoot() {
    return System.getProperty("os.name", "").startsWith("Windows") ? "C:/ClawPartyPrograms" : "/opt";
  }
}
