package partyclaw.tools.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.workspace.WorkspaceMount;
import partyclaw.tools.testing.TestToolContext;

class WorkspaceMountToolTest {
  static final String TOOL = "workspace_mount";
  static final String DEFAULT_NAME = "workspace-aaaaaaaa";

  @TempDir Path root;
  WorkspaceFixture fx;
  TestToolContext ctx;
  WorkspaceMountTool tool;
  Path current;
  Path a;

  @BeforeEach
  void setUp() throws Exception {
    fx = new WorkspaceFixture(root);
    tool = new WorkspaceMountTool(fx.registries(), CopyLimits.DEFAULT);
    ctx = fx.context();
    current = ctx.workspaceRoot();
    a = fx.workspace(A, ME);
    write(a.resolve("notes.txt"), "original notes");
    write(a.resolve("src/run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(a.resolve("src/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(a.resolve("src/relative-link"), Path.of("../notes.txt"));
    Files.createSymbolicLink(a.resolve("absolute-link"), a.resolve("notes.txt"));
    Files.createSymbolicLink(a.resolve("outside-link"), fx.workdir.workspaceFiles(THEIRS));
    Files.createSymbolicLink(a.resolve(".skill_memory"), fx.workdir.skillMemory());
    Path theirs = fx.workspace(THEIRS, OTHER);
    write(theirs.resolve("secret.txt"), "s");
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  @Test
  void mountsAReadOnlyCopyUnderTheDefaultName() throws Exception {
    fx.clock.set(T0.plusSeconds(99));
    assertEquals(json("{\"workspace_id\":\"" + A + "\",\"mount_name\":\"" + DEFAULT_NAME + "\",\"mount_path\":"
        + "\"mounts/" + DEFAULT_NAME + "\",\"read_only\":true,\"skipped_entries\":2}"),
        ctx.call(tool, args("workspace_id", A)));

    Path mount = current.resolve("mounts").resolve(DEFAULT_NAME);
    assertEquals(List.of("absolute-link", "notes.txt", "src"), names(mount));
    assertEquals(List.of("relative-link", "run.sh"), names(mount.resolve("src")));
    assertEquals("original notes", Files.readString(mount.resolve("notes.txt")));
    // Links into the source now point into the copy; links leading out of the source were left out.
    assertEquals(Path.of("../notes.txt"), Files.readSymbolicLink(mount.resolve("src/relative-link")));
    assertEquals(Path.of("notes.txt"), Files.readSymbolicLink(mount.resolve("absolute-link")));
    assertEquals(mount.resolve("notes.txt"), mount.resolve("absolute-link").toRealPath());
    assertEquals(List.of(new WorkspaceMount(DEFAULT_NAME, A, T0.plusSeconds(99))), fx.registry.mounts(CURRENT));
    assertEquals(T0.plusSeconds(99), fx.registry.get(CURRENT).orElseThrow().lastContentModifiedAt());
  }

  @Test
  void theCopyIsReadOnlyAndDetachedFromTheSource() throws Exception {
    ctx.call(tool, args("workspace_id", A));
    Path mount = current.resolve("mounts").resolve(DEFAULT_NAME);

    // The tests may run as root, whom permission bits do not stop; so the bits themselves are asserted, and the
    // write is expected to fail only for another user.
    assertEquals("r--r--r--", perms(mount.resolve("notes.txt")));
    assertEquals("r-xr-xr-x", perms(mount.resolve("src/run.sh")));
    assertEquals("r-xr-xr-x", perms(mount));
    assertEquals("r-xr-xr-x", perms(mount.resolve("src")));
    if (runningAsRoot()) {
      Files.writeString(mount.resolve("notes.txt"), "changed in the copy");
    } else {
      assertThrows(AccessDeniedException.class, () -> Files.writeString(mount.resolve("notes.txt"), "changed"));
    }
    // Whatever happened to the copy, the source is another file (the reference's live symlink would have changed it).
    assertEquals("original notes", Files.readString(a.resolve("notes.txt")));
    assertFalse(Files.isSymbolicLink(mount));
  }

  @Test
  void mountingAgainUnderTheSameNameRefreshesOurOwnMount() throws Exception {
    ctx.call(tool, args("workspace_id", A, "mount_name", "ref"));
    write(a.resolve("added-later.txt"), "new");

    assertEquals("mounts/ref", ctx.call(tool, args("workspace_id", A, "mount_name", "ref")).get("mount_path").asText());

    Path mount = current.resolve("mounts/ref");
    assertEquals(List.of("absolute-link", "added-later.txt", "notes.txt", "src"), names(mount));
    assertEquals(List.of("ref"), names(current.resolve("mounts")));
    assertEquals(1, fx.registry.mounts(CURRENT).size());
  }

  @Test
  void neverClobbersADirectoryOfTheUserWithTheSameName() throws Exception {
    write(current.resolve("mounts/ref/keep.txt"), "mine");

    assertError(TOOL, "mounts/ref already exists and is not a mount made by workspace_mount; choose another "
        + "mount_name or move it away first", ctx.call(tool, args("workspace_id", A, "mount_name", "ref")));

    assertEquals("mine", Files.readString(current.resolve("mounts/ref/keep.txt")));
    assertEquals(List.of("ref"), names(current.resolve("mounts")));
    assertEquals(List.of(), fx.registry.mounts(CURRENT));
  }

  @Test
  void refusesOurOldMountNameOnceTheUserPutTheirOwnDirectoryThere() throws Exception {
    ctx.call(tool, args("workspace_id", A, "mount_name", "ref"));
    WorkspaceFixture.deleteTree(current.resolve("mounts/ref"));
    write(current.resolve("mounts/ref/keep.txt"), "mine");

    assertEquals("mounts/ref already exists and is not a mount made by workspace_mount; choose another mount_name "
        + "or move it away first",
        ctx.call(tool, args("workspace_id", A, "mount_name", "ref")).get("error").asText());
    assertEquals("mine", Files.readString(current.resolve("mounts/ref/keep.txt")));
  }

  @Test
  void mountNamesThatAreNotOnePlainComponentAreRefusedAndNothingIsDeleted() throws Exception {
    write(current.resolve("x/keep.txt"), "x");
    write(current.resolve("mounts/a/b/keep.txt"), "b");
    for (String bad : List.of("../x", "a/b", "..", ".", "x".repeat(65), "a b", "/tmp")) {
      assertError(TOOL, "mount_name must be 1-64 letters, digits, '.', '_' or '-' (not . or ..): \""
          + bad + "\"", ctx.call(tool, args("workspace_id", A, "mount_name", bad)));
    }
    assertError(TOOL, "mount_name must be a non-empty string", ctx.call(tool, args("workspace_id", A,
        "mount_name", "")));
    assertEquals("x", Files.readString(current.resolve("x/keep.txt")));
    assertEquals("b", Files.readString(current.resolve("mounts/a/b/keep.txt")));
    assertEquals(List.of("a"), names(current.resolve("mounts")));
  }

  @Test
  void anotherConversationsWorkspaceCannotBeMounted() throws Exception {
    assertError(TOOL, "workspace " + THEIRS + " not found", ctx.call(tool, args("workspace_id", THEIRS)));
    assertFalse(Files.exists(current.resolve("mounts")));
  }

  @Test
  void theCurrentWorkspaceCannotBeMountedIntoItself() throws Exception {
    assertError(TOOL, "cannot mount the current workspace into itself",
        ctx.call(tool, args("workspace_id", CURRENT)));
  }

  @Test
  void aWorkspaceOverTheCopyLimitIsRefusedWithoutLeavingAPartialCopy() throws Exception {
    write(a.resolve("big.bin"), "x".repeat(100));
    WorkspaceMountTool capped = new WorkspaceMountTool(fx.registries(), new CopyLimits(50, 1000));

    assertError(TOOL, "workspace " + A + " is too large to mount (more than 1,000 files or 50 bytes); list it "
        + "with workspace_content_list and bring over what you need with workspace_content_move",
        ctx.call(capped, args("workspace_id", A)));

    assertEquals(List.of(), names(current.resolve("mounts")));
    assertEquals(List.of(), fx.registry.mounts(CURRENT));
  }

  @Test
  void aMountsEntryThatIsALinkIsNotWrittenThrough() throws Exception {
    Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
    Files.createSymbolicLink(current.resolve("mounts"), elsewhere);

    assertError(TOOL, "mounts in the current workspace is not a directory; move it away to mount workspaces",
        ctx.call(tool, args("workspace_id", A)));
    assertEquals(List.of(), names(elsewhere));
  }

  static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
