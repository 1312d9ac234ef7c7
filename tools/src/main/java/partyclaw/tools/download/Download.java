package partyclaw.tools.download;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Future;
import partyclaw.core.json.Json;

/**
 * One download of a conversation and what is known of it: the snapshot the tools return and the entry the registry
 * persists. The transfer thread reports into it; waiters block on it until it is finished.
 */
final class Download {
  enum Phase {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

    boolean finished() {
      return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
  }

  final String id;
  final String url;
  final URI uri;
  final Path path;
  final Path part;
  final Map<String, String> headers;
  final boolean overwrite;
  final long createdAt;

  private Phase phase = Phase.QUEUED;
  private long bytes;
  private Long total;
  private Integer httpStatus;
  private String finalUrl;
  private String contentType;
  private String error;
  private Long resumedFrom;
  private String etag;
  private String lastModified;
  private Long sizeBytes;
  private long finishedAt = -1;
  private boolean transferring;

  private volatile Future<?> task;
  private volatile InputStream stream;
  private volatile Thread runner;
  private volatile boolean cancelRequested;
  private volatile boolean pauseRequested;
  private volatile String abortReason;
  private volatile long lastProgressNanos = System.nanoTime();

  Download(String id, String url, URI uri, Path path, Path part, Map<String, String> headers, boolean overwrite,
      long createdAt) {
    this.id = id;
    this.url = url;
    this.uri = uri;
    this.path = path;
    this.part = part;
    this.headers = Map.copyOf(headers);
    this.overwrite = overwrite;
    this.createdAt = createdAt;
  }

  // --- what the transfer reports ---

  synchronized void running() {
    if (!phase.finished()) phase = Phase.RUNNING;
    lastProgressNanos = System.nanoTime();
  }

  synchronized void responded(int status, String finalUrl, String contentType, String etag, String lastModified) {
    this.httpStatus = status;
    this.finalUrl = finalUrl;
    this.contentType = contentType;
    if (status / 100 == 2) {
      this.etag = etag;
      this.lastModified = lastModified;
    }
  }

  /** The body starts at {@code from} bytes ({@code resumed}: kept from an earlier run); {@code total} may be unknown. */
  synchronized void receiving(long from, Long total, boolean resumed) {
    this.bytes = from;
    this.total = total;
    this.resumedFrom = resumed ? from : null;
  }

  synchronized void progress(int n) {
    bytes += n;
    lastProgressNanos = System.nanoTime();
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized Long total() {
    return total;
  }

  synchronized String etag() {
    return etag;
  }

  synchronized String lastModified() {
    return lastModified;
  }

  /** Ends the download once: a later report (a cancel racing the rename) does not change how it ended. */
  synchronized boolean finish(Phase to, String error, Long sizeBytes) {
    if (phase.finished()) return false;
    phase = to;
    this.error = error;
    this.sizeBytes = sizeBytes;
    if (to == Phase.COMPLETED && sizeBytes != null) bytes = sizeBytes;
    finishedAt = System.currentTimeMillis();
    notifyAll();
    return true;
  }

  synchronized Phase phase() {
    return phase;
  }

  synchronized boolean finished() {
    return phase.finished();
  }

  synchronized long finishedAt() {
    return finishedAt;
  }

  synchronized void awaitFinish(long millis) throws InterruptedException {
    if (!phase.finished() && millis > 0) wait(millis);
  }

  synchronized void transferStarted() {
    transferring = true;
  }

  synchronized void transferEnded() {
    transferring = false;
    notifyAll();
  }

  /** Waits until no thread works on this download any more (after a pause); false if one still does. */
  synchronized boolean awaitTransferEnd(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (transferring) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) return false;
      wait(left);
    }
    return true;
  }

  // --- control from tools, the registry and the watchdog ---

  void task(Future<?> f) {
    task = f;
  }

  Future<?> task() {
    return task;
  }

  void attach(Thread t, InputStream in) {
    runner = t;
    stream = in;
  }

  void detach() {
    runner = null;
    stream = null;
  }

  boolean cancelRequested() {
    return cancelRequested;
  }

  boolean pauseRequested() {
    return pauseRequested;
  }

  String abortReason() {
    return abortReason;
  }

  long lastProgressNanos() {
    return lastProgressNanos;
  }

  void requestCancel() {
    cancelRequested = true;
    stopTransfer();
  }

  /** The daemon is stopping: the transfer stops and leaves its .part file for the next run to resume. */
  void requestPause() {
    pauseRequested = true;
    stopTransfer();
  }

