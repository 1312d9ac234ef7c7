package partyclaw.core.config;

/**
 * A model's {@code retry_mode}: {@code "no"} (fail at once) or {@code "random"} (retry up to {@code maxRetries}
 * times after a random wait averaging {@code retryRandomMean} seconds).
 */
public record RetryMode(String mode, int maxRetries, double retryRandomMean) {
  public static final String NO_RETRY = "no";
  public static final String RANDOM = "random";
  public static final RetryMode NO = new RetryMode(NO_RETRY, 0, 0.0);

  public static RetryMode random(int maxRetries, double retryRandomMean) {
    return new RetryMode(RANDOM, maxRetries, retryRandomMean);
  }

  public boolean retries() {
    return RANDOM.equals(mode);
  }
}
