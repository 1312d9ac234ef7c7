package partyclaw.app;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import partyclaw.actors.ModelCatalog;
import partyclaw.core.config.Environment;
import partyclaw.core.config.ModelConfig;
import partyclaw.core.config.PartyclawConfig;
import partyclaw.core.config.RetryMode;
import partyclaw.core.llm.LlmEndpoint;
import partyclaw.core.llm.ModelTraits;
import partyclaw.core.config.MediaRouting;
import partyclaw.core.llm.RetryPolicy;

/** Builds the runtime's model catalog from the config, resolving each model's key from its env var. */
final class ModelCatalogs {
  private ModelCatalogs() {}

  static ModelCatalog of(PartyclawConfig cfg, Environment env) {
    Map<String, ModelCatalog.Entry> entries = new LinkedHashMap<>();
    for (ModelConfig m : cfg.models().values()) {
      String key = env.resolve(m.apiKey(), m.apiKeyEnv()).orElse(null);
      LlmEndpoint endpoint = new LlmEndpoint(m.alias(), m.url(), m.model(), key, m.headers(),
          Duration.ofMillis(Math.round(m.timeoutSeconds() * 1000)), retryPolicy(m.retryMode()), m.reasoning());
      entries.put(m.alias(), new ModelCatalog.Entry(m.alias(), endpoint, m.description(), m.contextWindowTokens(),
          cacheTtl(m.cacheTtl())));
    }
    String defaultAlias = cfg.defaultModel().map(ModelConfig::alias).orElse(null);
    return new ModelCatalog(entries, cfg.availableModels(), defaultAlias);
  }

  /**
   * Per alias, what request encoding needs of each model: its API, its capabilities (which media it takes
   * natively, runtime.md §3.6) and the helper tool named in the pointer that replaces media it cannot take (§3.7).
   */
  static Map<String, ModelTraits> traits(PartyclawConfig cfg) {
    Map<String, ModelTraits> out = new LinkedHashMap<>();
    for (ModelConfig m : cfg.models().values()) {
      String api = switch (m.type()) {
        case ModelConfig.TYPE_OPENROUTER_RESPONSES -> ModelTraits.RESPONSES;
        case ModelConfig.TYPE_CODEX_SUBSCRIPTION -> ModelTraits.CODEX;
        default -> ModelTraits.CHAT_COMPLETIONS;
      };
      Map<String, String> helpers = new LinkedHashMap<>();
      MediaRouting routing = MediaRouting.of(cfg, m.alias());
      if (routing.imageHelper() != null) helpers.put("image", "image_start");
      if (routing.pdfHelper() != null) helpers.put("pdf", "pdf_query");
      if (routing.audioHelper() != null) helpers.put("audio", "audio_transcribe");
      com.fasterxml.jackson.databind.node.ArrayNode nativeTools = partyclaw.core.json.Json.array();
      com.fasterxml.jackson.databind.node.ObjectNode extraPayload = null;
      boolean search = m.nativeWebSearch() != null && m.nativeWebSearch().enabled();
      if (ModelTraits.RESPONSES.equals(api)) {
        if (search) {
          com.fasterxml.jackson.databind.node.ObjectNode tool = nativeTools.addObject().put("type", "web_search");
          if (m.nativeWebSearch().payload().isObject()) {
            tool.setAll((com.fasterxml.jackson.databind.node.ObjectNode) m.nativeWebSearch().payload());
          }
        }
        java.util.Optional<partyclaw.core.config.ToolingTarget> gen = toolingTarget(cfg, "image_gen");
        boolean selfGen = gen.isEmpty() || gen.get().preferSelf();
        if (selfGen && m.hasCapability(partyclaw.core.config.Capability.IMAGE_OUT)) {
          nativeTools.addObject().put("type", "image_generation");
        }
      } else if (search && m.nativeWebSearch().payload().isObject()) {
        extraPayload = (com.fasterxml.jackson.databind.node.ObjectNode) m.nativeWebSearch().payload();
      }
      out.put(m.alias(), new ModelTraits(api, java.util.Set.copyOf(m.capabilities()), helpers, m.cacheTtl(),
          nativeTools.isEmpty() ? null : nativeTools, extraPayload, m.codexHome(), m.authCredentialsStoreMode()));
    }
    return out;
  }

  /** By alias, the endpoints of its {@code fallback_models}, in order (models without any are left out). */
  static Map<String, java.util.List<LlmEndpoint>> fallbacks(PartyclawConfig cfg, ModelCatalog catalog) {
    Map<String, java.util.List<LlmEndpoint>> out = new LinkedHashMap<>();
    for (ModelConfig m : cfg.models().values()) {
      java.util.List<LlmEndpoint> chain = m.fallbackModels().stream()
          .map(catalog.models()::get).filter(java.util.Objects::nonNull).map(ModelCatalog.Entry::endpoint).toList();
      if (!chain.isEmpty()) out.put(m.alias(), chain);
    }
    return out;
  }

  private static java.util.Optional<partyclaw.core.config.ToolingTarget> toolingTarget(PartyclawConfig cfg,
      String field) {
    try {
      return cfg.toolingTarget(field);
    } catch (IllegalArgumentException malformed) {
      return java.util.Optional.empty(); // the loader already refused it
    }
  }

  static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);

  /** {@code cache_ttl} such as {@code 5m}, {@code 1h}, {@code 300s} or plain seconds; 5 minutes when absent or unreadable. */
  static Duration cacheTtl(String text) {
    if (text == null || text.isBlank()) return DEFAULT_CACHE_TTL;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*([smh]?)").matcher(text.strip().toLowerCase());
    if (!m.matches()) return DEFAULT_CACHE_TTL;
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }

  /**
   * {@code "no"} (the default) still retries transient failures — 429, 5xx, dropped connections — with backoff:
   * the reference fails at once, or retries every error including hopeless 4xx.
   */
  static RetryPolicy retryPolicy(RetryMode mode) {
    if (mode != null && "random".equals(mode.mode())) {
      Duration mean = Duration.ofMillis(Math.round(mode.retryRandomMean() * 1000));
      return new RetryPolicy(mode.maxRetries(), mean, mean.multipliedBy(2));
    }
    return RetryPolicy.DEFAULT;
  }
}
