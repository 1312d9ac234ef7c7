package partyclaw.core.config;

/** {@code main_agent.token_estimation_cache}: HuggingFace download caches; relative paths are under the workdir. */
public record TokenEstimationCacheConfig(String templateHf, String tokenizerHf) {
  public static final TokenEstimationCacheConfig DEFAULT =
      new TokenEstimationCacheConfig("template-cache/hf", "tokenizer-cache/hf");
}
