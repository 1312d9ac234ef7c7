package partyclaw.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** A daemon with a web channel on a free port, and clients for its REST, WebSocket and OpenAI routes. */
final class WebITSupport {
  static final String TOKEN = "web-it-token-7f3a9c";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private WebITSupport() {}

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A config with one model on {@code llmBaseUrl} and a web channel {@code web} on {@code port} (token from env). */
  static Path config(Path dir, String llmBaseUrl, int port) throws IOException {
    String json = """
        {
          "version": "0.21",
          "models": {
            "main": {
              "type": "openrouter",
              "api_endpoint": "%s",
              "model": "fake-model",
              "capabilities": ["chat"],
              "timeout_seconds": 30
            }
          },
          "main_agent": { "language": "en", "debounce_ms": 100 },
          "channels": [ { "kind": "web", "id": "web", "listen_addr": "127.0.0.1:%d", "auth_token_env": "WEB_IT_TOKEN" } ]
        }
        """.formatted(llmBaseUrl, port);
    Path file = dir.resolve("config.json");
    Files.writeString(file, json);
    return file;
  }

  static DaemonProcess start(Path dir, Path config) throws IOException {
    return DaemonProcess.start(dir, "web", null, Map.of("WEB_IT_TOKEN", TOKEN),
        "run", "--config", config.toString(), "--workdir", dir.resolve("wd").toString());
  }

  static void awaitHealthy(String base, DaemonProcess p) throws InterruptedException {
    await(Duration.ofSeconds(90), () -> {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }, p);
  }

  static void await(Duration timeout, BooleanSupplier condition, DaemonProcess p) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout + "\nstderr:\n" + (p == null ? "" : p.stderr()));
      }
      if (p != null && !p.alive()) throw new AssertionError("the daemon exited\nstderr:\n" + p.stderr());
      Thread.sleep(50);
    }
  }

  static HttpResponse<String> request(String method, String url, String token, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (body != null) b.header("Content-Type", "application/json");
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  /** A /ws client that keeps every event it receives. */
  static final class Events implements WebSocket.Listener, AutoCloseable {
    final List<JsonNode> events = new ArrayList<>();
    final CountDownLatch closed = new CountDownLatch(1);
    private final StringBuilder partial = new StringBuilder();
    WebSocket socket;

    static Events connect(String wsUrl) throws InterruptedException, java.util.concurrent.ExecutionException {
      Events e = new Events();
      e.socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(wsUrl), e).get();
      return e;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode n = JSON.readTree(partial.toString());
          synchronized (events) {
            events.add(n);
          }
        } catch (IOException e) {
          throw new IllegalStateException("not JSON from /ws: " + partial, e);
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.countDown();
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.countDown();
    }

    List<JsonNode> matching(Predicate<JsonNode> p) {
      synchronized (events) {
        return events.stream().filter(p).toList();
      }
    }

    JsonNode await(Predicate<JsonNode> p, DaemonProcess d) throws InterruptedException {
      WebITSupport.await(Duration.ofSeconds(60), () -> !matching(p).isEmpty(), d);
      return matching(p).get(0);
    }

    @Override
    public void close() {
      socket.abort();
    }
  }
}
