package partyclaw.tools.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import partyclaw.core.config.ExternalWebSearchConfig;
import partyclaw.core.config.ModelConfig;

/**
 * A Chat-Completions endpoint that answers search queries: a legacy external web-search entry, or a model alias
 * used as one. {@code payload} (a model's {@code native_web_search.payload}, e.g. OpenRouter's web plugin) is merged
 * into every request. The key is resolved at call time, never stored here.
 */
public record SearchBackend(String name, String url, String model, String apiKey, String apiKeyEnv,
    Map<String, String> headers, double timeoutSeconds, JsonNode payload, boolean acceptsImages) {

  public SearchBackend {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  static SearchBackend of(ExternalWebSearchConfig c) {
    return new SearchBackend(c.name(), c.url(), c.model(), c.apiKey(), c.apiKeyEnv(), c.headers(), c.timeoutSeconds(),
        null, false);
  }

  /** The reference synthesises a search backend from a Chat-Completions model the same way. */
  static SearchBackend of(ModelConfig m) {
    JsonNode payload = m.nativeWebSearch() != null && m.nativeWebSearch().enabled() ? m.nativeWebSearch().payload() : null;
    return new SearchBackend(m.alias(), m.url(), m.model(), m.apiKey(), m.apiKeyEnv(), m.headers(), m.timeoutSeconds(),
        payload, m.hasCapability("image_in"));
  }

  @Override
  public String toString() {
    return "SearchBackend[" + name + " " + model + " @ " + url + ", key "
        + (apiKey != null && !apiKey.isBlank() ? "literal" : "env " + apiKeyEnv) + "]";
  }
}
