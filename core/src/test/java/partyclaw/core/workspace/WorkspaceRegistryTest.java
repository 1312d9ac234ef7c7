package partyclaw.core.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.core.workdir.Workdir;
import partyclaw.testkit.ManualClock;

class WorkspaceRegistryTest {
  static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
  static final String A = "0b0e7c2a-1111-4b6e-9a5e-000000000001";
  static final String B = "0b0e7c2a-2222-4b6e-9a5e-000000000002";
  static final String C = "snapshot-release-1a2b3c4d";

  @TempDir Path dir;
  Workdir workdir;
  ManualClock clock;
  WorkspaceRegistry registry;

  @BeforeEach
  void setUp() {
    workdir = new Workdir(dir);
    clock = new ManualClock(T0);
    registry = WorkspaceRegistry.open(workdir, clock);
  }

  @Test
  void touchCreatesARecordOwnedByTheFirstConversation() {
    WorkspaceRecord created = registry.touch(A, "telegram:1");

    assertEquals(new WorkspaceRecord(A, "", "", "active", "telegram:1", T0, T0, T0), created);
    assertEquals(Optional.of(created), registry.get(A));
    assertEquals(Optional.empty(), registry.get(B));
  }

  @Test
  void touchAgainKeepsTheOwnerAndCreationAndBumpsUpdatedAt() {
    registry.touch(A, "telegram:1");
    clock.set(T0.plusSeconds(61));

    WorkspaceRecord again = registry.touch(A, "telegram:2");

    assertEquals(new WorkspaceRecord(A, "", "", "active", "telegram:1", T0, T0.plusSeconds(61), T0), again);
  }

  @Test
  void touchWithinTheGranularityLeavesTheFileAlone() throws Exception {
    registry.touch(A, "telegram:1");
    registry.flush();
    Path file = workdir.workspaceRegistry();
    Object inodeBefore = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    clock.set(T0.plus(WorkspaceRegistry.TOUCH_GRANULARITY));

    WorkspaceRecord again = registry.touch(A, "telegram:1");
    registry.flush();

    assertEquals(new WorkspaceRecord(A, "", "", "active", "telegram:1", T0, T0, T0), again);
    assertEquals(inodeBefore, Files.readAttributes(file, BasicFileAttributes.class).fileKey());
  }

  @Test
  void listIsMostRecentlyUsedFirst() {
    registry.touch(A, "c:1");
    clock.set(T0.plusSeconds(40));
    registry.touch(B, "c:1");
    clock.set(T0.plusSeconds(80));
    registry.touch(C, "c:2");
    clock.set(T0.plusSeconds(120));
    registry.touch(A, "c:1");

    assertEquals(List.of(A, C, B), registry.list().stream().map(WorkspaceRecord::id).toList());
  }

