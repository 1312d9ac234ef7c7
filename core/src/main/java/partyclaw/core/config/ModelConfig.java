package partyclaw.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One model of the config ({@code models.<alias>}), with every default applied and capabilities normalized.
 * {@code apiKey} is the literal from the file (usually null); the key itself is resolved at call time with
 * {@link #resolveApiKey(Environment)} so it is never stored in anything that gets logged.
 *
 * <p>The fields after {@code capabilities} are the rest of the spec's model object: {@code codexHome} (with
 * {@code ~/} expanded), {@code authCredentialsStoreMode}, the legacy {@code supportsVisionInput} flag (kept in
 * sync with {@code image_in}), {@code nativeWebSearch}, {@code imageToolModel}, {@code webSearch} (a model alias
 * or a legacy catalog name), {@code legacyWebSearch} (the catalog entry {@code webSearch} names, when it names
 * one) and {@code tokenEstimation} (raw, with relative paths already resolved against the config's directory).
 */
public record ModelConfig(
    String alias,
    String type,
    String model,
    String apiEndpoint,
    String chatCompletionsPath,
    String apiKey,
    String apiKeyEnv,
    boolean apiKeyEnvExplicit,
    double timeoutSeconds,
    RetryMode retryMode,
    long contextWindowTokens,
    String cacheTtl,
    JsonNode reasoning,
    Map<String, String> headers,
    String description,
    boolean agentModelEnabled,
    List<String> capabilities,
    String codexHome,
    String authCredentialsStoreMode,
    boolean supportsVisionInput,
    NativeWebSearch nativeWebSearch,
    String imageToolModel,
    String webSearch,
    ExternalWebSearchConfig legacyWebSearch,
    JsonNode tokenEstimation,
    List<String> fallbackModels) {

  public static final String TYPE_OPENROUTER = "openrouter";
  public static final String TYPE_OPENROUTER_RESPONSES = "openrouter-resp";
  public static final String TYPE_CODEX_SUBSCRIPTION = "codex-subscription";
  public static final List<String> TYPES = List.of(TYPE_OPENROUTER, TYPE_OPENROUTER_RESPONSES, TYPE_CODEX_SUBSCRIPTION);

  public static final String OPENROUTER_ENDPOINT = "https://openrouter.ai/api/v1";
  public static final String CODEX_ENDPOINT = "https://chatgpt.com/backend-api/codex";
  public static final String DEFAULT_API_KEY_ENV = "OPENAI_API_KEY";
  public static final double DEFAULT_TIMEOUT_SECONDS = 120.0;
  public static final long DEFAULT_CONTEXT_WINDOW_TOKENS = 128_000L;
  public static final List<String> AUTH_CREDENTIALS_STORE_MODES = List.of("file", "keyring", "auto", "ephemeral");

  public ModelConfig {
    retryMode = retryMode == null ? RetryMode.NO : retryMode;
    headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    description = description == null ? "" : description;
    authCredentialsStoreMode = authCredentialsStoreMode == null ? "auto" : authCredentialsStoreMode;
    reasoning = reasoning == null ? null : reasoning.deepCopy();
    tokenEstimation = tokenEstimation == null ? null : tokenEstimation.deepCopy();
    fallbackModels = fallbackModels == null ? List.of() : List.copyOf(fallbackModels);
  }

  /** Every field but {@code fallback_models} (a partyclaw extension: the aliases that answer when this one keeps failing). */
  public ModelConfig(String alias, String type, String model, String apiEndpoint, String chatCompletionsPath,
      String apiKey, String apiKeyEnv, boolean apiKeyEnvExplicit, double timeoutSeconds, RetryMode retryMode,
      long contextWindowTokens, String cacheTtl, JsonNode reasoning, Map<String, String> headers, String description,
      boolean agentModelEnabled, List<String> capabilities, String codexHome, String authCredentialsStoreMode,
      boolean supportsVisionInput, NativeWebSearch nativeWebSearch, String imageToolModel, String webSearch,
      ExternalWebSearchConfig legacyWebSearch, JsonNode tokenEstimation) {
    this(alias, type, model, apiEndpoint, chatCompletionsPath, apiKey, apiKeyEnv, apiKeyEnvExplicit, timeoutSeconds,
        retryMode, contextWindowTokens, cacheTtl, reasoning, headers, description, agentModelEnabled, capabilities,
        codexHome, authCredentialsStoreMode, supportsVisionInput, nativeWebSearch, imageToolModel, webSearch,
        legacyWebSearch, tokenEstimation, List.of());
  }

  /** A model built by hand (tests, tools): everything beyond the common fields takes its default. */
  public ModelConfig(String alias, String type, String model, String apiEndpoint, String chatCompletionsPath,
      String apiKey, String apiKeyEnv, boolean apiKeyEnvExplicit, double timeoutSeconds, RetryMode retryMode,
      long contextWindowTokens, String cacheTtl, JsonNode reasoning, Map<String, String> headers,
      String description, boolean agentModelEnabled, List<String> capabilities) {
    this(alias, type, model, apiEndpoint, chatCompletionsPath, apiKey, apiKeyEnv, apiKeyEnvExplicit, timeoutSeconds,
        retryMode, contextWindowTokens, cacheTtl, reasoning, headers, description, agentModelEnabled, capabilities,
        null, "auto", capabilities != null && capabilities.contains(Capability.IMAGE_IN.wireName()), null, null, null,
        null, null);
  }

  /** The endpoint (trailing {@code /} trimmed) followed by the path, e.g. {@code https://openrouter.ai/api/v1/chat/completions}. */
  public String url() {
    return joinUrl(apiEndpoint, chatCompletionsPath);
  }

  /** The key to send: the literal {@code api_key} if non-blank, else the trimmed value of {@code api_key_env}. */
  public Optional<String> resolveApiKey(Environment env) {
    return env.resolve(apiKey, apiKeyEnv);
  }

  public boolean hasCapability(String capability) {
    return capabilities.contains(capability);
  }

  public boolean hasCapability(Capability capability) {
    return capabilities.contains(capability.wireName());
  }

  /** Whether users may pick this model for a conversation: enabled as an agent model and able to chat. */
  public boolean canBeAgentModel() {
    return agentModelEnabled && hasCapability(Capability.CHAT);
  }

  /** {@code openrouter-resp} and {@code codex-subscription} speak the Responses API; {@code openrouter} speaks Chat Completions. */
  public boolean usesResponsesApi() {
    return !TYPE_OPENROUTER.equals(type);
  }

  public static String defaultEndpoint(String type) {
    return TYPE_CODEX_SUBSCRIPTION.equals(type) ? CODEX_ENDPOINT : OPENROUTER_ENDPOINT;
  }

  public static String defaultChatCompletionsPath(String type) {
    return TYPE_OPENROUTER.equals(type) ? "/chat/completions" : "/responses";
  }

  ModelConfig withWebSearch(String name, ExternalWebSearchConfig legacyEntry) {
    return new ModelConfig(alias, type, model, apiEndpoint, chatCompletionsPath, apiKey, apiKeyEnv, apiKeyEnvExplicit,
        timeoutSeconds, retryMode, contextWindowTokens, cacheTtl, reasoning, headers, description, agentModelEnabled,
        capabilities, codexHome, authCredentialsStoreMode, supportsVisionInput, nativeWebSearch, imageToolModel,
        name, legacyEntry, tokenEstimation, fallbackModels);
  }

  static String joinUrl(String base, String path) {
    String b = base == null ? "" : base.strip();
    while (b.endsWith("/")) b = b.substring(0, b.length() - 1);
    String p = path == null ? "" : path.strip();
    if (!p.isEmpty() && !p.startsWith("/")) p = "/" + p;
    return b + p;
  }

  @Override
  public String toString() {
    // The literal key must never reach a log line.
    return "ModelConfig[" + alias + " " + type + " " + model + " @ " + url() + ", key "
        + (apiKey != null && !apiKey.isBlank() ? "literal" : "env " + apiKeyEnv) + ", capabilities " + capabilities + "]";
  }
}
