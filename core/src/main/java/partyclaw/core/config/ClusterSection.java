package partyclaw.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code cluster}; null when the section is absent (the single node on LevelDB). Unknown keys are problems:
 * a misspelt key here would silently leave a node outside its cluster. LevelDB cannot be shared between nodes, so
 * a cluster without {@code postgres_url_env} is refused.
 */
final class ClusterSection {
  private static final Set<String> KEYS = Set.of("host", "port", "seed_nodes", "postgres_url_env", "shared_dir",
      "discovery", "service_name", "required_contact_points");
  private static final String HINT = "write \"cluster\": {\"host\": \"10.0.0.1\", \"port\": 2552, \"seed_nodes\": "
      + "[\"10.0.0.1:2552\", \"10.0.0.2:2552\"], \"postgres_url_env\": \"PARTYCLAW_POSTGRES_URL\", \"shared_dir\": "
      + "\"/srv/partyclaw\"}, or remove the section for a single node on LevelDB";

  private ClusterSection() {}

  static ClusterConfig read(JsonFields root, LoadContext ctx) {
    Optional<JsonFields> section = root.object("cluster");
    if (section.isEmpty()) return null;
    JsonFields f = section.get();
    Problems problems = ctx.problems();
    int before = problems.list().size();
    for (String key : f.keys()) {
      if (!KEYS.contains(key)) problems.add(f.path(key), "unknown field `" + key + "` in cluster", HINT);
    }
    String host = f.string("host", "127.0.0.1").strip();
    if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
      problems.add(f.path("host"), "cluster.host must be a host name or IP address", HINT);
    }
    int port = f.int32("port", ClusterConfig.DEFAULT_PORT);
    if (port < 1 || port > 65535) {
      problems.add(f.path("port"), "cluster.port " + port + " is outside 1-65535",
          "use the fixed port the other nodes list in seed_nodes (default " + ClusterConfig.DEFAULT_PORT + ")");
    }
    ClusterConfig.Discovery discovery = discovery(f, problems);
    List<String> seeds = new ArrayList<>();
    for (JsonFields.Element e : f.array("seed_nodes")) {
      if (!e.value().isTextual()) {
        e.typeError(problems, "string", false);
        continue;
      }
      try {
        ClusterConfig.HostPort hp = ClusterConfig.HostPort.parse(e.value().textValue());
        seeds.add(ClusterConfig.HostPort.format(hp.host(), hp.port()));
      } catch (IllegalArgumentException ex) {
        problems.add(e.path(), "cluster.seed_nodes entry " + ex.getMessage(), "write each seed node as host:port");
      }
    }
    if (discovery == ClusterConfig.Discovery.SEED_NODES && seeds.isEmpty() && !f.has("seed_nodes")) {
      f.missing("seed_nodes", "list the host:port of the nodes to join through (this node's own address may be "
          + "one of them), or set \"discovery\": \"kubernetes-api\"");
    } else if (discovery == ClusterConfig.Discovery.SEED_NODES && f.raw("seed_nodes").isArray()
        && f.raw("seed_nodes").isEmpty()) {
      problems.add(f.path("seed_nodes"), "cluster.seed_nodes is empty", "list at least one node's host:port");
    }
    Optional<String> urlEnv = f.string("postgres_url_env");
    if (urlEnv.isEmpty() && !f.has("postgres_url_env")) {
      problems.add(f.path("postgres_url_env"), "a cluster needs the PostgreSQL journal: the LevelDB journal cannot "
          + "be shared between nodes", "set \"postgres_url_env\" to the name of an environment variable holding "
          + "the JDBC URL, e.g. jdbc:postgresql://db:5432/partyclaw?user=partyclaw&password=...");
    } else if (urlEnv.isPresent()) {
      String name = urlEnv.get().strip();
      if (name.isEmpty()) {
        problems.add(f.path("postgres_url_env"), "cluster.postgres_url_env is empty",
            "name the environment variable holding the JDBC URL, e.g. PARTYCLAW_POSTGRES_URL");
      } else {
        Optional<String> url = ctx.env().get(name);
        if (url.isEmpty() || url.get().isBlank()) {
          problems.add(f.path("postgres_url_env"), "environment variable " + name + " (cluster.postgres_url_env) "
              + "is not set", "export " + name + "=jdbc:postgresql://host:5432/database?user=...&password=... "
              + "(or put it in the .env file next to the config)");
        } else if (!url.get().strip().startsWith("jdbc:postgresql:")) {
          // Never echo the value: the URL usually holds the password.
          problems.add(f.path("postgres_url_env"), "environment variable " + name + " (cluster.postgres_url_env) "
              + "is not a PostgreSQL JDBC URL", "its value must start with jdbc:postgresql://");
        }
      }
    }
    Path shared = null;
    Optional<String> dir = f.requiredString("shared_dir", "give the directory all nodes share (NFS, a Kubernetes "
        + "volume) for workspaces, uploads and snapshots");
    if (dir.isPresent()) {
      if (dir.get().isBlank()) {
        problems.add(f.path("shared_dir"), "cluster.shared_dir is empty", "give an absolute directory path");
      } else {
        shared = Path.of(dir.get());
        if (!shared.isAbsolute()) {
          problems.add(f.path("shared_dir"), "cluster.shared_dir '" + dir.get() + "' is not an absolute path",
              "every node must see the same directory: give its absolute path");
        }
      }
    }
    String serviceName = f.string("service_name", "partyclaw");
    int contactPoints = f.int32("required_contact_points", 2);
    if (contactPoints < 1) {
      problems.add(f.path("required_contact_points"), "cluster.required_contact_points must be at least 1",
          "use the number of pods that must be found before the first cluster forms (default 2)");
    }
    if (problems.list().size() > before) return null;
    return new ClusterConfig(host, port, seeds, urlEnv.map(String::strip).orElse(null), shared, discovery,
        serviceName, contactPoints);
  }

  private static ClusterConfig.Discovery discovery(JsonFields f, Problems problems) {
    String raw = f.string("discovery", "seed_nodes");
    return switch (raw) {
      case "seed_nodes" -> ClusterConfig.Discovery.SEED_NODES;
      case "kubernetes-api" -> ClusterConfig.Discovery.KUBERNETES_API;
      default -> {
        problems.add(f.path("discovery"), "unknown cluster.discovery '" + raw + "'",
            "use \"seed_nodes\" (the default) or \"kubernetes-api\"");
        yield ClusterConfig.Discovery.SEED_NODES;
      }
    };
  }
}
