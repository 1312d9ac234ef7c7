package partyclaw.actors.context;

import partyclaw.core.config.ContextCompactionConfig;
import partyclaw.core.config.IdleCompactionConfig;
import partyclaw.core.config.MainAgentConfig;
import partyclaw.core.config.TimeAwarenessConfig;
import partyclaw.core.context.ContextBudget;
import partyclaw.core.context.MemoryMode;
import partyclaw.core.tokens.TokenCalibration;

/**
 * How this node manages conversation contexts, from {@code main_agent}: when to compact, what memory keeps, which
 * time hints the model gets. {@code calibration} is shared by all conversations of the node: it learns how far the
 * local token estimate is from what each model's provider counts.
 */
public record ContextPolicy(
    boolean compressionEnabled,
    ContextCompactionConfig compaction,
    IdleCompactionConfig idle,
    boolean timeoutCompaction,
    TimeAwarenessConfig time,
    MemoryMode memoryMode,
    String globalInstallRoot,
    TokenCalibration calibration) {

  public static ContextPolicy of(MainAgentConfig m) {
    return new ContextPolicy(m.enableContextCompression(), m.contextCompaction(), m.idleCompaction(),
        m.timeoutObservationCompaction(), m.timeAwareness(), MemoryMode.parse(m.memorySystem()),
        m.globalInstallRoot(), new TokenCalibration());
  }

  public ContextBudget budget(long windowTokens) {
    return new ContextBudget(windowTokens, compaction.triggerRatio(), compaction.tokenLimitOverride(),
        compaction.recentFidelityTargetRatio());
  }

  /** Automatic compaction for a conversation: its /compact_mode override, else the config's default. */
  public boolean compressionFor(Boolean override) {
    return override != null ? override : compressionEnabled;
  }
}
