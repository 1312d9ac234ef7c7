package partyclaw.core.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.util.AtomicFiles;
import partyclaw.core.workdir.Workdir;

/**
 * The workspace registry, {@code <workdir>/sandbox/workspaces.json} (runtime.md §7.4), fixing the reference's
 * defects (§9 items 7, 8): every write is atomic; a torn or corrupt file is set aside with a warning and rebuilt
 * from the directories under {@code workspaces/} instead of blocking start-up; each record has an owner
 * conversation, which the workspace tools use to keep conversations out of each other's workspaces.
 *
 * <p>Thread-safe. Every instance on the same file (in this JVM) shares one lock, mutations also hold an OS lock on
 * {@code sandbox/.workspaces.json.lock} (nodes sharing the workdir), and each call re-reads the file only when its
 * inode, size or mtime changed; so an unchanged registry costs one {@code stat} per read. The daemon uses
 * {@link #shared}; tests may {@link #open} their own.
 *
 * <p>In the daemon's registry ({@link #shared}, once the daemon called {@link #saveTouchesTogether}) {@link #touch} is
 * written behind (every other registry writes through): every write rewrites the whole file, so a daemon meeting
 * thousands of new
 * conversations would spend time quadratic in their number rewriting it. Touches are applied in memory at once
 * (every instance on the file in this JVM sees them), kept as pending, and saved together by one write at most
 * {@link #FLUSH_DELAY} later, or by the next other change, or by {@link #flush}. A crash can lose the last moment's
 * touches only: a lost new record is recreated, owner included, by the conversation's next turn.
 */
