package partyclaw.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.core.config.ClusterConfig;

/** The Akka config of a cluster node: JDBC journal, split-brain resolver, this node's address; -D wins. */
class ClusterModeTest {
  private static final String URL = "jdbc:postgresql://db:5432/pc?user=pc&password=x";

  private static ClusterConfig seeds() {
    return new ClusterConfig("10.0.0.7", 2600, List.of("10.0.0.7:2600", "node-b:2600"), "PC_PG",
        Path.of("/srv/pc"), ClusterConfig.Discovery.SEED_NODES, "partyclaw", 2);
  }

  @Test
  void aNodeRunsOnTheJdbcJournalWithKeepMajority() {
    Config c = ClusterMode.akkaConfig(seeds(), URL, ConfigFactory.load());
    assertEquals("jdbc-journal", c.getString("akka.persistence.journal.plugin"));
    assertEquals("jdbc-snapshot-store", c.getString("akka.persistence.snapshot-store.plugin"));
    assertEquals(URL, c.getString("akka-persistence-jdbc.shared-databases.partyclaw.db.url"));
    assertEquals("slick.jdbc.PostgresProfile$", c.getString("akka-persistence-jdbc.shared-databases.partyclaw.profile"));
    assertEquals("akka.cluster.sbr.SplitBrainResolverProvider", c.getString("akka.cluster.downing-provider-class"));
    assertEquals("keep-majority", c.getString("akka.cluster.split-brain-resolver.active-strategy"));
    assertEquals("10.0.0.7", c.getString("akka.remote.artery.canonical.hostname"));
    assertEquals(2600, c.getInt("akka.remote.artery.canonical.port"));
    int pool = c.getInt("akka-persistence-jdbc.shared-databases.partyclaw.db.maxConnections");
    assertEquals(pool, c.getInt("akka-persistence-jdbc.shared-databases.partyclaw.db.numThreads"));
    assertEquals(List.of("akka://partyclaw@10.0.0.7:2600", "akka://partyclaw@node-b:2600"),
        ClusterMode.seedAddresses(seeds()));
  }

  @Test
  void thePoolGrowsWithTheCoresWithinBounds() {
    assertEquals(4, ClusterMode.poolSize(1));
    assertEquals(8, ClusterMode.poolSize(4));
    assertEquals(16, ClusterMode.poolSize(64));
  }

  @Test
  void systemPropertiesOverrideTheTimings() {
    System.setProperty("akka.cluster.split-brain-resolver.stable-after", "20s");
    try {
      ConfigFactory.invalidateCaches();
      Config c = ClusterMode.akkaConfig(seeds(), URL, ConfigFactory.load());
      assertEquals(20, c.getDuration("akka.cluster.split-brain-resolver.stable-after").toSeconds());
    } finally {
      System.clearProperty("akka.cluster.split-brain-resolver.stable-after");
      ConfigFactory.invalidateCaches();
    }
  }

  @Test
  void kubernetesDiscoveryConfiguresBootstrap() {
    ClusterConfig k8s = new ClusterConfig("10.1.2.3", 2552, List.of(), "PC_PG", Path.of("/srv/pc"),
        ClusterConfig.Discovery.KUBERNETES_API, "pc", 3);
    Config c = ClusterMode.akkaConfig(k8s, URL, ConfigFactory.load());
    assertEquals("kubernetes-api",
        c.getString("akka.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
    assertEquals("pc", c.getString("akka.management.cluster.bootstrap.contact-point-discovery.service-name"));
    assertEquals(3, c.getInt("akka.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"));
    assertEquals("app=%s", c.getString("akka.discovery.kubernetes-api.pod-label-selector"));
    assertEquals(ClusterMode.AKKA_MANAGEMENT_PORT, c.getInt("akka.management.http.port"));
    assertEquals("10.1.2.3", c.getString("akka.management.http.hostname"));
  }
}
