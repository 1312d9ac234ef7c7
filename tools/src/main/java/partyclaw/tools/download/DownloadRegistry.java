package partyclaw.tools.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolException;
import partyclaw.core.util.AtomicFiles;

/**
 * The downloads of one conversation, addressed by download_id. Lives in the conversation's
 * {@link partyclaw.core.tool.ConversationResources}, so downloads outlive the turn that started them. Every change of
 * state is written to {@code downloads.json} in the conversation's state directory (atomically, readable by the
 * daemon's user only: request headers may hold credentials). Closing it (the daemon stopping) pauses the transfers and
 * keeps their {@code .part} files; the next run opens the registry again and resumes them.
 */
public final class DownloadRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DownloadRegistry.class);
  /** How long a cancel waits for its transfer to let go of the .part file before deleting it anyway. */
  private static final long CANCEL_GRACE_MILLIS = 10_000;
  private static final long PAUSE_GRACE_MILLIS = 5_000;

  private final Downloads service;
  private final Path stateFile;
  private final String conversationId;
  private final Map<String, Download> downloads = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private DownloadRegistry(Downloads service, Path stateFile, String conversationId) {
    this.service = service;
    this.stateFile = stateFile;
    this.conversationId = conversationId;
  }

  /** Reads what an earlier run recorded and queues its unfinished downloads again. */
  static DownloadRegistry open(Downloads service, Path stateFile, String conversationId) {
    DownloadRegistry r = new DownloadRegistry(service, stateFile, conversationId);
    if (Files.isRegularFile(stateFile)) {
      try {
        JsonNode json = Json.parse(Files.readString(stateFile, StandardCharsets.UTF_8));
        for (JsonNode e : json.path("downloads")) {
          Download d = Download.fromState(e);
          r.downloads.put(d.id, d);
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("the download state of conversation {} is unreadable ({}); earlier downloads are forgotten",
            conversationId, e.toString());
      }
    }
    List<Download> unfinished = r.downloads.values().stream().filter(d -> !d.finished())
        .sorted(Comparator.comparingLong(d -> d.createdAt)).toList();
    if (!unfinished.isEmpty()) {
      LOG.info("resuming {} unfinished download(s) of conversation {}", unfinished.size(), conversationId);
    }
    for (Download d : unfinished) r.submit(d);
    return r;
  }

  Download start(String url, URI uri, Path path, Map<String, String> headers, boolean overwrite) throws ToolException {
    if (closed) throw new ToolException("the daemon is shutting down; no new download can be started");
    String id = UUID.randomUUID().toString();
    Path part = path.resolveSibling("." + path.getFileName() + "." + id + ".part");
    Download d = new Download(id, url, uri, path, part, headers, overwrite, System.currentTimeMillis());
    downloads.put(id, d);
    evictFinished();
    changed();
    submit(d);
    return d;
  }

  private void submit(Download d) {
    try {
      d.task(service.transfers().submit(new DownloadTransfer(d, this, service)));
    } catch (RejectedExecutionException e) {
      // Only when the node is stopping: the entry stays "running" on disk and the next run resumes it.
    }
  }

  Download require(String id) throws ToolException {
    Download d = downloads.get(id);
    if (d == null) {
      throw new ToolException("download " + id + " not found in this conversation; it may never have existed or have "
          + "been forgotten after it finished");
    }
    return d;
  }

  /**
   * Stops a download and removes its .part file. Returns false when it had already finished (nothing to cancel).
   */
  boolean cancel(Download d) throws InterruptedException {
    if (d.finished()) return false;
    d.requestCancel();
    long deadline = System.currentTimeMillis() + CANCEL_GRACE_MILLIS;
    while (!d.finished() && System.currentTimeMillis() < deadline && d.phase() == Download.Phase.RUNNING) {
      d.awaitFinish(50);
    }
    // A queued one never ran; a transfer stuck past the grace period is abandoned: it cannot finish any more.
    boolean changed = d.finish(Download.Phase.CANCELLED, null, null);
    try {
      Files.deleteIfExists(d.part);
    } catch (IOException ignored) {
      // the workspace vanished or became read-only: nothing left to clean up
    }
    if (changed) changed();
    return d.phase() == Download.Phase.CANCELLED;
  }

  /** Writes the state file; a failure is logged, the downloads go on (they only lose their resume after a crash). */
  synchronized void changed() {
    if (closed) return; // pausing: what is on disk ("running") is what the next run must see
    ObjectNode root = Json.object();
    root.put("conversation_id", conversationId);
    ArrayNode list = root.putArray("downloads");
    downloads.values().stream().sorted(Comparator.comparingLong(d -> d.createdAt))
        .forEach(d -> list.add(d.toState()));
    try {
      Files.createDirectories(stateFile.getParent());
      createPrivate(stateFile);
      AtomicFiles.write(stateFile, Json.pretty(root).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.warn("cannot record the downloads of conversation {} in {}: {}", conversationId, stateFile, e.toString());
    }
  }

  /** The atomic writes keep the mode of the file they replace: creating it owner-only keeps it so. */
  private static void createPrivate(Path file) throws IOException {
    if (Files.exists(file)) return;
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      // A filesystem without POSIX modes (e.g. a mounted FAT/SMB workdir) has no owner-only mode to give.
      Files.createFile(file);
    } catch (FileAlreadyExistsException ignored) {
      // created meanwhile: fine
    }
  }

  /** Forgets the oldest finished downloads beyond the per-conversation limit. */
  private void evictFinished() {
    List<Download> finished = downloads.values().stream().filter(Download::finished)
        .sorted(Comparator.comparingLong(Download::finishedAt)).toList();
    int excess = finished.size() - service.limits().keepFinished();
    for (int i = 0; i < excess; i++) downloads.remove(finished.get(i).id);
  }

  /** One line per unfinished download, for an operator or a compaction's list of running tasks. */
  public List<String> describeRunning() {
    return downloads.values().stream().filter(d -> !d.finished())
        .sorted(Comparator.comparingLong(d -> d.createdAt)).map(Download::describe).toList();
  }

  /** The daemon is stopping: transfers stop, their .part files and "running" entries stay for the next run. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    List<Download> unfinished = downloads.values().stream().filter(d -> !d.finished()).toList();
    unfinished.forEach(Download::requestPause);
    // The next run (or a registry opened again in this process) must not find a transfer still writing the file.
    try {
      for (Download d : unfinished) d.awaitTransferEnd(PAUSE_GRACE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
