package partyclaw.core.transcript;

/** Token figures of one or more model calls. */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, long llmCalls) {
  public static final Usage ZERO = new Usage(0, 0, 0, 0);

  public Usage plus(Usage other) {
    if (other == null) return this;
    return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
        cachedTokens + other.cachedTokens, llmCalls + other.llmCalls);
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
