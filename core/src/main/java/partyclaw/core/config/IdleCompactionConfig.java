package partyclaw.core.config;

/** {@code main_agent.idle_compaction}; {@code minRatio} is also the threshold of a manual {@code /compact}. */
public record IdleCompactionConfig(boolean enabled, int pollIntervalSeconds, double minRatio) {
  public static final IdleCompactionConfig DEFAULT = new IdleCompactionConfig(false, 15, 0.5);
}
