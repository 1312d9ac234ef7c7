package partyclaw.actors;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import partyclaw.core.llm.LlmEndpoint;

/**
 * The models a conversation may use: endpoints by alias, the aliases users may pick, and the default for a new
 * conversation (main_agent.model, else the first available model — a deliberate departure from the reference,
 * which answers nothing until /agent is used).
 */
public record ModelCatalog(Map<String, Entry> models, List<String> available, String defaultAlias) {

  /** {@code cacheTtl}: how long the provider keeps a prompt cached (idle compaction runs just before it ends). */
  public record Entry(String alias, LlmEndpoint endpoint, String description, long contextWindowTokens,
      java.time.Duration cacheTtl) {}

  public ModelCatalog {
    models = Map.copyOf(models);
    available = List.copyOf(available);
  }

  /** The entry for {@code alias}, falling back to the default when the alias is null or no longer available. */
  public Optional<Entry> resolve(String alias) {
    if (alias != null && available.contains(alias) && models.containsKey(alias)) return Optional.of(models.get(alias));
    return Optional.ofNullable(defaultAlias).map(models::get);
  }
}
