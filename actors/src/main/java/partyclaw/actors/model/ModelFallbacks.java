package partyclaw.actors.model;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import partyclaw.core.llm.LlmEndpoint;

/**
 * The node's {@code fallback_models} chains (a partyclaw extension of the model config): by alias, the endpoints
 * that answer, in order, when that model keeps failing after its retries. A model that failed over is skipped for
 * {@link #COOL_DOWN} so every call in that time does not wait for it to fail again (and the user is told once, not
 * on every turn). Carried as an extension, like the metrics, because model calls are created in many places.
 */
public final class ModelFallbacks implements Extension {
  static final Duration COOL_DOWN = Duration.ofMinutes(10);
  private static final Id ID = new Id();

  private volatile Map<String, List<LlmEndpoint>> chains = Map.of();
  private final Map<String, Instant> failingUntil = new ConcurrentHashMap<>();

  private ModelFallbacks() {}

  public static ModelFallbacks of(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Called once by the app while the node starts. */
  public static void install(ActorSystem<?> system, Map<String, List<LlmEndpoint>> chains) {
    ID.apply(system).chains = Map.copyOf(chains);
  }

  List<LlmEndpoint> chain(String alias) {
    return alias == null ? List.of() : chains.getOrDefault(alias, List.of());
  }

  boolean failing(String alias, Instant now) {
    Instant until = failingUntil.get(alias);
    return until != null && now.isBefore(until);
  }

  void markFailing(String alias, Instant now) {
    failingUntil.put(alias, now.plus(COOL_DOWN));
  }

  void markHealthy(String alias) {
    failingUntil.remove(alias);
  }

  private static final class Id extends ExtensionId<ModelFallbacks> {
    @Override
    public ModelFallbacks createExtension(ActorSystem<?> system) {
      return new ModelFallbacks();
    }
  }
}
