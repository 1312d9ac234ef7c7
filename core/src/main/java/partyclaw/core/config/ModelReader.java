package partyclaw.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one model object into a {@link ModelConfig}, in one of the three shapes the versions used: the flat
 * 0.6+ shape, the untyped 0.1 shape, and the typed entries of the 0.2–0.5 {@code chat}/{@code vision} catalogs.
 * Fields a version did not know yet are ignored, as that version's loader did.
 */
final class ModelReader {
  enum Shape { LATEST, LEGACY_FLAT, CATALOG }

  /** A read model, where it came from, and which key named its web-search reference. */
  record ReadModel(ModelConfig config, String path, String webSearchKey) {}

  private static final String TYPE_HINT = "add \"type\": one of " + String.join(", ", ModelConfig.TYPES);

  private final LoadContext ctx;

  ModelReader(LoadContext ctx) {
    this.ctx = ctx;
  }

  ReadModel read(String alias, JsonFields f, Shape shape, Set<Capability> implied) {
    Problems problems = ctx.problems();
    String type = readType(f, shape);
    String effectiveType = type == null ? ModelConfig.TYPE_OPENROUTER : type;

    String model = f.requiredString("model", "add \"model\" with the upstream model id, e.g. \"openai/gpt-4o-mini\"")
        .orElse(null);
    String endpoint = shape == Shape.LEGACY_FLAT
        ? f.requiredString("api_endpoint", "add \"api_endpoint\", e.g. \"" + ModelConfig.OPENROUTER_ENDPOINT + "\"").orElse(null)
        : f.string("api_endpoint", ModelConfig.defaultEndpoint(effectiveType));
    boolean blankModel = model != null && model.isBlank();
    boolean blankEndpoint = endpoint != null && endpoint.isBlank();
    if (blankModel || blankEndpoint) {
      problems.add(f.path(blankModel ? "model" : "api_endpoint"), "model '" + alias + "' must include api_endpoint and model",
          "set \"model\" to the upstream model id and \"api_endpoint\" to the provider's base URL "
              + "(or leave api_endpoint out to use the default for the type)");
    }
    String path = f.string("chat_completions_path", ModelConfig.defaultChatCompletionsPath(effectiveType));

    String apiKey = f.string("api_key").orElse(null);
    boolean apiKeyEnvExplicit = f.has("api_key_env");
    String apiKeyEnv = f.string("api_key_env").map(String::strip).orElse(ModelConfig.DEFAULT_API_KEY_ENV);

    String codexHome = ctx.expandHome(f.string("codex_home").orElse(null));
    if (ModelConfig.TYPE_CODEX_SUBSCRIPTION.equals(type) && (codexHome == null || codexHome.isBlank())) {
      problems.add(f.path("codex_home"), "model '" + alias + "' uses codex-subscription and must include codex_home",
          "set \"codex_home\" to the Codex home directory, e.g. \"~/.codex\"");
    }
    String storeMode = f.string("auth_credentials_store_mode", "auto");
    if (!ModelConfig.AUTH_CREDENTIALS_STORE_MODES.contains(storeMode)) {
      problems.add(f.path("auth_credentials_store_mode"), "unknown auth_credentials_store_mode '" + storeMode + "'",
          "use one of " + String.join(", ", ModelConfig.AUTH_CREDENTIALS_STORE_MODES));
      storeMode = "auto";
    }

    double timeout = f.number("timeout_seconds", ModelConfig.DEFAULT_TIMEOUT_SECONDS);
    RetryMode retry = ctx.atLeast("0.14") ? readRetryMode(alias, f) : RetryMode.NO;
    long contextWindow = f.integer("context_window_tokens", ModelConfig.DEFAULT_CONTEXT_WINDOW_TOKENS);
    String cacheTtl = f.string("cache_ttl").orElse(null);
    JsonNode reasoning = f.object("reasoning").map(JsonFields::node).orElse(null);
    Map<String, String> headers = f.stringMap("headers");
    String description = f.string("description", "");
    boolean agentModelEnabled = shape != Shape.LATEST || !ctx.atLeast("0.8") || f.bool("agent_model_enabled", true);

    EnumSet<Capability> caps = EnumSet.noneOf(Capability.class);
    caps.addAll(implied);
    if (shape == Shape.LATEST) caps.addAll(readCapabilities(f));
    boolean vision = f.bool("supports_vision_input", false);
    NativeWebSearch nativeWebSearch = readNativeWebSearch(f);
    // image_in and supports_vision_input imply each other; native search adds web_search.
    if (vision) caps.add(Capability.IMAGE_IN);
    if (nativeWebSearch != null && nativeWebSearch.enabled()) caps.add(Capability.WEB_SEARCH);
    List<String> capabilities = caps.stream().map(Capability::wireName).toList();

    String imageToolModel = f.string("image_tool_model").orElse(null);
    String webSearchKey = f.has("web_search") ? "web_search" : f.has("web_search_model") ? "web_search_model" : null;
    String webSearch = webSearchKey == null ? null : f.string(webSearchKey).orElse(null);
    if (webSearch == null) webSearchKey = null;

    JsonNode tokenEstimation = null;
    if (ctx.atLeast("0.14")) {
      tokenEstimation = f.object("token_estimation")
          .map(t -> TokenEstimationPaths.resolve(t.node(), ctx.baseDir())).orElse(null);
    }
    f.string("backend").ifPresent(b -> {
      if (!b.equals("agent_frame") && !b.equals("zgent")) {
        problems.add(f.path("backend"), "unknown backend '" + b + "'", "use \"agent_frame\", or leave it out");
      }
    });

    ModelConfig config = new ModelConfig(alias, effectiveType, model, endpoint, path, apiKey, apiKeyEnv,
        apiKeyEnvExplicit, timeout, retry, contextWindow, cacheTtl, reasoning, headers, description, agentModelEnabled,
        capabilities, codexHome, storeMode, caps.contains(Capability.IMAGE_IN), nativeWebSearch, imageToolModel,
        webSearch, null, tokenEstimation, shape == Shape.LATEST ? f.strings("fallback_models") : List.of());
    return new ReadModel(config, f.path(), webSearchKey);
  }

