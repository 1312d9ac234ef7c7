package partyclaw.actors.metrics;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;

/**
 * Carries the node's {@link RuntimeMetrics} to the actors that count (model calls, tool calls, channels, the
 * journal) without threading it through every factory: those are created in many places, and the count is a
 * node-wide concern. The app installs the real metrics before it starts anything; until then it is
 * {@link RuntimeMetrics#NOOP}.
 */
public final class RuntimeMetricsExtension implements Extension {
  private static final Id ID = new Id();

  private volatile RuntimeMetrics metrics = RuntimeMetrics.NOOP;

  private RuntimeMetricsExtension() {}

  public static RuntimeMetrics of(ActorSystem<?> system) {
    return ID.apply(system).metrics;
  }

  /** Called once by the app while the node starts, before conversations and channels run. */
  public static void install(ActorSystem<?> system, RuntimeMetrics metrics) {
    ID.apply(system).metrics = metrics;
  }

  private static final class Id extends ExtensionId<RuntimeMetricsExtension> {
    @Override
    public RuntimeMetricsExtension createExtension(ActorSystem<?> system) {
      return new RuntimeMetricsExtension();
    }
  }
}
