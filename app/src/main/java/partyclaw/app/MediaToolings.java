package partyclaw.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import partyclaw.core.config.Environment;
import partyclaw.core.config.MediaRouting;
import partyclaw.core.config.ModelConfig;
import partyclaw.core.config.PartyclawConfig;
import partyclaw.tools.media.HelperModel;
import partyclaw.tools.media.MediaTooling;

/** Builds the media tools' routing and helper models from the config (runtime.md §3.7). */
final class MediaToolings {
  private MediaToolings() {}

  static MediaTooling of(PartyclawConfig cfg, Environment env) {
    Map<String, MediaRouting> routing = new LinkedHashMap<>();
    for (String alias : cfg.models().keySet()) routing.put(alias, MediaRouting.of(cfg, alias));
    List<MediaRouting> used = new ArrayList<>();
    for (String alias : cfg.availableModels()) {
      if (routing.containsKey(alias)) used.add(routing.get(alias));
    }
    Map<String, HelperModel> helpers = new LinkedHashMap<>();
    for (ModelConfig m : cfg.models().values()) {
      helpers.put(m.alias(), new HelperModel(m.alias(), m.url(), m.model(),
          env.resolve(m.apiKey(), m.apiKeyEnv()).orElse(null), m.headers(),
          Duration.ofMillis(Math.round(m.timeoutSeconds() * 1000)), Set.copyOf(m.capabilities()),
          ModelConfig.TYPE_OPENROUTER_RESPONSES.equals(m.type()),
          ModelConfig.TYPE_CODEX_SUBSCRIPTION.equals(m.type())));
    }
    return new MediaTooling(routing::get, helpers, used);
  }
}
