package partyclaw.tools.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import partyclaw.core.tool.ToolException;

/**
 * The node's HTTP client for the web and download tools. Redirects are followed here, not by the JDK client, so that
 * every hop is checked (http(s) only, bounded count) and credentials the model gave never follow a redirect to
 * another origin. Transfers run on {@link #workers()}, so the tool thread only waits and can yield at once.
 */
public final class WebClient {
  public static final int DEFAULT_MAX_REDIRECTS = 10;
  static final String USER_AGENT = "Mozilla/5.0 (compatible; partyclaw)";
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie", "proxy-authorization");

  private final HttpClient http;
  private final ExecutorService workers;
  private final int maxRedirects;

  private WebClient(Duration connectTimeout, int maxRedirects) {
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "web-tool-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER);
    EnvProxySelector.of(System.getenv()).ifPresent(b::proxy);
    this.http = b.build();
    this.maxRedirects = maxRedirects;
  }

  public static WebClient create() {
    return new WebClient(Duration.ofSeconds(30), DEFAULT_MAX_REDIRECTS);
  }

  public static WebClient create(Duration connectTimeout, int maxRedirects) {
    return new WebClient(connectTimeout, maxRedirects);
  }

  public HttpClient http() {
    return http;
  }

  /** Threads that block on transfers (web_fetch, web_search); downloads have their own bounded pool. */
  public ExecutorService workers() {
    return workers;
  }

  /** A response whose body is still to be read, and the URL it finally came from. The caller closes the body. */
  public record Opened(HttpResponse<InputStream> response, URI finalUri) {
    public int status() {
      return response.statusCode();
    }

    public Optional<String> header(String name) {
      return response.headers().firstValue(name);
    }
  }

  /**
   * GET {@code uri}, following up to the redirect limit. {@code headerTimeout} bounds each hop until its headers
   * arrive. Throws {@link ToolException} for a bad redirect, and what the JDK client throws otherwise.
   */
  public Opened get(URI uri, Map<String, String> headers, Duration headerTimeout)
      throws ToolException, IOException, InterruptedException {
    URI current = uri;
    for (int hop = 0; ; hop++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(current).GET().timeout(headerTimeout);
      // Plain-http HTTP/2 means an h2c upgrade many servers mishandle; TLS negotiates the version properly.
      if (current.getScheme().equalsIgnoreCase("http")) b.version(HttpClient.Version.HTTP_1_1);
      boolean sameOrigin = HttpUrls.sameOrigin(uri, current);
      if (headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("user-agent"))) b.header("User-Agent", USER_AGENT);
      for (Map.Entry<String, String> h : headers.entrySet()) {
        if (sameOrigin || !CREDENTIALS.contains(h.getKey().toLowerCase(Locale.ROOT))) b.header(h.getKey(), h.getValue());
      }
      HttpResponse<InputStream> r;
      try {
        r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IllegalArgumentException e) {
        throw new ToolException("invalid request header: " + e.getMessage());
      }
      Optional<String> location = r.headers().firstValue("Location");
      if (!REDIRECTS.contains(r.statusCode()) || location.isEmpty()) return new Opened(r, current);
      r.body().close();
      if (hop >= maxRedirects) {
        throw new ToolException("too many redirects (more than " + maxRedirects + ") starting at "
            + HttpUrls.redacted(uri));
      }
      URI next;
      try {
        next = current.resolve(URI.create(location.get().strip()));
      } catch (IllegalArgumentException e) {
        throw new ToolException("the server at " + HttpUrls.redacted(current) + " redirected to an invalid url");
      }
      try {
        current = HttpUrls.check(next);
      } catch (ToolException e) {
        throw new ToolException("the server at " + HttpUrls.redacted(current) + " redirected to a url that cannot be "
            + "followed: " + e.getMessage());
      }
    }
  }
}
