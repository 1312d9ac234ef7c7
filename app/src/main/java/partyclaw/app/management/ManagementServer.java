package partyclaw.app.management;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import partyclaw.core.config.ManagementConfig;

/**
 * The management endpoint: {@code /alive} (200 while the process runs), {@code /ready} (503 with what is missing,
 * then 200) and {@code /metrics} (Prometheus text format). A plain Akka HTTP route: Akka HTTP is already part of the
 * daemon, while Akka Management would add a dependency whose health checks and cluster routes a single node does
 * not need.
 */
public final class ManagementServer extends AllDirectives {
  private static final ContentType.WithCharset PROMETHEUS_TEXT =
      MediaTypes.TEXT_PLAIN.toContentType(HttpCharsets.UTF_8);
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ManagementServer.class);

  private final PrometheusRuntimeMetrics metrics;
  private final Readiness readiness;
  /** Refreshes the gauges that are sampled rather than counted (active conversations) before a scrape. */
  private final Supplier<CompletionStage<Void>> refresh;

  ManagementServer(PrometheusRuntimeMetrics metrics, Readiness readiness, Supplier<CompletionStage<Void>> refresh) {
    this.metrics = metrics;
    this.readiness = readiness;
    this.refresh = refresh;
  }

  /**
   * Binds the endpoint. A failure to bind (port in use, bad host) is logged and printed; the daemon serves on
   * without the endpoint rather than dropping its conversations.
   */
  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, ManagementConfig cfg,
      PrometheusRuntimeMetrics metrics, Readiness readiness, Supplier<CompletionStage<Void>> refresh) {
    Route route = new ManagementServer(metrics, readiness, refresh).route();
    CompletionStage<ServerBinding> bound = Http.get(system).newServerAt(cfg.host(), cfg.port()).bind(route);
    return bound.whenComplete((binding, error) -> {
      if (error != null) {
        LOG.error("management endpoint could not listen on {}: {}; the daemon runs without it", cfg.listenAddr(),
            error.getMessage());
        System.err.println("partyclaw: management endpoint could not listen on " + cfg.listenAddr() + ": "
            + error.getMessage());
      } else {
        var addr = binding.localAddress();
        LOG.info("management endpoint listening on http://{}:{} (/alive, /ready, /metrics)",
            addr.getHostString(), addr.getPort());
      }
    });
  }

  Route route() {
    return get(() -> concat(
        path("alive", () -> complete(StatusCodes.OK, "alive\n")),
        path("ready", () -> perRequest(() -> {
          List<String> waiting = readiness.waitingFor();
          return waiting.isEmpty() ? complete(StatusCodes.OK, "ready\n")
              : complete(StatusCodes.SERVICE_UNAVAILABLE, "not ready: waiting for " + String.join("; ", waiting) + "\n");
        })),
        path("metrics", () -> perRequest(() -> completeWithFuture(refresh.get()
            .exceptionally(e -> null) // a stale sample is better than no scrape
            .thenApply(done -> HttpResponse.create()
                .withEntity(HttpEntities.create(PROMETHEUS_TEXT, metrics.scrape()))))))));
  }

  /** The DSL builds inner routes once; this builds {@code inner} again for every request. */
  private Route perRequest(Supplier<Route> inner) {
    return extractRequest(request -> inner.get());
  }
}
