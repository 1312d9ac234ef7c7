package partyclaw.app.cluster;

import akka.actor.Address;
import akka.actor.AddressFromURIString;
import akka.actor.typed.ActorSystem;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.JoinSeedNodes;
import akka.management.cluster.bootstrap.ClusterBootstrap;
import akka.management.javadsl.AkkaManagement;
import java.util.List;
import partyclaw.core.config.ClusterConfig;

/** How a node enters its cluster: through the configured seed nodes, or Akka Management's Kubernetes bootstrap. */
public final class ClusterStart {
  private ClusterStart() {}

  public static void join(ActorSystem<?> system, ClusterConfig cluster) {
    if (cluster.discovery() == ClusterConfig.Discovery.KUBERNETES_API) {
      // Bootstrap finds the other pods through the Kubernetes API and probes their management endpoints
      // (/bootstrap/seed-nodes), which Akka Management serves on akka.management.http.port (default 8558).
      AkkaManagement.get(system).start();
      ClusterBootstrap.get(system).start();
      system.log().info("cluster: bootstrap through Kubernetes API discovery of service {}", cluster.serviceName());
      return;
    }
    List<Address> seeds = ClusterMode.seedAddresses(cluster).stream().map(AddressFromURIString::parse).toList();
    Cluster.get(system).manager().tell(new JoinSeedNodes(seeds));
    system.log().info("cluster: node {} joining through seed nodes {}", cluster.selfAddress(), cluster.seedNodes());
  }
}