  @Test
  void everyWriteReplacesTheFileAtomicallyAndLeavesNoTempFiles() throws Exception {
    registry.touch(A, "c:1");
    registry.flush();
    Path file = workdir.workspaceRegistry();
    Object inodeBefore = Files.readAttributes(file, BasicFileAttributes.class).fileKey();

    clock.set(T0.plusSeconds(5));
    registry.updateSummary(A, "  quarterly report draft \n");

    // A rename puts a new inode in place; an in-place rewrite would keep the old one.
    assertNotEquals(inodeBefore, Files.readAttributes(file, BasicFileAttributes.class).fileKey());
    try (Stream<Path> s = Files.list(file.getParent())) {
      assertEquals(Set.of("workspaces.json", ".workspaces.json.lock", "workspace_meta"),
          s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
    }
    JsonNode json = Json.parse(Files.readString(file));
    assertEquals(1, json.get("version").asInt());
    JsonNode entry = json.get("workspaces").get(0);
    assertEquals(A, entry.get("id").asText());
    assertEquals("quarterly report draft", entry.get("summary").asText());
    assertEquals("c:1", entry.get("owner_conversation").asText());
    assertEquals("2024-03-01T10:00:05Z", entry.get("updated_at").asText());
    assertEquals("quarterly report draft\n",
        Files.readString(workdir.workspaceMeta(A).resolve("summary.md"), StandardCharsets.UTF_8));
    // A second registry on the same workdir reads back the same record.
    assertEquals(registry.get(A), WorkspaceRegistry.open(workdir, clock).get(A));
  }

  @Test
  void aChangeByAnotherInstanceIsSeenWithoutReopening() {
    WorkspaceRegistry other = WorkspaceRegistry.open(workdir, clock);
    registry.touch(A, "c:1");

    other.updateTitle(A, "Budget");

    assertEquals("Budget", registry.get(A).orElseThrow().title());
  }

  @Test
  void aCorruptFileIsSetAsideAndRebuiltFromTheWorkspaceDirectories() throws Exception {
    Files.createDirectories(workdir.workspaceFiles(A));
    Files.createDirectories(workdir.workspaceFiles(B));
    Files.createDirectories(workdir.workspacesDir().resolve("not a workspace"));
    Files.createDirectories(workdir.workspaceMeta(A));
    Files.writeString(workdir.workspaceMeta(A).resolve("summary.md"), "tax forms 2023\n");
    Files.setLastModifiedTime(workdir.workspaceFiles(A), FileTime.from(T0.minusSeconds(3600)));
    Path file = workdir.workspaceRegistry();
    Files.createDirectories(file.getParent());
    String torn = "{\"version\":1,\"workspaces\":[{\"id\":\"" + A + "\",\"tit";
    Files.writeString(file, torn);

    WorkspaceRegistry reopened = WorkspaceRegistry.open(workdir, clock);

    assertEquals(List.of(A, B), reopened.list().stream().map(WorkspaceRecord::id).sorted().toList());
    WorkspaceRecord a = reopened.get(A).orElseThrow();
    assertEquals("tax forms 2023", a.summary());
    assertEquals(null, a.ownerConversation());
    assertEquals("active", a.state());
    assertEquals(T0.minusSeconds(3600), a.lastContentModifiedAt());
    List<Path> aside;
    try (Stream<Path> s = Files.list(file.getParent())) {
      aside = s.filter(p -> p.getFileName().toString().startsWith("workspaces.json.corrupt-")).toList();
    }
    assertEquals(1, aside.size());
    assertEquals(torn, Files.readString(aside.get(0)));
    assertEquals(2, Json.parse(Files.readString(file)).get("workspaces").size());
    // The first conversation to use a rebuilt workspace claims it.
    assertEquals("c:9", reopened.touch(A, "c:9").ownerConversation());
  }

  @Test
  void aFileTornUnderARunningRegistryIsRecoveredOnTheNextCallKeepingWhatItHeld() throws Exception {
    Files.createDirectories(workdir.workspaceFiles(A));
    Files.createDirectories(workdir.workspaceFiles(B));
    registry.touch(A, "c:1");
    registry.recordMount(A, "m", B);
    Files.writeString(workdir.workspaceRegistry(), "{\"workspa");

    assertEquals(List.of(A, B), registry.list().stream().map(WorkspaceRecord::id).sorted().toList());
    assertEquals("c:1", registry.get(A).orElseThrow().ownerConversation());
    assertEquals(List.of(new WorkspaceMount("m", B, T0)), registry.mounts(A));
    assertEquals(2, Json.parse(Files.readString(workdir.workspaceRegistry())).get("workspaces").size());
  }

  @Test
  void aFileDeletedUnderARunningRegistryIsWrittenBackFromMemory() throws Exception {
    registry.touch(A, "c:1");
    registry.flush();
    Files.delete(workdir.workspaceRegistry());

    assertEquals("c:1", registry.get(A).orElseThrow().ownerConversation());
    assertEquals("c:1", WorkspaceRegistry.open(workdir, clock).get(A).orElseThrow().ownerConversation());
  }

  @Test
  void aMissingFileStartsFromTheDirectoriesAndAnEmptyWorkdirStartsEmpty() throws Exception {
    assertEquals(List.of(), registry.list());
    assertFalse(Files.exists(workdir.workspaceRegistry()));

    Files.createDirectories(workdir.workspaceFiles(C));
    assertEquals(List.of(C), WorkspaceRegistry.open(workdir, clock).list().stream()
        .map(WorkspaceRecord::id).toList());
  }

  @Test
  void aBadEntryIsDroppedAndTheOthersKept() throws Exception {
    Path file = workdir.workspaceRegistry();
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"version\":1,\"workspaces\":["
        + "{\"id\":\"../etc\",\"owner_conversation\":\"c:1\"},"
        + "{\"id\":\"" + B + "\",\"owner_conversation\":\"c:1\",\"created_at\":\"2024-01-01T00:00:00Z\"}]}");

    List<WorkspaceRecord> records = WorkspaceRegistry.open(workdir, clock).list();

    Instant created = Instant.parse("2024-01-01T00:00:00Z");
    assertEquals(List.of(new WorkspaceRecord(B, "", "", "active", "c:1", created, created, created)), records);
  }

  @Test
  void archivesWorkspacesUnmodifiedForTheGivenTimeUnlessInUse() {
    registry.touch(A, "c:1");
    registry.touch(B, "c:1");
    registry.touch(C, "c:2");
    clock.set(T0.plus(Duration.ofDays(20)));
    registry.markModified(B);
    clock.set(T0.plus(Duration.ofDays(31)));
    registry.touch(A, "c:1"); // used, but not modified: does not keep it active

    assertEquals(List.of(A), registry.archiveUnused(Duration.ofDays(30), Set.of(C)));
    assertEquals("archived", registry.get(A).orElseThrow().state());
    assertEquals("active", registry.get(B).orElseThrow().state());
    assertEquals("active", registry.get(C).orElseThrow().state());
    assertEquals(List.of(), registry.archiveUnused(Duration.ofDays(30), Set.of(C)));

    clock.set(T0.plus(Duration.ofDays(51)));
    assertEquals(List.of(B, C), registry.archiveUnused(Duration.ofDays(30), Set.of()));
    registry.touch(A, "c:1");
    assertEquals("active", registry.get(A).orElseThrow().state());
  }

