package partyclaw.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A web-search backend from a legacy (0.1–0.5) config: a chat-completions model such as {@code perplexity/sonar}
 * that answers search queries. Newer configs point {@code web_search} at a model alias instead.
 * {@code name} is the catalog name the model's {@code web_search} refers to (inline ones are {@code <alias>_web_search}).
 */
public record ExternalWebSearchConfig(
    String name,
    String baseUrl,
    String model,
    String apiKey,
    String apiKeyEnv,
    String chatCompletionsPath,
    double timeoutSeconds,
    Map<String, String> headers) {

  public static final String DEFAULT_BASE_URL = "https://openrouter.ai/api/v1";
  public static final String DEFAULT_MODEL = "perplexity/sonar";
  public static final String DEFAULT_API_KEY_ENV = "OPENROUTER_API_KEY";
  public static final double DEFAULT_TIMEOUT_SECONDS = 60.0;

  public ExternalWebSearchConfig {
    headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  public String url() {
    return ModelConfig.joinUrl(baseUrl, chatCompletionsPath);
  }

  /** Same backend under another name: the legacy catalog de-duplicates on settings, not on names. */
  boolean sameSettings(ExternalWebSearchConfig other) {
    return equals(new ExternalWebSearchConfig(name, other.baseUrl, other.model, other.apiKey, other.apiKeyEnv,
        other.chatCompletionsPath, other.timeoutSeconds, other.headers));
  }

  @Override
  public String toString() {
    return "ExternalWebSearchConfig[" + name + " " + model + " @ " + url() + ", key "
        + (apiKey != null && !apiKey.isBlank() ? "literal" : "env " + apiKeyEnv) + "]";
  }
}