  /** A 0.1 inline {@code external_web_search} or a 0.3–0.5 {@code models.web_search} entry. */
  ExternalWebSearchConfig readExternalWebSearch(String name, JsonFields f) {
    String base = f.has("base_url") ? f.string("base_url", ExternalWebSearchConfig.DEFAULT_BASE_URL)
        : f.string("api_endpoint", ExternalWebSearchConfig.DEFAULT_BASE_URL);
    return new ExternalWebSearchConfig(name, base,
        f.string("model", ExternalWebSearchConfig.DEFAULT_MODEL),
        f.string("api_key").orElse(null),
        f.string("api_key_env", ExternalWebSearchConfig.DEFAULT_API_KEY_ENV),
        f.string("chat_completions_path", "/chat/completions"),
        f.number("timeout_seconds", ExternalWebSearchConfig.DEFAULT_TIMEOUT_SECONDS),
        f.stringMap("headers"));
  }

  /** A 0.2 {@code models.web_search} entry: model-shaped, with the model defaults. */
  ExternalWebSearchConfig readModelShapedWebSearch(String name, JsonFields f) {
    String type = readType(f, Shape.CATALOG);
    String effectiveType = type == null ? ModelConfig.TYPE_OPENROUTER : type;
    String model = f.requiredString("model", "add \"model\" with the search model id, e.g. \"perplexity/sonar\"")
        .orElse(ExternalWebSearchConfig.DEFAULT_MODEL);
    return new ExternalWebSearchConfig(name,
        f.string("api_endpoint", ModelConfig.defaultEndpoint(effectiveType)),
        model,
        f.string("api_key").orElse(null),
        f.string("api_key_env", ModelConfig.DEFAULT_API_KEY_ENV),
        f.string("chat_completions_path", ModelConfig.defaultChatCompletionsPath(effectiveType)),
        f.number("timeout_seconds", ModelConfig.DEFAULT_TIMEOUT_SECONDS),
        f.stringMap("headers"));
  }

  private String readType(JsonFields f, Shape shape) {
    if (shape == Shape.LEGACY_FLAT) return ModelConfig.TYPE_OPENROUTER;
    Optional<String> type = f.requiredString("type", TYPE_HINT);
    if (type.isEmpty()) return null;
    if (!ModelConfig.TYPES.contains(type.get())) {
      ctx.problems().add(f.path("type"), "unknown model type '" + type.get() + "'",
          "use one of " + String.join(", ", ModelConfig.TYPES));
      return null;
    }
    return type.get();
  }

  private List<Capability> readCapabilities(JsonFields f) {
    List<Capability> out = new ArrayList<>();
    for (JsonFields.Element e : f.array("capabilities")) {
      if (!e.value().isTextual()) {
        e.typeError(ctx.problems(), "string", false);
        continue;
      }
      String name = e.value().textValue();
      Optional<Capability> cap = Capability.fromWire(name);
      if (cap.isPresent()) {
        out.add(cap.get());
      } else {
        ctx.problems().add(e.path(), "unknown capability '" + name + "'",
            "use one of " + String.join(", ", Capability.wireNames()));
      }
    }
    return out;
  }

  private RetryMode readRetryMode(String alias, JsonFields model) {
    Optional<JsonFields> obj = model.object("retry_mode");
    if (obj.isEmpty()) return RetryMode.NO;
    JsonFields f = obj.get();
    Optional<String> mode = f.requiredString("mode", "add \"mode\": \"no\" or \"random\"");
    if (mode.isEmpty() || mode.get().equals(RetryMode.NO_RETRY)) return RetryMode.NO;
    if (!mode.get().equals(RetryMode.RANDOM)) {
      ctx.problems().add(f.path("mode"), "unknown retry_mode.mode '" + mode.get() + "'", "use \"no\" or \"random\"");
      return RetryMode.NO;
    }
    Optional<Long> max = f.integer("max_retries");
    Optional<Double> mean = f.number("retry_random_mean");
    if (!f.has("max_retries")) f.missing("max_retries", "add \"max_retries\": the number of retries, 1 or more");
    if (!f.has("retry_random_mean")) {
      f.missing("retry_random_mean", "add \"retry_random_mean\": the mean wait in seconds, e.g. 2.0");
    }
    if (max.isPresent() && max.get() < 1) {
      ctx.problems().add(f.path("max_retries"), "model '" + alias + "'.retry_mode.max_retries must be at least 1",
          "use 1 or more, or {\"mode\": \"no\"} to not retry");
    }
    if (mean.isPresent() && !(Double.isFinite(mean.get()) && mean.get() > 0)) {
      ctx.problems().add(f.path("retry_random_mean"),
          "model '" + alias + "'.retry_mode.retry_random_mean must be greater than 0 seconds",
          "use a positive number of seconds, e.g. 2.0");
    }
    int maxRetries = (int) Math.max(0, Math.min(Integer.MAX_VALUE, max.orElse(1L)));
    return RetryMode.random(maxRetries, mean.orElse(1.0));
  }

  private NativeWebSearch readNativeWebSearch(JsonFields model) {
    return model.object("native_web_search").map(f -> new NativeWebSearch(
        f.bool("enabled", false),
        f.object("payload").map(p -> (JsonNode) p.node()).orElse(null))).orElse(null);
  }
}
