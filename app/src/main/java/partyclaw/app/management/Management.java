package partyclaw.app.management;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.ServerBinding;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import partyclaw.actors.metrics.RuntimeMetricsExtension;
import partyclaw.core.config.ManagementConfig;

/** Starts the management endpoint of a node: installs the metrics the runtime counts into, then binds the route. */
public final class Management {
  private static final Duration SAMPLE_TIMEOUT = Duration.ofSeconds(3);

  private Management() {}

  /** Must run before conversations and channels start, so that nothing they count is lost. */
  public static void start(ActorSystem<?> system, ManagementConfig cfg, Readiness readiness) {
    PrometheusRuntimeMetrics metrics = new PrometheusRuntimeMetrics();
    RuntimeMetricsExtension.install(system, metrics);
    CompletionStage<ServerBinding> binding = ManagementServer.start(system, cfg, metrics, readiness,
        () -> ShardedConversations.count(system, SAMPLE_TIMEOUT).thenAccept(metrics::conversationsActive));
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "management-unbind", () ->
        binding.thenCompose(b -> b.unbind()).exceptionally(e -> Done.getInstance()).thenApply(d -> Done.getInstance()));
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "metrics-close",
        () -> {
          metrics.close();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
  }
}
