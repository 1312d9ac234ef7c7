package partyclaw.tools.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An HTTP server on 127.0.0.1:0 for the web and download tool tests; it records every request it gets. */
public final class LocalHttpServer implements AutoCloseable {
  /** One request as the server saw it; header names lower-cased. */
  public record Request(String method, String path, Map<String, String> headers, String body) {}

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  public LocalHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(pool);
    server.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public List<Request> requests() {
    return requests;
  }

  public List<Request> requestsTo(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  public LocalHttpServer route(String path, HttpHandler handler) {
    server.createContext(path, ex -> {
      Map<String, String> headers = new java.util.LinkedHashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), headers, body));
      try {
        handler.handle(ex);
      } catch (IOException e) {
        // the client went away: nothing to answer
      } finally {
        ex.close();
      }
    });
    return this;
  }

  /** A fixed response. */
  public LocalHttpServer respond(String path, int status, String contentType, byte[] body) {
    return route(path, ex -> send(ex, status, contentType, body));
  }

  public LocalHttpServer respond(String path, int status, String contentType, String body) {
    return respond(path, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  public LocalHttpServer redirect(String path, int status, String location) {
    return route(path, ex -> {
      ex.getResponseHeaders().add("Location", location);
      ex.sendResponseHeaders(status, -1);
    });
  }

  public static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    if (contentType != null) ex.getResponseHeaders().add("Content-Type", contentType);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * Serves {@code content} as a file: with {@code ranges}, a {@code Range: bytes=N-} request gets a 206 with the rest;
   * with {@code knownLength} false the body is chunked (no Content-Length). After {@code holdAt} bytes of a response
   * the body stops until {@link Gate#open} (or the client goes away).
   */
  public LocalHttpServer file(String path, byte[] content, boolean ranges, boolean knownLength, Gate gate) {
    return route(path, ex -> {
      long from = 0;
      String range = ex.getRequestHeaders().getFirst("Range");
      Matcher m = range == null ? null : Pattern.compile("bytes=(\\d+)-").matcher(range);
      boolean partial = ranges && m != null && m.matches();
      if (partial) from = Long.parseLong(m.group(1));
      ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
      ex.getResponseHeaders().add("ETag", "\"v1\"");
      if (ranges) ex.getResponseHeaders().add("Accept-Ranges", "bytes");
      int len = (int) (content.length - from);
      if (partial) {
        ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
      }
      ex.sendResponseHeaders(partial ? 206 : 200, knownLength ? len : 0);
      try (OutputStream out = ex.getResponseBody()) {
        int pos = (int) from;
        while (pos < content.length) {
          int holdAt = gate == null ? Integer.MAX_VALUE : gate.holdAt;
          int end = Math.min(content.length, pos + 4096);
          if (pos < holdAt && end > holdAt) end = holdAt;
          out.write(content, pos, end - pos);
          out.flush();
          pos = end;
          if (gate != null && pos == holdAt) {
            gate.reached.countDown();
            gate.awaitOpen();
          }
        }
      }
    });
  }

  /** Holds a response body at a byte offset until opened. */
  public static final class Gate {
  final int holdAt;
    public final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch open = new CountDownLatch(1);

    public Gate(int holdAt) {
      this.holdAt = holdAt;
    }

    public void open() {
      open.countDown();
    }

    public boolean awaitReached() throws InterruptedException {
      return reached.await(10, TimeUnit.SECONDS);
    }

    public void awaitOpen() {
      try {
        open.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