  @Test
  void markModifiedRestartsTheArchivingClock() {
    registry.touch(A, "c:1");
    clock.set(T0.plus(Duration.ofDays(40)));
    registry.markModified(A);

    WorkspaceRecord a = registry.get(A).orElseThrow();
    assertEquals(T0.plus(Duration.ofDays(40)), a.lastContentModifiedAt());
    assertEquals(T0.plus(Duration.ofDays(40)), a.updatedAt());
    assertEquals(List.of(), registry.archiveUnused(Duration.ofDays(30), Set.of()));
  }

  @Test
  void concurrentTouchesFromEightThreadsKeepEveryRecord() throws Exception {
    WorkspaceRegistry second = WorkspaceRegistry.open(workdir, clock);
    int threads = 8;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      // Half the threads go through a second instance on the same file, as another component of the daemon would.
      WorkspaceRegistry r = t % 2 == 0 ? registry : second;
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) r.touch("ws-" + thread + "-" + i, "c:" + thread);
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
    pool.shutdown();

    assertEquals(threads * perThread, registry.list().size());
    assertEquals(threads * perThread, WorkspaceRegistry.open(workdir, clock).list().size());
    Set<String> ids = new HashSet<>();
    for (WorkspaceRecord r : WorkspaceRegistry.open(workdir, clock).list()) {
      ids.add(r.id());
      assertEquals("c:" + r.id().split("-")[1], r.ownerConversation());
    }
    assertEquals(threads * perThread, ids.size());
  }

  @Test
  void touchesOfManyNewWorkspacesAreSavedTogetherNotOneRewriteEach() throws Exception {
    registry = WorkspaceRegistry.open(workdir, clock, WorkspaceRegistry.FLUSH_DELAY); // as the daemon's
    int n = 2_000;
    for (int i = 0; i < n; i++) registry.touch("ws-" + i, "c:" + i);

    // Seen at once by this and any other instance in the JVM, before the file has them.
    assertEquals(n, registry.list().size());
    assertEquals(n, WorkspaceRegistry.open(workdir, clock).list().size());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (countOnDisk() != n && System.nanoTime() < deadline) Thread.sleep(20);
    assertEquals(n, countOnDisk());
    // One rewrite per touch would be 2,000; the write-behind needs one per 250 ms window.
    assertTrue(registry.saves < 100, "saves: " + registry.saves);
  }

  @Test
  void theFirstConversationToTouchANewWorkspaceOwnsItAfterTheFlushToo() throws Exception {
    registry = WorkspaceRegistry.open(workdir, clock, Duration.ofHours(1)); // saved by flush() only
    registry.touch(A, "c:1");
    clock.set(T0.plusSeconds(65));
    registry.touch(A, "c:2");
    registry.flush();

    JsonNode entry = Json.parse(Files.readString(workdir.workspaceRegistry())).get("workspaces").get(0);
    assertEquals("c:1", entry.get("owner_conversation").asText());
    assertEquals("2024-03-01T10:01:05Z", entry.get("updated_at").asText());
    assertEquals("c:1", WorkspaceRegistry.open(workdir, clock).get(A).orElseThrow().ownerConversation());
  }

  private int countOnDisk() throws Exception {
    Path file = workdir.workspaceRegistry();
    if (!Files.exists(file)) return 0;
    return Json.parse(Files.readString(file)).get("workspaces").size();
  }

  @Test
  void mountsAreRecordedPerWorkspaceReplacedByNameAndSurviveReopening() {
    registry.touch(A, "c:1");
    registry.recordMount(A, new WorkspaceMount("old", B, T0));
    registry.recordMount(A, new WorkspaceMount("old", C, T0.plusSeconds(1)));
    registry.recordMount(A, new WorkspaceMount("docs", B, T0));

    assertEquals(List.of(new WorkspaceMount("docs", B, T0), new WorkspaceMount("old", C, T0.plusSeconds(1))),
        WorkspaceRegistry.open(workdir, clock).mounts(A));
    assertTrue(registry.removeMount(A, "docs"));
    assertFalse(registry.removeMount(A, "docs"));
    assertEquals(List.of(new WorkspaceMount("old", C, T0.plusSeconds(1))), registry.mounts(A));
    assertEquals(List.of(), registry.mounts(B));
  }

  @Test
  void unknownAndInvalidIdsAreRejected() {
    assertEquals("workspace " + A + " not found",
        assertThrows(IllegalArgumentException.class, () -> registry.markModified(A)).getMessage());
    assertEquals("workspace " + A + " not found",
        assertThrows(IllegalArgumentException.class, () -> registry.updateSummary(A, "x")).getMessage());
    assertEquals("workspace " + A + " not found", assertThrows(IllegalArgumentException.class,
        () -> registry.recordMount(A, new WorkspaceMount("m", B, T0))).getMessage());
    for (String bad : List.of("..", ".", "a/b", "", ".hidden")) {
      assertEquals("invalid workspace id: " + bad,
          assertThrows(IllegalArgumentException.class, () -> registry.touch(bad, "c:1")).getMessage());
    }
    assertEquals(List.of(), registry.list());
  }

}
