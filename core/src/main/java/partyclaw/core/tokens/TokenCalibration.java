package partyclaw.core.tokens;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-model correction of local estimates from the usage the provider reports (runtime.md §3.9), in memory, one
 * instance per process.
 *
 * <p>The factor starts at 1.0 (trust the tokenizer) and every sample moves it by an EMA: α 0.35 for samples 1–5,
 * then 0.15. The first sample is blended too, not adopted outright, so one odd usage report cannot swing the
 * estimate to the clamp at once. Each ratio actual/estimated is clamped to [0.25, 4].
 *
 * <p>Callers must pass the estimate of the <em>whole</em> request the usage belongs to; comparing a delta-only
 * estimate with full usage is the reference's skew (runtime.md §9 item 23).
 */
public final class TokenCalibration {
  static final double MIN_RATIO = 0.25;
  static final double MAX_RATIO = 4.0;
  static final double WARMUP_ALPHA = 0.35;
  static final double STEADY_ALPHA = 0.15;
  static final int WARMUP_SAMPLES = 5;

  private record State(double factor, int samples) {}

  private static final State INITIAL = new State(1.0, 0);

  private final Map<String, State> states = new ConcurrentHashMap<>();

  public double factor(String modelKey) {
    return states.getOrDefault(modelKey, INITIAL).factor();
  }

  /** The estimate corrected by the model's factor, rounded to the nearest token. */
  public long calibrated(String modelKey, long estimate) {
    return Math.round(estimate * factor(modelKey));
  }

  public void observe(String modelKey, long estimated, long actual) {
    if (estimated <= 0 || actual <= 0) return;
    double ratio = Math.max(MIN_RATIO, Math.min(MAX_RATIO, (double) actual / estimated));
    states.compute(modelKey, (key, old) -> {
      State current = old == null ? INITIAL : old;
      double alpha = current.samples() < WARMUP_SAMPLES ? WARMUP_ALPHA : STEADY_ALPHA;
      return new State(current.factor() + alpha * (ratio - current.factor()), current.samples() + 1);
    });
  }
}
