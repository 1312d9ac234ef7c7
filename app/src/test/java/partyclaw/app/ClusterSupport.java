package partyclaw.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Three nodes of the packaged jar on loopback ports, sharing a throwaway PostgreSQL database and a shared directory,
 * with one Telegram bot on the fake Bot API. Every node runs with {@code akka.actor.serialize-messages = on}, so a
 * message that could not cross the network fails here even when sender and receiver share a node.
 */
final class ClusterSupport implements AutoCloseable {
  /** Admin connection used to create and drop the per-run database (CI's PostgreSQL: local, trust auth). */
  static final String ADMIN_URL = System.getenv().getOrDefault("PARTYCLAW_TEST_PG_URL",
      "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
  static final String URL_ENV = "PARTYCLAW_IT_POSTGRES_URL";

  /**
   * Every message is serialized and deserialized, even between actors of one node, except those of packages whose
   * actors always live together on one node: a channel's children (a singleton moves with all of them) and the
   * tools and agents inside a conversation. What crosses nodes (conversation commands and their replies, channel
   * messages, the directory, the topic index) lives in partyclaw.actors.{conversation,outbox,directory} and is
   * checked.
   */
  static final List<String> VERIFY_SERIALIZATION = List.of("-Dakka.actor.serialize-messages=on",
      "-Dakka.actor.no-serialization-verification-needed-class-prefix.0=akka.",
      // the platform channels' own actors; the web channel's events do cross nodes (WebClusterBus) and are checked
      "-Dakka.actor.no-serialization-verification-needed-class-prefix.1=partyclaw.channels.telegram.",
      "-Dakka.actor.no-serialization-verification-needed-class-prefix.6=partyclaw.channels.dingtalk.",
      "-Dakka.actor.no-serialization-verification-needed-class-prefix.7=partyclaw.channels.cli.",
      "-Dakka.actor.no-serialization-verification-needed-class-prefix.8=partyclaw.channels.common.",
      "-Dakka.actor.no-serialization-verification-needed-class-prefix.2=partyclaw.actors.tool.",
      "-Dakka.actor.no-serialization-verification-needed-class-prefix.3=partyclaw.actors.agents.",
      "-Dakka.actor.no-serialization-verification-needed-class-prefix.4=partyclaw.app.",
      // a model call is a child of its conversation: its protocol never leaves the node
      "-Dakka.actor.no-serialization-verification-needed-class-prefix.5=partyclaw.actors.model.");

  final Path dir;
  final String database;
  final String jdbcUrl;
  final int[] remotingPorts;
  final int[] managementPorts;
  /** Every node serves the web channel, on its own port. */
  final int[] webPorts;
  /** More channel objects for every node's config ({@code %d} is replaced by the node's index). */
  String extraChannels = "";
  /** More environment for every node. */
  final Map<String, String> extraEnv = new HashMap<>();
  final DaemonProcess[] nodes;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * A password the nodes' URL carries (trust auth ignores it): it must never show in a log. Test-only, not a secret.
   */
  static final String PASSWORD = "it-pg-pw-Zq7Xv9";

  ClusterSupport(Path dir, int size) throws IOException, SQLException {
    this(dir, size, true);
  }

  /** {@code createDatabase} false: the nodes' database does not exist until {@link #createDatabase()}. */
  ClusterSupport(Path dir, int size, boolean createDatabase) throws IOException, SQLException {
    this.dir = dir;
    this.database = "partyclaw_it_" + Long.toHexString(System.nanoTime()) + "_" + ProcessHandle.current().pid();
    if (createDatabase) createDatabase();
    String url = withDatabase(ADMIN_URL, database);
    this.jdbcUrl = url + (url.contains("?") ? "&" : "?") + "password=" + PASSWORD;
    this.remotingPorts = new int[size];
    this.managementPorts = new int[size];
    this.webPorts = new int[size];
    for (int i = 0; i < size; i++) {
      remotingPorts[i] = freePort();
      managementPorts[i] = freePort();
      webPorts[i] = freePort();
    }
    this.nodes = new DaemonProcess[size];
  }

  void createDatabase() throws SQLException {
    try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + database);
    }
  }

  /** The admin URL with its database replaced by {@code database}. */
  static String withDatabase(String url, String database) {
    Matcher m = Pattern.compile("^(jdbc:postgresql://[^/?]+)(/[^?]*)?(\\?.*)?$").matcher(url);
    if (!m.matches()) throw new IllegalArgumentException("not a jdbc:postgresql://host[:port]/db URL: " + url);
    return m.group(1) + "/" + database + (m.group(3) == null ? "" : m.group(3));
  }

  Path sharedDir() {
    return dir.resolve("shared");
  }

  Path workdir(int i) {
    return dir.resolve("wd" + i);
  }

  Path config(int i, String llmUrl, String telegramUrl, String modelSettings) throws IOException {
    List<String> seeds = new ArrayList<>();
    for (int port : remotingPorts) seeds.add("\"127.0.0.1:" + port + "\"");
    String json = """
        {
          "version": "0.21",
          "models": { "main": { "type": "openrouter", "api_endpoint": "%s", "model": "fake-model",
                                "capabilities": ["chat"], %s } },
          "main_agent": { "language": "en" },
          "channels": [ { "kind": "telegram", "id": "tg", "bot_token_env": "%s", "api_base_url": "%s",
                          "poll_timeout_seconds": 2, "open": true, "poll_interval_ms": 50 },
                        { "kind": "web", "id": "web", "listen_addr": "127.0.0.1:%d", "auth_token_env": "WEB_IT_TOKEN" }
                        %s ],
          "management": { "listen_addr": "127.0.0.1:%d" },
          "cluster": { "host": "127.0.0.1", "port": %d, "seed_nodes": [%s],
                       "postgres_url_env": "%s", "shared_dir": "%s" }
        }
        """.formatted(llmUrl, modelSettings, TelegramITSupport.TOKEN_ENV, telegramUrl, webPorts[i],
        extraChannels.isEmpty() ? "" : ", " + extraChannels.replace("%d", Integer.toString(i)), managementPorts[i],
        remotingPorts[i], String.join(", ", seeds), URL_ENV, sharedDir());
    Path file = dir.resolve("node" + i + ".json");
    Files.writeString(file, json);
    return file;
  }

  DaemonProcess start(int i, Path config) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put(TelegramITSupport.TOKEN_ENV, TelegramITSupport.TOKEN);
    env.put(URL_ENV, jdbcUrl);
    env.put("WEB_IT_TOKEN", WebITSupport.TOKEN);
    env.putAll(extraEnv);
    // No periodic rebalancing: a shard moved to a node that joined a moment later stops its idle conversations
    // until their next message, and the per-node counts the tests compare would miss them. Allocation of new
    // shards and the takeover of a dead node's shards do not depend on it.
    env.put("PARTYCLAW_JAVA_OPTS", String.join(" ", VERIFY_SERIALIZATION)
        + " -Dakka.cluster.sharding.rebalance-interval=1h");
    nodes[i] = DaemonProcess.start(dir, "node" + i, null, env,
        "run", "--config", config.toString(), "--workdir", workdir(i).toString());
    return nodes[i];
  }

  /** GET on node {@code i}'s management endpoint: status and body, or status -1 when it does not answer. */
  HttpResponse<String> get(int i, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPorts[i] + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  void awaitReady(int i, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = get(i, "/ready");
      if (r != null && r.statusCode() == 200) return;
      if (r != null) last = r.statusCode() + " " + r.body().strip();
      if (!nodes[i].alive()) break;
      Thread.sleep(200);
    }
    throw new AssertionError("node " + i + " not ready within " + timeout + ": " + last + "\nstderr:\n"
        + nodes[i].stderr());
  }

  /** {@code partyclaw_conversations_active} of node {@code i}: the conversations running there. */
  long conversationsOn(int i) {
    HttpResponse<String> r = get(i, "/metrics");
    if (r == null || r.statusCode() != 200) throw new AssertionError("node " + i + " gives no metrics");
    Matcher m = Pattern.compile("(?m)^partyclaw_conversations_active(?:\\{[^}]*})? (\\d+)(?:\\.0)?$").matcher(r.body());
    if (!m.find()) throw new AssertionError("no partyclaw_conversations_active on node " + i);
    return Long.parseLong(m.group(1));
  }

  /**
   * Node {@code i}'s server.log as text, one log event's message per line followed by its exception if any
   * ("" before the file exists): server.log holds one JSON object per event.
   */
  String log(int i) throws IOException {
    Path log = workdir(i).resolve("logs").resolve("server.log");
    if (!Files.exists(log)) return "";
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(log)) {
      if (line.isBlank()) continue;
      com.fasterxml.jackson.databind.JsonNode event;
      try {
        event = partyclaw.core.json.Json.MAPPER.readTree(line);
      } catch (IOException torn) {
        continue; // the last line while the node is still writing it
      }
      out.append(event.path("message").asText()).append('\n');
      if (event.hasNonNull("exception")) out.append(event.path("exception").asText()).append('\n');
    }
    return out.toString();
  }

  /** Messages of node {@code i}'s log that end with {@code line}. */
  long countLines(int i, String line) throws IOException {
    return log(i).lines().filter(l -> l.endsWith(line)).count();
  }

  /** Waits until node {@code i}'s log has a message ending with {@code line}. */
  void awaitLogLine(int i, String line, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (countLines(i, line) == 0) {
      if (System.nanoTime() > deadline) throw new AssertionError("node " + i + " did not log within " + timeout + ": "
          + line);
      Thread.sleep(100);
    }
  }

  @Override
  public void close() throws Exception {
    for (DaemonProcess n : nodes) if (n != null) n.close();
    keepLogs();
    try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  /** The nodes' logs outlive the temporary directory, under target/cluster-it-logs, to read after a failure. */
  private void keepLogs() throws IOException {
    Path keep = DaemonProcess.REPO.resolve("app/target/cluster-it-logs").resolve(database);
    Files.createDirectories(keep);
    for (int i = 0; i < nodes.length; i++) {
      Path log = workdir(i).resolve("logs").resolve("server.log");
      if (Files.exists(log)) Files.copy(log, keep.resolve("node" + i + ".log"));
      for (String ext : List.of(".stdout", ".stderr")) {
        Path f = dir.resolve("node" + i + ext);
        if (Files.exists(f)) Files.copy(f, keep.resolve("node" + i + ext));
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
