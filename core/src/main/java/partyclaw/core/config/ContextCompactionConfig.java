package partyclaw.core.config;

/** {@code main_agent.context_compaction}: compact when the prompt reaches {@code triggerRatio} of the window (or {@code tokenLimitOverride} tokens). */
public record ContextCompactionConfig(double triggerRatio, Long tokenLimitOverride, double recentFidelityTargetRatio) {
  public static final ContextCompactionConfig DEFAULT = new ContextCompactionConfig(0.9, null, 0.18);
}
