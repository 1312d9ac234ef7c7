package partyclaw.core.context;

/**
 * The token numbers of threshold compaction (runtime.md §4.1): when to compact and how much recent history stays
 * verbatim.
 */
public record ContextBudget(long windowTokens, double triggerRatio, Long tokenLimitOverride,
    double recentFidelityTargetRatio) {

  static final long MIN_TAIL = 1024;
  static final long MIN_PASS_TAIL = 512;

  /** Compact when the estimate reaches this. */
  public long threshold() {
    return tokenLimitOverride != null ? tokenLimitOverride : (long) Math.floor(windowTokens * triggerRatio);
  }

  /** The high-fidelity zone: recent messages kept verbatim after the summary. */
  public long tailBudget() {
    return Math.max(MIN_TAIL, (long) Math.floor(windowTokens * recentFidelityTargetRatio));
  }

  /** Passes 0, 1, 2 halve the tail each time a compaction still leaves the context over the threshold. */
  public long tailBudgetForPass(int pass) {
    if (pass < 0) throw new IllegalArgumentException("compaction pass must be 0 or more, got " + pass);
    return Math.max(MIN_PASS_TAIL, tailBudget() >> Math.min(pass, 62));
  }

  /** The floor for {@code /compact} and idle compaction ({@code idle_compaction.min_ratio}). */
  public long minimumFor(double minRatio) {
    return (long) Math.floor(windowTokens * minRatio);
  }
}
