package partyclaw.tools.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import partyclaw.core.tool.ToolException;

/**
 * One web_fetch request, run on a worker thread so the tool can yield at any moment with what has arrived. The body
 * is read up to the limits; what was read so far stays readable while it runs ({@link #partial()}).
 */
final class FetchTransfer {
  /** What a finished fetch produced; {@code cut} when a text body was longer than the read limit. */
  record Body(int status, URI finalUri, String contentType, byte[] bytes, boolean cut) {}

  private final WebClient web;
  private final URI uri;
  private final Map<String, String> headers;
  private final WebFetchLimits limits;
  private final Duration headerTimeout;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private volatile WebClient.Opened opened;
  private volatile boolean cancelled;
  private volatile Thread runner;

  FetchTransfer(WebClient web, URI uri, Map<String, String> headers, WebFetchLimits limits, Duration headerTimeout) {
    this.web = web;
    this.uri = uri;
    this.headers = headers;
    this.limits = limits;
    this.headerTimeout = headerTimeout;
  }

  CompletableFuture<Body> start(ExecutorService pool) {
    CompletableFuture<Body> result = new CompletableFuture<>();
    pool.execute(() -> {
      runner = Thread.currentThread();
      try {
        if (!cancelled) result.complete(run());
        else result.cancel(false);
      } catch (Throwable t) {
        result.completeExceptionally(t);
      } finally {
        runner = null;
        Thread.interrupted(); // a late cancel must not leak into the pool's next task
      }
    });
    return result;
  }

  private Body run() throws ToolException, IOException, InterruptedException {
    WebClient.Opened o = web.get(uri, headers, headerTimeout);
    opened = o;
    String contentType = o.header("Content-Type").orElse(null);
    Boolean text = ContentTypes.isText(contentType);
    long cap = Boolean.TRUE.equals(text) ? limits.maxTextBytes() : limits.maxBinaryBytes();
    long declared = o.response().headers().firstValueAsLong("Content-Length").orElse(-1);
    if (!Boolean.TRUE.equals(text) && declared > limits.maxBinaryBytes()) {
      o.response().body().close();
      throw tooLarge(declared + " bytes");
    }
    boolean cut = false;
    try (InputStream in = o.response().body()) {
      byte[] buf = new byte[16 * 1024];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        if (total + n > cap) {
          if (!Boolean.TRUE.equals(text) && text != null) throw tooLarge("more than " + cap + " bytes");
          append(buf, (int) (cap - total));
          cut = true;
          break;
        }
        append(buf, n);
        total += n;
      }
    } catch (IOException e) {
      if (cancelled) throw new IOException("cancelled", e);
      throw e;
    }
    byte[] bytes = partial();
    // An unlabelled body only counts as text when it looks like text; then the text limit applies.
    if (text == null && !ContentTypes.looksBinary(bytes) && bytes.length > limits.maxTextBytes()) {
      bytes = java.util.Arrays.copyOf(bytes, (int) limits.maxTextBytes());
      cut = true;
    } else if (text == null && cut) {
      throw tooLarge("more than " + cap + " bytes");
    }
    return new Body(o.status(), o.finalUri(), contentType, bytes, cut);
  }

  private ToolException tooLarge(String size) {
    return new ToolException("the response from " + HttpUrls.redacted(uri) + " is " + size + ", over web_fetch's limit of "
        + limits.maxBinaryBytes() + " bytes for non-text content; use file_download_start to save large files");
  }

  private void append(byte[] buf, int n) {
    synchronized (received) {
      received.write(buf, 0, n);
    }
  }

  /** The body bytes received so far. */
  byte[] partial() {
    synchronized (received) {
      return received.toByteArray();
    }
  }

  /** The response's status line and headers, once they arrived. */
  WebClient.Opened opened() {
    return opened;
  }

  /** Stops the transfer: the connection is dropped and the worker thread freed. */
  void cancel() {
    cancelled = true;
    WebClient.Opened o = opened;
    if (o != null) {
      try {
        o.response().body().close();
      } catch (IOException ignored) {
        // closing is all we wanted
      }
    }
    Thread t = runner;
    if (t != null) t.interrupt();
  }
}
