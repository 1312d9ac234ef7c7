package partyclaw.tools.dsl;

import java.util.Map;
import java.util.Optional;
import partyclaw.core.config.Environment;
import partyclaw.core.config.ModelConfig;
import partyclaw.core.config.PartyclawConfig;

/**
 * Which Chat-Completions endpoint a script's {@code LLM()} calls: the caller's model (tools.md §3.3, "LLM calls use
 * the caller's model"), the config's default model when the conversation has none selected. The key is resolved at
 * call time and never stored in a job.
 */
public interface DslModels {
  /** One model's endpoint; {@code apiKey} may be null for a local server. */
  record Endpoint(String alias, String url, String model, String apiKey, Map<String, String> headers,
      double timeoutSeconds) {
    public Endpoint {
      headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    @Override
    public String toString() {
      return "Endpoint[" + alias + " " + model + " @ " + url + "]";
    }
  }

  Optional<Endpoint> forModel(String alias);

  /** No model at all: a script's LLM calls fail with the reason. */
  static DslModels none() {
    return alias -> Optional.empty();
  }

  static DslModels fixed(Endpoint endpoint) {
    return alias -> Optional.of(endpoint);
  }

  static DslModels of(PartyclawConfig cfg, Environment env) {
    return alias -> {
      ModelConfig m = alias == null ? cfg.defaultModel().orElse(null) : cfg.models().get(alias);
      if (m == null || m.usesResponsesApi()) return Optional.empty();
      return Optional.of(new Endpoint(m.alias(), m.url(), m.model(), m.resolveApiKey(env).orElse(null), m.headers(),
          m.timeoutSeconds() > 0 ? m.timeoutSeconds() : 120));
    };
  }
}
