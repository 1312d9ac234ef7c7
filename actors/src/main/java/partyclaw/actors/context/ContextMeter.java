package partyclaw.actors.context;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import partyclaw.core.llm.ToolSpec;
import partyclaw.core.tokens.TokenCalibration;
import partyclaw.core.tokens.TokenEstimator;
import partyclaw.core.transcript.ChatMessage;

/**
 * Token counts of one conversation's context as the next request would carry it. Each message is tokenized once
 * (transcript messages are immutable and shared between state versions, so they are cached by identity); the
 * prompt and the tool schemas are recounted only when they change. Used on the entity's thread only.
 */
public final class ContextMeter {
  private final TokenCalibration calibration;
  private TokenEstimator estimator;
  private String upstreamModel;
  private final Map<ChatMessage, Integer> counts = new IdentityHashMap<>();
  private List<ToolSpec> toolsCounted;
  private int toolsTokens;
  private String promptCounted;
  private int promptTokens;
  private long primer = -1;
  /** The transcript {@link #raw} counted last (its messages, by identity) and their tokens. */
  private ChatMessage[] summed = new ChatMessage[0];
  private long summedTokens;

  public ContextMeter(TokenCalibration calibration) {
    this.calibration = calibration;
  }

  /** The estimator for {@code upstreamModel}; a different model (another encoding) forgets every cached count. */
  public TokenEstimator estimator(String model) {
    if (estimator == null || !java.util.Objects.equals(model, upstreamModel)) {
      estimator = TokenEstimator.forModel(model);
      upstreamModel = model;
      counts.clear();
      summed = new ChatMessage[0];
      summedTokens = 0;
      toolsCounted = null;
      promptCounted = null;
      primer = estimator.estimate(List.of(), List.of());
    }
    return estimator;
  }

  public int tokens(ChatMessage m) {
    Integer n = counts.get(m);
    if (n == null) {
      n = estimator.messageTokens(m);
      counts.put(m, n);
    }
    return n;
  }

  public int[] tokens(List<ChatMessage> messages) {
    int[] out = new int[messages.size()];
    for (int i = 0; i < out.length; i++) out[i] = tokens(messages.get(i));
    return out;
  }

  /**
   * The request's fixed part as the local tokenizer counts it: system prompt, tool schemas and the reply primer.
   */
  public long fixed(String model, String systemPrompt, List<ToolSpec> tools) {
    estimator(model);
    if (toolsCounted != tools) {
      toolsTokens = estimator.toolsTokens(tools);
      toolsCounted = tools;
    }
    if (!java.util.Objects.equals(promptCounted, systemPrompt)) {
      promptTokens = systemPrompt == null ? 0 : estimator.messageTokens(ChatMessage.system(systemPrompt));
      promptCounted = systemPrompt;
    }
    return promptTokens + toolsTokens + primer;
  }

  /** The whole request, uncalibrated: fixed part, transcript and the one-call notices. */
  public long raw(String model, String systemPrompt, List<ToolSpec> tools, List<ChatMessage> transcript,
      List<String> notices) {
    long total = fixed(model, systemPrompt, tools) + tokensOf(transcript);
    for (String n : notices) total += estimator.messageTokens(ChatMessage.system(n));
    return total;
  }

  /** The transcript's tokens: those of the transcript summed last, when it begins this one, plus the new ones. */
  private long tokensOf(List<ChatMessage> transcript) {
    int n = summed.length;
    boolean grows = n <= transcript.size();
    for (int i = 0; grows && i < n; i++) grows = transcript.get(i) == summed[i];
    if (grows && n == transcript.size()) return summedTokens;
    long total = grows ? summedTokens : 0;
    for (int i = grows ? n : 0; i < transcript.size(); i++) total += tokens(transcript.get(i));
    summed = transcript.toArray(new ChatMessage[0]);
    summedTokens = total;
    return total;
  }

  /** {@code raw} scaled by what the provider reported for earlier requests of this model. */
  public long calibrated(String model, long raw) {
    return calibration.calibrated(model, raw);
  }

  public double factor(String model) {
    return calibration.factor(model);
  }

  public void observe(String model, long rawEstimate, long providerPromptTokens) {
    calibration.observe(model, rawEstimate, providerPromptTokens);
  }

  public String encoding() {
    return estimator == null ? "?" : estimator.encodingName();
  }

  /** Forgets counts of messages that left the context (after a compaction), so the cache stays bounded. */
  public void retainOnly(List<ChatMessage> live) {
    if (counts.size() <= 2 * live.size() + 64) return;
    Map<ChatMessage, Integer> keep = new IdentityHashMap<>();
    for (ChatMessage m : live) {
      Integer n = counts.get(m);
      if (n != null) keep.put(m, n);
    }
    counts.clear();
    counts.putAll(keep);
  }
}
