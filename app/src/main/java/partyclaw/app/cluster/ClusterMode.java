package partyclaw.app.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import partyclaw.core.config.ClusterConfig;

/**
 * The Akka config of a cluster node: {@code partyclaw-cluster.conf} (split-brain resolver, JDBC journal) under this
 * node's address and database, with {@code -D} system properties above both so an operator can tune any of it.
 */
public final class ClusterMode {
  /** The actor system's name: part of every node address, so all nodes must use the same. */
  public static final String SYSTEM_NAME = "partyclaw";

  /** Akka Management's HTTP port with Kubernetes discovery (cluster bootstrap contact point). */
  public static final int AKKA_MANAGEMENT_PORT = 8559;

  private ClusterMode() {}

  public static Config akkaConfig(ClusterConfig cluster, String jdbcUrl, Config base) {
    Map<String, Object> node = new HashMap<>();
    node.put("akka.remote.artery.canonical.hostname", cluster.host());
    node.put("akka.remote.artery.canonical.port", cluster.port());
    node.put("akka-persistence-jdbc.shared-databases.partyclaw.db.url", jdbcUrl);
    int pool = poolSize(Runtime.getRuntime().availableProcessors());
    node.put("akka-persistence-jdbc.shared-databases.partyclaw.db.numThreads", pool);
    node.put("akka-persistence-jdbc.shared-databases.partyclaw.db.maxConnections", pool);
    node.put("akka-persistence-jdbc.shared-databases.partyclaw.db.minConnections", Math.min(2, pool));
    if (cluster.discovery() == ClusterConfig.Discovery.KUBERNETES_API) {
      node.put("akka.management.cluster.bootstrap.contact-point-discovery.discovery-method", "kubernetes-api");
      node.put("akka.management.cluster.bootstrap.contact-point-discovery.service-name", cluster.serviceName());
      node.put("akka.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr",
          cluster.requiredContactPoints());
      // Pods labelled app=<service_name> (%s is the service name) in the pod's own namespace.
      node.put("akka.discovery.kubernetes-api.pod-label-selector", "app=%s");
      // Akka Management's endpoint (bootstrap probes between pods) is separate from partyclaw's own management
      // endpoint (/alive, /ready, /metrics, default 8558): the pod names this port "management".
      node.put("akka.management.http.hostname", cluster.host());
      node.put("akka.management.http.bind-hostname", "0.0.0.0");
      node.put("akka.management.http.port", AKKA_MANAGEMENT_PORT);
      node.put("akka.management.http.bind-port", AKKA_MANAGEMENT_PORT);
      node.put("akka.management.cluster.bootstrap.contact-point-discovery.port-name", "management");
    }
    return ConfigFactory.systemProperties()
        .withFallback(ConfigFactory.parseMap(node))
        .withFallback(ConfigFactory.parseResources(ClusterMode.class.getClassLoader(), "partyclaw-cluster.conf"))
        .withFallback(base)
        .resolve();
  }

  /**
   * Connections to PostgreSQL for this node: a few per core (journal writes are short), bounded so that a
   * handful of nodes stays well under PostgreSQL's default {@code max_connections} of 100.
   */
  static int poolSize(int cores) {
    return Math.max(4, Math.min(16, cores * 2));
  }

  /** {@code akka://partyclaw@host:port} of each {@code seed_nodes} entry. */
  public static List<String> seedAddresses(ClusterConfig cluster) {
    return cluster.seedNodes().stream().map(hp -> "akka://" + SYSTEM_NAME + "@" + hp).toList();
  }
}
