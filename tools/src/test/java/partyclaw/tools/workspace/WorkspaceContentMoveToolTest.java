package partyclaw.tools.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;
import static partyclaw.tools.workspace.WorkspaceFixture.A;
import static partyclaw.tools.workspace.WorkspaceFixture.CURRENT;
import static partyclaw.tools.workspace.WorkspaceFixture.ME;
import static partyclaw.tools.workspace.WorkspaceFixture.OTHER;
import static partyclaw.tools.workspace.WorkspaceFixture.T0;
import static partyclaw.tools.workspace.WorkspaceFixture.THEIRS;
import static partyclaw.tools.workspace.WorkspaceFixture.assertError;
import static partyclaw.tools.workspace.WorkspaceFixture.json;
import static partyclaw.tools.workspace.WorkspaceFixture.names;
import static partyclaw.tools.workspace.WorkspaceFixture.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.workspace.WorkspaceRecord;
import partyclaw.tools.testing.TestToolContext;

class WorkspaceContentMoveToolTest {
  static final String TOOL = "workspace_content_move";

  @TempDir Path root;
  WorkspaceFixture fx;
  TestToolContext ctx;
  WorkspaceContentMoveTool tool;
  Path current;
  Path a;
  Path theirs;

  @BeforeEach
  void setUp() {
    fx = new WorkspaceFixture(root);
    tool = new WorkspaceContentMoveTool(fx.registries(), CopyLimits.DEFAULT);
    ctx = fx.context();
    current = ctx.workspaceRoot();
    a = fx.workspace(A, ME);
    write(a.resolve("report.md"), "# Report");
    write(a.resolve("data/x.csv"), "1,2");
    write(a.resolve("data/sub/y.csv"), "3,4");
    write(a.resolve("keep.txt"), "stays");
    theirs = fx.workspace(THEIRS, OTHER);
    write(theirs.resolve("secret.txt"), "s");
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  @Test
  void movesFilesAndDirectoriesAndUpdatesTheRegistry() throws Exception {
    fx.clock.set(T0.plusSeconds(600));

    assertEquals(json("{\"source_workspace_id\":\"" + A + "\",\"target_workspace_id\":\"" + CURRENT + "\","
        + "\"moved_paths\":[{\"source\":\"report.md\",\"target\":\"imported/report.md\"},"
        + "{\"source\":\"data\",\"target\":\"imported/data\"}]}"),
        ctx.call(tool, args("source_workspace_id", A, "paths", List.of("report.md", "./data/"),
            "target_dir", "imported", "source_summary_update", "only keep.txt left",
            "target_summary_update", "report and data imported")));

    assertEquals(List.of("keep.txt"), names(a));
    assertEquals(List.of("data", "report.md"), names(current.resolve("imported")));
    assertEquals("# Report", Files.readString(current.resolve("imported/report.md")));
    assertEquals("3,4", Files.readString(current.resolve("imported/data/sub/y.csv")));
    WorkspaceRecord source = fx.registry.get(A).orElseThrow();
    WorkspaceRecord target = fx.registry.get(CURRENT).orElseThrow();
    assertEquals(T0.plusSeconds(600), source.lastContentModifiedAt());
    assertEquals(T0.plusSeconds(600), target.lastContentModifiedAt());
    assertEquals("only keep.txt left", source.summary());
    assertEquals("report and data imported", target.summary());
  }

  @Test
  void movesToTheWorkspaceRootByDefaultAndKeepsLinksAsLinks() throws Exception {
    Files.createSymbolicLink(a.resolve("latest"), Path.of("report.md"));

    ctx.call(tool, args("source_workspace_id", A, "paths", List.of("report.md", "latest")));

    assertEquals(Path.of("report.md"), Files.readSymbolicLink(current.resolve("latest")));
    assertEquals("# Report", Files.readString(current.resolve("latest")));
    assertEquals(List.of("data", "keep.txt"), names(a));
  }

  @Test
  void keepsEverySourceWhenACopyFailsMidway() throws Exception {
    write(a.resolve("big.bin"), "x".repeat(100));
    WorkspaceContentMoveTool capped = new WorkspaceContentMoveTool(fx.registries(), new CopyLimits(50, 1000));
    WorkspaceRecord before = fx.registry.get(A).orElseThrow();
    fx.clock.set(T0.plusSeconds(600));

    // report.md (8 bytes) is copied first, then big.bin passes the limit.
    assertError(TOOL, "the paths to move are larger than one move may copy (1,000 files or 50 bytes); nothing was "
        + "moved: move fewer or smaller paths per call",
        ctx.call(capped, args("source_workspace_id", A, "paths", List.of("report.md", "big.bin"), "target_dir",
            "in")));

    assertEquals(List.of("big.bin", "data", "keep.txt", "report.md"), names(a));
    assertEquals("# Report", Files.readString(a.resolve("report.md")));
    assertEquals(List.of(), names(current.resolve("in")));
    assertEquals(before, fx.registry.get(A).orElseThrow());
  }

  @Test
  void readOnlyTreesAreMovedAndRemoved() throws Exception {
    write(a.resolve("frozen/inner/f.txt"), "f");
    Files.setPosixFilePermissions(a.resolve("frozen/inner/f.txt"), PosixFilePermissions.fromString("r--r--r--"));
    Files.setPosixFilePermissions(a.resolve("frozen/inner"), PosixFilePermissions.fromString("r-xr-xr-x"));
    Files.setPosixFilePermissions(a.resolve("frozen"), PosixFilePermissions.fromString("r-xr-xr-x"));

    ctx.call(tool, args("source_workspace_id", A, "paths", List.of("frozen")));

    assertFalse(Files.exists(a.resolve("frozen")));
    assertEquals("f", Files.readString(current.resolve("frozen/inner/f.txt")));
  }

  @Test
  void theSourceMustDifferFromTheCurrentWorkspace() throws Exception {
    write(current.resolve("here.txt"), "h");
    assertError(TOOL, "source workspace must differ from the current workspace",
        ctx.call(tool, args("source_workspace_id", CURRENT, "paths", List.of("here.txt"), "target_dir", "x")));
    assertTrue(Files.exists(current.resolve("here.txt")));
  }

  @Test
  void aMissingPathMovesNothing() throws Exception {
    assertError(TOOL, "path does not exist: nope.txt",
        ctx.call(tool, args("source_workspace_id", A, "paths", List.of("report.md", "nope.txt"))));
    assertEquals(List.of("data", "keep.txt", "report.md"), names(a));
    assertFalse(Files.exists(current.resolve("report.md")));
  }

  @Test
  void pathsOnEitherSideMayNotLeaveTheirWorkspace() throws Exception {
    Files.createSymbolicLink(a.resolve("theirs"), theirs);
    assertError(TOOL, "path escapes workspace root: ../../" + THEIRS + "/files/secret.txt",
        ctx.call(tool, args("source_workspace_id", A, "paths", List.of("../../" + THEIRS + "/files/secret.txt"))));
    assertError(TOOL, "path escapes workspace root: theirs/secret.txt",
        ctx.call(tool, args("source_workspace_id", A, "paths", List.of("theirs/secret.txt"))));
    assertError(TOOL, "path escapes workspace root: " + theirs.resolve("secret.txt"),
        ctx.call(tool, args("source_workspace_id", A, "paths", List.of(theirs.resolve("secret.txt").toString()))));
    assertError(TOOL, "path escapes workspace root: ../..",
        ctx.call(tool, args("source_workspace_id", A, "paths", List.of("report.md"), "target_dir", "../..")));
    assertError(TOOL, "path must name something inside the workspace, not its root: .",
        ctx.call(tool, args("source_workspace_id", A, "paths", List.of("."))));
    assertEquals("s", Files.readString(theirs.resolve("secret.txt")));
    assertEquals(List.of("data", "keep.txt", "report.md", "theirs"), names(a));
    assertEquals(List.of(), names(current));
  }

  @Test
  void anotherConversationsWorkspaceCannotBeMovedFrom() throws Exception {
    assertError(TOOL, "workspace " + THEIRS + " not found",
        ctx.call(tool, args("source_workspace_id", THEIRS, "paths", List.of("secret.txt"))));
    assertEquals("s", Files.readString(theirs.resolve("secret.txt")));
    assertFalse(Files.exists(current.resolve("secret.txt")));
  }

  @Test
  void anExistingTargetIsNeverOverwritten() throws Exception {
    write(current.resolve("report.md"), "my own");
    assertError(TOOL, "target already exists in the current workspace: report.md; choose another target_dir or "
        + "move it away first", ctx.call(tool, args("source_workspace_id", A, "paths", List.of("data", "report.md"))));
    assertEquals("my own", Files.readString(current.resolve("report.md")));
    assertEquals(List.of("data", "keep.txt", "report.md"), names(a));
    assertEquals(List.of("report.md"), names(current));
  }

  @Test
  void overlappingOrCollidingPathsAreRefused() throws Exception {
    write(a.resolve("other/report.md"), "second");
    assertError(TOOL, "paths overlap: data and data/sub; list each file or directory once",
        ctx.call(tool, args("source_workspace_id", A, "paths", List.of("data", "data/sub"))));
    assertError(TOOL, "paths report.md and other/report.md would both land at report.md; move them in separate "
        + "calls with different target_dir",
        ctx.call(tool, args("source_workspace_id", A, "paths", List.of("report.md", "other/report.md"))));
    assertEquals(List.of("data", "keep.txt", "other", "report.md"), names(a));
  }

  @Test
  void argumentsAreValidated() throws Exception {
    assertError(TOOL, "source_workspace_id must be a non-empty string",
        ctx.call(tool, args("paths", List.of("report.md"))));
    for (Object bad : List.of(List.of(), List.of(""), List.of(1), "report.md", Map.of())) {
      assertError(TOOL, "paths must be a non-empty array of non-empty strings",
          ctx.call(tool, args("source_workspace_id", A, "paths", bad)));
    }
    assertError(TOOL, "target_summary_update must be a non-empty string", ctx.call(tool,
        args("source_workspace_id", A, "paths", List.of("report.md"), "target_summary_update", " ")));
    assertEquals(List.of("data", "keep.txt", "report.md"), names(a));
  }
}
