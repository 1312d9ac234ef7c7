package partyclaw.app.management;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import partyclaw.actors.metrics.RuntimeMetrics;
import partyclaw.actors.outbox.Deliver;

/**
 * {@link RuntimeMetrics} on a Micrometer Prometheus registry, plus the JVM's own metrics. Micrometer names
 * {@code partyclaw.messages.received} become {@code partyclaw_messages_received_total} in the text format, timers
 * become {@code _seconds} histograms with the buckets given here.
 */
public final class PrometheusRuntimeMetrics implements RuntimeMetrics, AutoCloseable {
  /** Model calls take from a fraction of a second to minutes. */
  private static final Duration[] MODEL_BUCKETS = seconds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300);
  /** A LevelDB batch with fsync: milliseconds, unless the disk struggles. */
  private static final Duration[] JOURNAL_BUCKETS = seconds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
      0.25, 0.5, 1);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  /** Outbox entries offered to a channel and not settled, as {@code <conversation id>#<outbound id>}. */
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final AtomicLong conversationsActive = new AtomicLong();

  public PrometheusRuntimeMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder("partyclaw.outbox.pending", pending, Set::size)
        .description("Outbox entries handed to a channel and not yet delivered or refused").register(registry);
    Gauge.builder("partyclaw.conversations.active", conversationsActive, AtomicLong::get)
        .description("Conversations running on this node (not passivated)").register(registry);
    // Present from the start, so a dashboard shows 0 instead of no data and a rate can be taken from the first scrape.
    Counter.builder("partyclaw.turns").tag("outcome", "completed").register(registry);
  }

  @Override
  public void messageReceived(String channelId) {
    Counter.builder("partyclaw.messages.received").description("User messages accepted by a conversation")
        .tag("channel", channelId).register(registry).increment();
  }

  @Override
  public void deliveryOffered(Deliver deliver) {
    pending.add(key(deliver));
  }

  @Override
  public void deliveryDone(Deliver deliver, DeliveryResult result) {
    pending.remove(key(deliver));
    String channel = channelOf(deliver.conversationId());
    switch (result) {
      case DELIVERED -> Counter.builder("partyclaw.replies.delivered")
          .description("Outbox entries (replies, tells, notices...) the platform accepted")
          .tags("channel", channel, "kind", deliver.kind()).register(registry).increment();
      case UNDELIVERABLE -> Counter.builder("partyclaw.deliveries.undeliverable")
          .description("Outbox entries the platform refused for good")
          .tags("channel", channel, "kind", deliver.kind()).register(registry).increment();
      case ALREADY_REPORTED -> { }
    }
  }

  @Override
  public void turnFinished(String outcome) {
    Counter.builder("partyclaw.turns").description("Foreground turns ended, by outcome").tag("outcome", outcome)
        .register(registry).increment();
  }

  @Override
  public void modelRequest(String modelAlias, Duration elapsed, boolean succeeded) {
    Timer.builder("partyclaw.model.request").description("One HTTP attempt at a model call")
        .tags("model", modelAlias, "outcome", succeeded ? "ok" : "error")
        .serviceLevelObjectives(MODEL_BUCKETS).register(registry).record(elapsed);
  }

  @Override
  public void modelTokens(String modelAlias, long prompt, long completion, long cached) {
    tokens(modelAlias, "prompt", prompt);
    tokens(modelAlias, "completion", completion);
    tokens(modelAlias, "cached", cached);
  }

  private void tokens(String model, String kind, long amount) {
    if (amount <= 0) return;
    Counter.builder("partyclaw.model.tokens").description("Tokens reported by the upstream (cached is part of prompt)")
        .tags("model", model, "kind", kind).register(registry).increment(amount);
  }

  @Override
  public void toolCall(String tool, String outcome) {
    Counter.builder("partyclaw.tool.calls").description("Tool calls ended, by tool and outcome")
        .tags("tool", tool, "outcome", outcome).register(registry).increment();
  }

  @Override
  public void journalWrite(Duration elapsed, boolean succeeded) {
    Timer.builder("partyclaw.journal.write").description("One batch written to the event journal")
        .tag("outcome", succeeded ? "ok" : "error").serviceLevelObjectives(JOURNAL_BUCKETS).register(registry)
        .record(elapsed);
  }

  /** Set before each scrape from the sharding state: the entities themselves keep no count. */
  public void conversationsActive(long count) {
    conversationsActive.set(count);
  }

  /** The Prometheus text format (version 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }

  private static String key(Deliver d) {
    return d.conversationId() + "#" + d.outboundId();
  }

  private static String channelOf(String conversationId) {
    int colon = conversationId.indexOf(':');
    return colon < 0 ? conversationId : conversationId.substring(0, colon);
  }

  private static Duration[] seconds(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    return out;
  }
}
