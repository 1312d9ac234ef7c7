package partyclaw.tools.web;

/**
 * How much of a response web_fetch reads: a text body is cut (and reported truncated) at {@code maxTextBytes}; a
 * binary body larger than {@code maxBinaryBytes} is refused with a pointer to file_download_start.
 */
public record WebFetchLimits(long maxTextBytes, long maxBinaryBytes) {
  public static final WebFetchLimits DEFAULT = new WebFetchLimits(5L << 20, 25L << 20);
}
