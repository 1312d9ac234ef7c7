package partyclaw.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code cluster}: this node's place in a multi-node cluster (our extension; absent means the single node on LevelDB).
 * {@code host}/{@code port} are the node's Akka remoting address; {@code seedNodes} the {@code host:port} of the
 * nodes it joins through (with {@link Discovery#SEED_NODES}); {@code postgresUrlEnv} names the environment variable
 * holding the JDBC URL of the shared journal; {@code sharedDir} is where workspaces, uploads and snapshots live,
 * shared by every node. {@code requiredContactPoints}: how many pods Kubernetes discovery must see before the first
 * cluster is formed.
 */
public record ClusterConfig(String host, int port, List<String> seedNodes, String postgresUrlEnv, Path sharedDir,
    Discovery discovery, String serviceName, int requiredContactPoints) {

  public static final int DEFAULT_PORT = 2552;

  public enum Discovery {
    /** Join through the listed {@code seed_nodes}. */
    SEED_NODES,
    /** Akka Management cluster bootstrap with pods found through the Kubernetes API. */
    KUBERNETES_API
  }

  public ClusterConfig {
    seedNodes = seedNodes == null ? List.of() : List.copyOf(seedNodes);
  }

  /** This node's {@code host:port}, as it appears in other nodes' {@code seed_nodes}. */
  public String selfAddress() {
    return HostPort.format(host, port);
  }

  /** {@code host:port} parsing shared by {@code host}/{@code port} and {@code seed_nodes}. */
  public record HostPort(String host, int port) {
    static String format(String host, int port) {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code host:port} or {@code [v6]:port}; the message names what is wrong with {@code raw}. */
    public static HostPort parse(String raw) {
      String addr = raw.strip();
      String host;
      String port;
      if (addr.startsWith("[")) {
        int close = addr.indexOf(']');
        if (close < 0 || close + 1 >= addr.length() || addr.charAt(close + 1) != ':') {
          throw new IllegalArgumentException("'" + raw + "' is not [ipv6]:port");
        }
        host = addr.substring(1, close);
        port = addr.substring(close + 2);
      } else {
        int colon = addr.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("'" + raw + "' has no port");
        host = addr.substring(0, colon);
        port = addr.substring(colon + 1);
        if (host.contains(":")) throw new IllegalArgumentException("'" + raw + "': write an IPv6 address in brackets");
      }
      if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("'" + raw + "' has no host");
      }
      int number;
      try {
        number = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + raw + "': port '" + port + "' is not a number");
      }
      if (number < 1 || number > 65535) {
        throw new IllegalArgumentException("'" + raw + "': port " + number + " is outside 1-65535");
      }
      return new HostPort(host, number);
    }
  }
}
