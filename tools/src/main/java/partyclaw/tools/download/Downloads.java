package partyclaw.tools.download;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ConversationResources;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.workdir.Workdir;
import partyclaw.tools.web.WebClient;

/**
 * The node's download machinery: at most {@link Limits#maxConcurrent} transfers at once (more wait in line, shown
 * as {@code queued}), a size limit per file, and a watchdog that fails a transfer receiving nothing for
 * {@link Limits#stallTimeout}. Each conversation's downloads live in its {@link DownloadRegistry}.
 */
public final class Downloads implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Downloads.class);
  static final String STATE_FILE = "downloads.json";

  /** {@code keepFinished}: finished downloads a conversation keeps addressable (oldest forgotten first). */
  public record Limits(int maxConcurrent, long maxBytes, Duration stallTimeout, int keepFinished) {
    public static final Limits DEFAULT = new Limits(4, 4L << 30, Duration.ofMinutes(2), 50);
  }

  private final WebClient web;
  private final Limits limits;
  private final ExecutorService transfers;
  private final ScheduledExecutorService watchdog;
  private final Set<Download> active = ConcurrentHashMap.newKeySet();

  private Downloads(WebClient web, Limits limits) {
    this.web = web;
    this.limits = limits;
    AtomicInteger n = new AtomicInteger();
    this.transfers = Executors.newFixedThreadPool(Math.max(1, limits.maxConcurrent()), r -> {
      Thread t = new Thread(r, "file-download-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "file-download-watchdog");
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(50, Math.min(1000, limits.stallTimeout().toMillis() / 4));
    watchdog.scheduleWithFixedDelay(this::abortStalled, period, period, TimeUnit.MILLISECONDS);
  }

  public static Downloads create(WebClient web) {
    return new Downloads(web, Limits.DEFAULT);
  }

  public static Downloads create(WebClient web, Limits limits) {
    return new Downloads(web, limits);
  }

  WebClient web() {
    return web;
  }

  Limits limits() {
    return limits;
  }

  ExecutorService transfers() {
    return transfers;
  }

  /** The calling conversation's downloads, opened (and its unfinished ones resumed) on first use. */
  DownloadRegistry registry(ToolContext ctx) {
    return registry(ctx.resources(), ctx.workdir(), ctx.conversationId());
  }

  private DownloadRegistry registry(ConversationResources resources, Workdir workdir, String conversationId) {
    return resources.get(DownloadRegistry.class,
        () -> DownloadRegistry.open(this, stateFile(workdir, conversationId), conversationId));
  }

  /** {@code <workdir>/conversations/<id>/downloads.json}: outside the workspace, so the model cannot edit it. */
  static Path stateFile(Workdir workdir, String conversationId) {
    return workdir.conversationDir(conversationId).resolve(STATE_FILE);
  }

  /**
   * After a daemon restart: opens the registry of every conversation that has unfinished downloads, which resumes
   * them. Returns how many conversations had some.
   */
  public int resumeUnfinished(Workdir workdir, Function<String, ConversationResources> resourcesOf) {
    Path dir = workdir.root().resolve("conversations");
    if (!Files.isDirectory(dir)) return 0;
    int resumed = 0;
    try (DirectoryStream<Path> conversations = Files.newDirectoryStream(dir)) {
      for (Path c : conversations) {
        Path state = c.resolve(STATE_FILE);
        if (!Files.isRegularFile(state)) continue;
        try {
          JsonNode json = Json.parse(Files.readString(state));
          String id = json.path("conversation_id").asText("");
          boolean unfinished = false;
          for (JsonNode e : json.path("downloads")) unfinished |= "running".equals(e.path("phase").asText());
          if (id.isEmpty() || !unfinished) continue;
          registry(resourcesOf.apply(id), workdir, id);
          resumed++;
        } catch (IOException e) {
          LOG.warn("cannot read the download state {}: {}", state, e.toString());
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list {} to resume downloads: {}", dir, e.toString());
    }
    return resumed;
  }

  void watch(Download d) {
    active.add(d);
  }

  void unwatch(Download d) {
    active.remove(d);
  }

  private void abortStalled() {
    long limit = limits.stallTimeout().toNanos();
    long now = System.nanoTime();
    for (Download d : active) {
      if (now - d.lastProgressNanos() > limit) {
        d.abort("the download stalled: no data arrived for " + seconds(limits.stallTimeout()) + " seconds");
      }
    }
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
  }

  /** Stops the pools; registries pause their own transfers when their conversation's resources close. */
  @Override
  public void close() {
    watchdog.shutdownNow();
    transfers.shutdownNow();
  }
}