public final class WorkspaceRegistry {
  static final String SUMMARY_FILE = "summary.md";
  private static final Logger log = LoggerFactory.getLogger(WorkspaceRegistry.class);
  /**
   * How stale {@code updatedAt} may be before {@link #touch} writes it again. Every turn touches its workspace and a
   * write rewrites (and syncs) the whole file, so a busy daemon would otherwise rewrite it at every message.
   */
  static final Duration TOUCH_GRANULARITY = Duration.ofMinutes(1);
  static final Duration FLUSH_DELAY = Duration.ofMillis(250);
  private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
  /** Touches not yet saved, per file, guarded by that file's lock; shared so that every instance applies them. */
  private static final Map<Path, PendingTouches> PENDING = new ConcurrentHashMap<>();
  private static final ScheduledExecutorService FLUSHER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "workspace-registry-flush");
    t.setDaemon(true);
    return t;
  });
  private static final Map<Path, WorkspaceRegistry> SHARED = new ConcurrentHashMap<>();
  private static final DateTimeFormatter SET_ASIDE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Workdir workdir;
  private final Path file;
  private final Path lockFile;
  private final Clock clock;
  private final ReentrantLock lock;
  private final PendingTouches pending;
  /** How long touches may wait to be saved together; zero: saved at once. */
  private final Duration flushDelay;
  /** Counts the file's rewrites, for the test that proves touches are coalesced. */
  int saves;
  private RegistryEntries entries = new RegistryEntries();
  private Stamp seen;
  private boolean loaded;

  private WorkspaceRegistry(Workdir workdir, Clock clock, Duration flushDelay) {
    this.workdir = workdir;
    this.file = workdir.workspaceRegistry();
    this.lockFile = file.resolveSibling("." + file.getFileName() + ".lock");
    this.clock = clock;
    this.flushDelay = flushDelay;
    this.lock = LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
    this.pending = PENDING.computeIfAbsent(file, f -> new PendingTouches());
  }

  /** A registry on {@code w}, loaded now; never throws for a bad file (it is set aside and rebuilt). */
  public static WorkspaceRegistry open(Workdir w) {
    return open(w, Clock.systemUTC());
  }

  public static WorkspaceRegistry open(Workdir w, Clock clock) {
    return open(w, clock, Duration.ZERO);
  }

  /** {@code flushDelay}: how long touches may wait to be saved together (zero: at once). */
  static WorkspaceRegistry open(Workdir w, Clock clock, Duration flushDelay) {
    WorkspaceRegistry r = new WorkspaceRegistry(w, clock, flushDelay);
    r.read(x -> null);
    return r;
  }

  /** Zero until the daemon opts in to saving touches together (see {@link #saveTouchesTogether}). */
  private static volatile Duration sharedFlushDelay = Duration.ZERO;

  /**
   * Makes the shared registries opened from now on save touches together, {@link #FLUSH_DELAY} apart: the daemon
   * calls it at start-up and {@link #flush} at shutdown. Elsewhere (tests with actor systems on temporary
   * directories) shared registries write through, so nothing writes into a directory after its test ended.
   */
  public static void saveTouchesTogether() {
    sharedFlushDelay = FLUSH_DELAY;
  }

  /** The one registry of this workdir in this JVM: what the runtime and the workspace tools use. */
  public static WorkspaceRegistry shared(Workdir w) {
    return SHARED.computeIfAbsent(w.root(), root -> open(w, Clock.systemUTC(), sharedFlushDelay));
  }

  /**
   * Records that {@code conversationId} uses workspace {@code id} now (called before every turn): creates the
   * record on first use with that conversation as owner, otherwise bumps {@code updatedAt} (when older than {@link #TOUCH_GRANULARITY}), makes an archived
   * workspace active again, and lets the conversation claim a workspace whose owner was lost.
   */
  public WorkspaceRecord touch(String id, String conversationId) {
    WorkspaceIds.require(id);
    Objects.requireNonNull(conversationId, "conversationId");
    WorkspaceRecord current = read(e -> e.records.get(id));
    if (current != null && WorkspaceRecord.ACTIVE.equals(current.state()) && current.ownerConversation() != null
        && !now().isAfter(current.updatedAt().plus(TOUCH_GRANULARITY))) {
      // Nothing but updatedAt would change, by less than the granularity: no rewrite of the whole file.
      return current;
    }
    lock.lock();
    try {
      current();
      PendingTouches.Touch t = new PendingTouches.Touch(id, conversationId, now());
      pending.add(t);
      WorkspaceRecord touched = t.applyTo(entries);
      if (flushDelay.isZero()) {
        flush();
      } else if (pending.scheduleFlush()) {
        FLUSHER.schedule(this::flushScheduled, flushDelay.toMillis(), TimeUnit.MILLISECONDS);
      }
      return touched;
    } finally {
      lock.unlock();
    }
  }

  /** Saves the pending touches now (at shutdown; the daemon's tests). Throws if the file cannot be written. */
  public void flush() {
    lock.lock();
    try {
      if (!pending.isEmpty()) mutate(e -> null);
    } finally {
      lock.unlock();
    }
  }

  private void flushScheduled() {
    lock.lock();
    try {
      pending.flushStarted();
      // A workdir removed meanwhile (a test's temporary one) is not brought back by a late flush.
      if (!Files.isDirectory(workdir.root())) {
        pending.clear();
        return;
      }
      flush();
    } catch (RuntimeException e) {
      // Kept in memory and pending: retried a little later, and by any other change in between.
      log.warn("cannot save workspace touches ({}); retrying in 5 s", e.toString());
      if (pending.scheduleFlush()) FLUSHER.schedule(this::flushScheduled, 5, TimeUnit.SECONDS);
    } finally {
      lock.unlock();
    }
  }

  public Optional<WorkspaceRecord> get(String id) {
    return read(e -> Optional.ofNullable(e.records.get(id)));
  }

  /** Every record, most recently used first. */
  public List<WorkspaceRecord> list() {
    return read(e -> {
      List<WorkspaceRecord> out = new ArrayList<>(e.records.values());
      out.sort(Comparator.comparing(WorkspaceRecord::updatedAt).reversed().thenComparing(WorkspaceRecord::id));
      return List.copyOf(out);
    });
  }

  /** Sets the summary, also kept as {@code workspace_meta/<id>/summary.md} so a rebuilt registry recovers it. */
  public void updateSummary(String id, String summary) {
    String text = summary == null ? "" : summary.strip();
    mutate(e -> {
      e.records.put(id, existing(e, id).withSummary(text, now()));
      return null;
    });
    Path meta = workdir.workspaceMeta(id);
    try {
      Files.createDirectories(meta);
      AtomicFiles.write(meta.resolve(SUMMARY_FILE), (text + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException ex) {
      // The registry holds the summary; the copy only helps a rebuild.
      log.warn("cannot write {} ({})", meta.resolve(SUMMARY_FILE), ex.toString());
    }
  }

  public void updateTitle(String id, String title) {
    String text = title == null ? "" : title.strip();
    mutate(e -> {
      e.records.put(id, existing(e, id).withTitle(text, now()));
      return null;
    });
  }

  /**
   * Archives the active workspaces whose content was last modified more than {@code unusedFor} ago (30 days in
   * production) and that are not in {@code inUse}. Returns their ids, sorted.
   */
  public List<String> archiveUnused(Duration unusedFor, Set<String> inUse) {
    return mutate(e -> {
      Instant cutoff = now().minus(unusedFor);
      List<String> archived = new ArrayList<>();
      for (WorkspaceRecord r : List.copyOf(e.records.values())) {
        if (r.archived() || inUse.contains(r.id()) || !r.lastContentModifiedAt().isBefore(cutoff)) continue;
        e.records.put(r.id(), r.withState(WorkspaceRecord.ARCHIVED));
        archived.add(r.id());
      }
      return List.copyOf(archived);
    });
  }

  /** The workspace's files changed now: restarts its archiving clock and makes it active. */
  public void markModified(String id) {
    mutate(e -> {
      e.records.put(id, existing(e, id).modified(now()));
      return null;
    });
  }

  /** The mounts recorded in workspace {@code id}, by name. */
  public List<WorkspaceMount> mounts(String id) {
    return read(e -> e.mountsOf(id));
  }

  /** Records (or replaces, by name) a mount inside workspace {@code id}. */
  public void recordMount(String id, WorkspaceMount mount) {
    mutate(e -> {
      existing(e, id);
      e.putMount(id, mount);
      return null;
    });
  }

  /** Records a mount made now (by this registry's clock) and returns it. */
  public WorkspaceMount recordMount(String id, String mountName, String sourceWorkspaceId) {
    WorkspaceMount mount = new WorkspaceMount(mountName, sourceWorkspaceId, now());
    recordMount(id, mount);
    return mount;
  }

  /** Forgets a mount of workspace {@code id}; true if it was recorded. */
  public boolean removeMount(String id, String mountName) {
    return mutate(e -> e.removeMount(id, mountName));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static WorkspaceRecord existing(RegistryEntries e, String id) {
    WorkspaceRecord r = e.records.get(id);
    if (r == null) throw new IllegalArgumentException("workspace " + id + " not found");
    return r;
  }

  private <T> T read(Function<RegistryEntries, T> query) {
    lock.lock();
    try {
      current();
      return query.apply(entries);
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code change} on the current content and saves it; throws {@link UncheckedIOException} if it cannot. */
  private <T> T mutate(Function<RegistryEntries, T> change) {
    lock.lock();
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        current();
        T out = change.apply(entries);
        save();
        return out;
      }
    } catch (IOException ex) {
      // The file on disk was not replaced; drop what changed in memory so the next call re-reads it.
      loaded = false;
      throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
    } finally {
      lock.unlock();
    }
  }

  /** The file's content as last written by anyone, with the pending touches of this JVM on top. */
  private void current() {
    refresh();
    pending.applyTo(entries);
  }

  /** Writes {@code entries}, which must hold the pending touches (they are saved with it). */
  private void save() throws IOException {
    AtomicFiles.write(file, RegistryCodec.write(entries).getBytes(StandardCharsets.UTF_8));
    seen = Stamp.of(file);
    saves++;
    pending.clear();
  }

  /** Re-reads the file if another writer replaced it since we last saw it. */
  private void refresh() {
    Stamp now = Stamp.of(file);
    if (loaded && Objects.equals(now, seen)) return;
    if (now == null && loaded) {
      // Deleted under us: what this registry holds is the best copy there is.
      persistRebuilt("the file was removed");
    } else if (now == null) {
      // No file yet (a new workdir, or one from before the registry): start from what is on disk.
      entries = RegistryRebuild.fromDirectories(workdir);
      persistRebuilt("no registry file");
    } else {
      try {
        entries = RegistryCodec.read(Files.readString(file, StandardCharsets.UTF_8));
        seen = now;
      } catch (IOException | IllegalArgumentException ex) {
        String why = ex.getMessage();
        String aside = setAside();
        log.warn("{} is unreadable ({}); kept as {} and rebuilt from {} (owners of old workspaces are lost, so "
            + "the workspace tools hide them until their conversation uses them again)", file, why, aside,
            workdir.workspacesDir());
        RegistryEntries rebuilt = RegistryRebuild.fromDirectories(workdir);
        // Records this registry already held keep their owners and summaries; the directories add the rest.
        if (loaded) rebuilt.records.putAll(entries.records);
        if (loaded) rebuilt.mounts.putAll(entries.mounts);
        entries = rebuilt;
        persistRebuilt("rebuilt after a corrupt file");
      }
    }
    loaded = true;
  }

  private void persistRebuilt(String why) {
    seen = Stamp.of(file);
    if (entries.records.isEmpty() && pending.isEmpty()) return;
    try {
      Files.createDirectories(file.getParent());
      pending.applyTo(entries);
      save();
    } catch (IOException ex) {
      log.warn("cannot write {} ({}: {}); the registry lives in memory until a later write succeeds", file, why,
          ex.toString());
    }
  }

  private String setAside() {
    String base = file.getFileName() + ".corrupt-" + SET_ASIDE_TIME.format(clock.instant());
    for (int n = 1; n < 1000; n++) {
      Path aside = file.resolveSibling(n == 1 ? base : base + "-" + n);
      try {
        Files.move(file, aside);
        return aside.getFileName().toString();
      } catch (FileAlreadyExistsException e) {
        // two corruptions within one millisecond: try the next suffix
      } catch (IOException e) {
        return "(could not be moved aside: " + e + ")";
      }
    }
    return "(could not be moved aside)";
  }

  /** What tells a replaced file apart: an atomic rename gives it a new inode, a new mtime and usually a new size. */
  private record Stamp(Object fileKey, FileTime modified, long size) {
    static Stamp of(Path file) {
      try {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(a.fileKey(), a.lastModifiedTime(), a.size());
      } catch (NoSuchFileException e) {
        return null;
      } catch (IOException e) {
        return new Stamp(e.toString(), null, -1);
      }
    }
  }
}
