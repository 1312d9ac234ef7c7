package partyclaw.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import partyclaw.core.json.Json;

/** {@code cluster}: absent means the single node; every field parsed; a cluster without PostgreSQL is refused. */
class ClusterConfigTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/pc?user=pc&password=hunter2";
  private static final Map<String, String> ENV = Map.of("OPENROUTER_API_KEY", "k", "PC_PG", URL);

  private static String config(String cluster) {
    return config(cluster, "{\"kind\": \"telegram\", \"id\": \"tg\", \"bot_token\": \"1:x\"}");
  }

  private static String config(String cluster, String channel) {
    return """
        {"version": "0.21",
         "models": {"main": {"type": "openrouter", "model": "x", "capabilities": ["chat"]}},
         "main_agent": {}, "channels": [%s]%s}
        """.formatted(channel, cluster == null ? "" : ", \"cluster\": " + cluster);
  }

  private static final String FULL = """
      {"host": "10.0.0.1", "port": 2600, "seed_nodes": ["10.0.0.1:2600", "node-b:2600", "[::1]:2601"],
       "postgres_url_env": "PC_PG", "shared_dir": "/srv/partyclaw"}""";

  @Test
  void absentSectionIsTheSingleNode() {
    PartyclawConfig cfg = ConfigFixtures.parse(config(null), ENV);
    assertEquals(Optional.empty(), cfg.clusterMode());
  }

  @Test
  void everyFieldIsRead() {
    ClusterConfig c = ConfigFixtures.parse(config(FULL), ENV).cluster();
    assertEquals(new ClusterConfig("10.0.0.1", 2600, List.of("10.0.0.1:2600", "node-b:2600", "[::1]:2601"), "PC_PG",
        Path.of("/srv/partyclaw"), ClusterConfig.Discovery.SEED_NODES, "partyclaw", 2), c);
    assertEquals("10.0.0.1:2600", c.selfAddress());
  }

  @Test
  void kubernetesDiscoveryNeedsNoSeedNodes() {
    ClusterConfig c = ConfigFixtures.parse(config("""
        {"discovery": "kubernetes-api", "service_name": "pc", "required_contact_points": 3,
         "postgres_url_env": "PC_PG", "shared_dir": "/srv/pc"}"""), ENV).cluster();
    assertEquals(ClusterConfig.Discovery.KUBERNETES_API, c.discovery());
    assertEquals("pc", c.serviceName());
    assertEquals(3, c.requiredContactPoints());
    assertEquals(ClusterConfig.DEFAULT_PORT, c.port());
  }

  @Test
  void aClusterOnLeveldbIsRefused() {
    List<ConfigProblem> problems = ConfigFixtures.problems(config("""
        {"seed_nodes": ["a:2552", "b:2552"], "shared_dir": "/srv/pc"}"""), ENV);
    assertEquals(1, problems.size(), problems.toString());
    assertEquals("$.cluster.postgres_url_env", problems.get(0).path());
    assertEquals("a cluster needs the PostgreSQL journal: the LevelDB journal cannot be shared between nodes",
        problems.get(0).message());
  }

  @Test
  void anUnsetOrForeignUrlIsNamedWithoutItsValue() {
    List<ConfigProblem> unset = ConfigFixtures.problems(config(FULL.replace("PC_PG", "NOPE")), ENV);
    assertEquals(1, unset.size(), unset.toString());
    assertEquals("environment variable NOPE (cluster.postgres_url_env) is not set", unset.get(0).message());

    List<ConfigProblem> foreign = ConfigFixtures.problems(config(FULL),
        Map.of("OPENROUTER_API_KEY", "k", "PC_PG", "mysql://root:secretpw@db/x"));
    assertEquals(1, foreign.size(), foreign.toString());
    assertEquals("environment variable PC_PG (cluster.postgres_url_env) is not a PostgreSQL JDBC URL",
        foreign.get(0).message());
    assertTrue(!foreign.get(0).hint().contains("secretpw"), foreign.get(0).hint());
  }

  @Test
  void badFieldsAreOneProblemEach() {
    Map<String, String> expected = Map.of(
        "{\"seed_nodes\": [\"a\"], \"postgres_url_env\": \"PC_PG\", \"shared_dir\": \"/s\"}",
        "$.cluster.seed_nodes[0]|cluster.seed_nodes entry 'a' has no port",
        "{\"seed_nodes\": [], \"postgres_url_env\": \"PC_PG\", \"shared_dir\": \"/s\"}",
        "$.cluster.seed_nodes|cluster.seed_nodes is empty",
        "{\"postgres_url_env\": \"PC_PG\", \"shared_dir\": \"/s\"}",
        "$.cluster.seed_nodes|missing field `seed_nodes`",
        "{\"seed_nodes\": [\"a:1\"], \"postgres_url_env\": \"PC_PG\"}",
        "$.cluster.shared_dir|missing field `shared_dir`",
        "{\"seed_nodes\": [\"a:1\"], \"postgres_url_env\": \"PC_PG\", \"shared_dir\": \"rel/dir\"}",
        "$.cluster.shared_dir|cluster.shared_dir 'rel/dir' is not an absolute path",
        "{\"port\": 70000, \"seed_nodes\": [\"a:1\"], \"postgres_url_env\": \"PC_PG\", \"shared_dir\": \"/s\"}",
        "$.cluster.port|cluster.port 70000 is outside 1-65535",
        "{\"discovery\": \"dns\", \"seed_nodes\": [\"a:1\"], \"postgres_url_env\": \"PC_PG\", \"shared_dir\": \"/s\"}",
        "$.cluster.discovery|unknown cluster.discovery 'dns'",
        "{\"seeds\": [\"a:1\"], \"seed_nodes\": [\"a:1\"], \"postgres_url_env\": \"PC_PG\", \"shared_dir\": \"/s\"}",
        "$.cluster.seeds|unknown field `seeds` in cluster");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      List<ConfigProblem> problems = ConfigFixtures.problems(config(e.getKey()), ENV);
      assertEquals(1, problems.size(), e.getKey() + " -> " + problems);
      assertEquals(e.getValue(), problems.get(0).path() + "|" + problems.get(0).message());
    }
  }

  @Test
  void theCommandLineChannelIsRefusedInACluster() {
    List<ConfigProblem> problems = ConfigFixtures.problems(
        config(FULL, "{\"kind\": \"command_line\", \"id\": \"cli\"}"), ENV);
    assertEquals(1, problems.size(), problems.toString());
    assertEquals("$.cluster", problems.get(0).path());
    assertTrue(problems.get(0).message().startsWith("a command_line channel cannot run in a cluster"),
        problems.get(0).message());
  }

  @Test
  void shippedClusterExampleLoadsAndNeedsItsDatabaseUrl() {
    var file = ConfigFixtures.repoRoot().resolve("conf/cluster.json");
    Map<String, String> env = Map.of("OPENROUTER_API_KEY", "k", "TELEGRAM_BOT_TOKEN", "1:t",
        "PARTYCLAW_POSTGRES_URL", URL, "PARTYCLAW_NODE_HOST", "10.0.0.2", "PARTYCLAW_SEED_1", "10.0.0.1:2552");
    ClusterConfig c = ConfigLoader.load(file, Environment.of(env)).cluster();
    assertEquals("10.0.0.2:2552", c.selfAddress());
    assertEquals(List.of("10.0.0.1:2552"), c.seedNodes());
    assertEquals(Path.of("/srv/partyclaw"), c.sharedDir());

    Map<String, String> noUrl = new java.util.HashMap<>(env);
    noUrl.remove("PARTYCLAW_POSTGRES_URL");
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> ConfigLoader.load(file, Environment.of(noUrl)));
    assertEquals(List.of("$.cluster.postgres_url_env"), ConfigFixtures.paths(e.problems()));
  }

  @Test
  void roundTripsThroughTheSharedMapper() throws Exception {
    PartyclawConfig cfg = ConfigFixtures.parse(config(FULL), ENV);
    assertEquals(cfg, Json.MAPPER.readValue(Json.write(cfg), PartyclawConfig.class));
  }
}
