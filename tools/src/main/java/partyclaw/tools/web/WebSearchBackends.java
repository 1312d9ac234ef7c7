package partyclaw.tools.web;

import java.util.Optional;
import partyclaw.core.config.Capability;
import partyclaw.core.config.Environment;
import partyclaw.core.config.ModelConfig;
import partyclaw.core.config.PartyclawConfig;
import partyclaw.core.config.ToolingTarget;

/**
 * Which search backend web_search uses for a conversation's model (tools.md §2, "Web search"): {@code tooling.web_search}
 * when set, else the model's own {@code web_search} entry. A legacy external entry is used as is; a model alias is
 * used as a Chat-Completions search model.
 *
 * <p>Provider-native search (a Responses-API model with {@code native_web_search.enabled}) is not offered in its place:
 * this runtime talks to models through Chat Completions only, so such a model gets the external backend when one
 * resolves, and none otherwise.
 */
public final class WebSearchBackends {
  private final PartyclawConfig cfg;
  private final Environment env;

  private WebSearchBackends(PartyclawConfig cfg, Environment env) {
    this.cfg = cfg;
    this.env = env;
  }

  public static WebSearchBackends of(PartyclawConfig cfg, Environment env) {
    return new WebSearchBackends(cfg, env);
  }

  /** Whether any model of the config gets a backend: only then is web_search offered at all. */
  public boolean anyConfigured() {
    return cfg.models().keySet().stream().anyMatch(alias -> forModel(alias).isPresent());
  }

  /** The backend for the conversation's model ({@code null}: the config's default model). */
  public Optional<SearchBackend> forModel(String modelAlias) {
    ModelConfig current = modelAlias == null ? cfg.defaultModel().orElse(null) : cfg.models().get(modelAlias);
    Optional<ToolingTarget> target;
    try {
      target = cfg.toolingTarget("web_search");
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // the loader refuses such a config; nothing to route to
    }
    if (target.isPresent()) {
      ToolingTarget t = target.get();
      // ":self": the conversation's own model searches when it can, through the same Chat-Completions call.
      if (t.preferSelf() && current != null && current.hasCapability(Capability.WEB_SEARCH)
          && !current.usesResponsesApi()) {
        return Optional.of(SearchBackend.of(current));
      }
      return Optional.ofNullable(cfg.models().get(t.alias())).flatMap(WebSearchBackends::external);
    }
    if (current == null) return Optional.empty();
    if (current.legacyWebSearch() != null) return Optional.of(SearchBackend.of(current.legacyWebSearch()));
    if (current.webSearch() != null) {
      return Optional.ofNullable(cfg.models().get(current.webSearch())).flatMap(WebSearchBackends::external);
    }
    return Optional.empty();
  }

  /** The key to send; empty when neither a literal nor its variable is set. */
  Optional<String> apiKey(SearchBackend b) {
    return env.resolve(b.apiKey(), b.apiKeyEnv());
  }

  private static Optional<SearchBackend> external(ModelConfig m) {
    if (m.legacyWebSearch() != null) return Optional.of(SearchBackend.of(m.legacyWebSearch()));
    if (!m.usesResponsesApi()) return Optional.of(SearchBackend.of(m));
    return Optional.empty();
  }
}