  /** The watchdog gives up on a transfer that stopped receiving data. */
  void abort(String reason) {
    abortReason = reason;
    stopTransfer();
  }

  private void stopTransfer() {
    Future<?> f = task;
    if (f != null) f.cancel(false); // a queued one never starts
    InputStream in = stream;
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // the point was to drop the connection
      }
    }
    Thread t = runner;
    if (t != null) t.interrupt();
  }

  // --- views ---

  /** The spec's snapshot, plus {@code percent} (null while the length is unknown). */
  synchronized ObjectNode snapshot() {
    ObjectNode s = Json.object();
    s.put("download_id", id);
    s.put("url", url);
    s.put("path", path.toString());
    s.put("running", !phase.finished());
    s.put("completed", phase == Phase.COMPLETED);
    s.put("cancelled", phase == Phase.CANCELLED);
    s.put("failed", phase == Phase.FAILED);
    s.put("bytes_downloaded", bytes);
    if (total == null) s.putNull("total_bytes");
    else s.put("total_bytes", total);
    if (total == null || total <= 0) {
      if (phase == Phase.COMPLETED) s.put("percent", 100.0);
      else s.putNull("percent");
    } else {
      s.put("percent", Math.min(100.0, Math.floor(bytes * 1000.0 / total) / 10.0));
    }
    if (httpStatus == null) s.putNull("http_status");
    else s.put("http_status", httpStatus);
    s.put("final_url", finalUrl);
    s.put("content_type", contentType);
    s.put("error", error);
    if (phase == Phase.COMPLETED && sizeBytes != null) s.put("size_bytes", sizeBytes);
    if (phase == Phase.QUEUED) s.put("queued", true);
    if (resumedFrom != null) s.put("resumed_from_bytes", resumedFrom);
    return s;
  }

  /** One line for an operator or a compaction summary; the URL without its query string. */
  synchronized String describe() {
    return "download_id=" + id + " path=" + path + " bytes_downloaded=" + bytes + " url="
        + partyclaw.tools.web.HttpUrls.redacted(uri);
  }

  // --- persistence ---

  synchronized ObjectNode toState() {
    ObjectNode e = Json.object();
    e.put("id", id);
    e.put("url", url);
    e.put("path", path.toString());
    e.put("part", part.toString());
    ObjectNode h = e.putObject("headers");
    headers.forEach(h::put);
    e.put("overwrite", overwrite);
    e.put("created_at", createdAt);
    // A queued or running download is "running" on disk: the next run resumes it either way.
    e.put("phase", phase.finished() ? phase.name().toLowerCase() : "running");
    e.put("bytes", bytes);
    if (total != null) e.put("total", total);
    if (httpStatus != null) e.put("http_status", httpStatus);
    if (finalUrl != null) e.put("final_url", finalUrl);
    if (contentType != null) e.put("content_type", contentType);
    if (error != null) e.put("error", error);
    if (etag != null) e.put("etag", etag);
    if (lastModified != null) e.put("last_modified", lastModified);
    if (sizeBytes != null) e.put("size_bytes", sizeBytes);
    if (finishedAt >= 0) e.put("finished_at", finishedAt);
    return e;
  }

  /** An entry read back after a restart; an unfinished one is queued again. */
  static Download fromState(com.fasterxml.jackson.databind.JsonNode e) {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    e.path("headers").fields().forEachRemaining(f -> headers.put(f.getKey(), f.getValue().asText()));
    Download d = new Download(e.path("id").asText(), e.path("url").asText(), URI.create(e.path("url").asText()),
        Path.of(e.path("path").asText()), Path.of(e.path("part").asText()), headers, e.path("overwrite").asBoolean(),
        e.path("created_at").asLong());
    synchronized (d) {
      d.bytes = e.path("bytes").asLong();
      d.total = e.has("total") ? e.get("total").asLong() : null;
      d.httpStatus = e.has("http_status") ? e.get("http_status").asInt() : null;
      d.finalUrl = e.path("final_url").asText(null);
      d.contentType = e.path("content_type").asText(null);
      d.error = e.path("error").asText(null);
      d.etag = e.path("etag").asText(null);
      d.lastModified = e.path("last_modified").asText(null);
      d.sizeBytes = e.has("size_bytes") ? e.get("size_bytes").asLong() : null;
      d.finishedAt = e.path("finished_at").asLong(-1);
      d.phase = switch (e.path("phase").asText("running")) {
        case "completed" -> Phase.COMPLETED;
        case "failed" -> Phase.FAILED;
        case "cancelled" -> Phase.CANCELLED;
        default -> Phase.QUEUED;
      };
    }
    return d;
  }
}
