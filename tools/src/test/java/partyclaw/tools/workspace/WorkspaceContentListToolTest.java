package partyclaw.tools.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static partyclaw.tools.testing.TestToolContext.args;
import static partyclaw.tools.workspace.WorkspaceFixture.A;
import static partyclaw.tools.workspace.WorkspaceFixture.ME;
import static partyclaw.tools.workspace.WorkspaceFixture.OTHER;
import static partyclaw.tools.workspace.WorkspaceFixture.THEIRS;
import static partyclaw.tools.workspace.WorkspaceFixture.assertError;
import static partyclaw.tools.workspace.WorkspaceFixture.json;
import static partyclaw.tools.workspace.WorkspaceFixture.write;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.tools.testing.TestToolContext;

class WorkspaceContentListToolTest {
  static final String TOOL = "workspace_content_list";
  static final Instant MTIME = Instant.parse("2024-05-05T05:05:05.123Z");

  @TempDir Path root;
  WorkspaceFixture fx;
  TestToolContext ctx;
  WorkspaceContentListTool tool;
  Path a;

  @BeforeEach
  void setUp() throws Exception {
    fx = new WorkspaceFixture(root);
    tool = new WorkspaceContentListTool(fx.registries());
    ctx = fx.context();
    a = fx.workspace(A, ME);
    write(a.resolve("a.txt"), "hello");
    write(a.resolve(".hidden"), "");
    write(a.resolve("dir/b.txt"), "bb");
    write(a.resolve("dir/sub/c.txt"), "ccc");
    write(a.resolve("dir/sub/deeper/d.txt"), "dddd");
    Files.setLastModifiedTime(a.resolve("a.txt"), FileTime.from(MTIME));
    Path theirs = fx.workspace(THEIRS, OTHER);
    write(theirs.resolve("secret.txt"), "s");
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  @Test
  void listsThreeLevelsByDefaultSortedDepthFirst() throws Exception {
    JsonNode out = ctx.call(tool, args("workspace_id", A));

    assertEquals(A, out.get("workspace_id").asText());
    assertEquals(".", out.get("path").asText());
    assertEquals(List.of(".hidden:file", "a.txt:file", "dir:dir", "dir/b.txt:file", "dir/sub:dir",
        "dir/sub/c.txt:file", "dir/sub/deeper:dir"), pathsAndTypes(out));
    assertEquals(json("{\"path\":\"a.txt\",\"entry_type\":\"file\",\"size_bytes\":5,"
        + "\"modified_at\":\"2024-05-05T05:05:05.123Z\"}"), out.get("entries").get(1));
    assertEquals(false, out.get("entries").get(2).has("size_bytes"));
    assertEquals(false, out.has("truncated"));
  }

  @Test
  void depthZeroListsDirectChildrenAndPathNarrowsTheListing() throws Exception {
    assertEquals(List.of(".hidden:file", "a.txt:file", "dir:dir"),
        pathsAndTypes(ctx.call(tool, args("workspace_id", A, "depth", 0))));
    JsonNode sub = ctx.call(tool, args("workspace_id", A, "path", "dir/./sub", "depth", 5));
    assertEquals("dir/sub", sub.get("path").asText());
    assertEquals(List.of("dir/sub/c.txt:file", "dir/sub/deeper:dir", "dir/sub/deeper/d.txt:file"),
        pathsAndTypes(sub));
    // A malformed depth falls back to the default, as the reference's host tools do.
    assertEquals(7, ctx.call(tool, args("workspace_id", A, "depth", -1)).get("entries").size());
  }

  @Test
  void limitCutsTheListingAndIsClampedToOneToFiveHundred() throws Exception {
    JsonNode two = ctx.call(tool, args("workspace_id", A, "limit", 2));
    assertEquals(List.of(".hidden:file", "a.txt:file"), pathsAndTypes(two));
    assertEquals(true, two.get("truncated").asBoolean());
    assertEquals(List.of(".hidden:file"), pathsAndTypes(ctx.call(tool, args("workspace_id", A, "limit", 0))));
    for (int i = 0; i < 510; i++) write(a.resolve("many/f" + i), "");
    assertEquals(500, ctx.call(tool, args("workspace_id", A, "path", "many", "limit", 9999))
        .get("entries").size());
  }

  @Test
  void symlinksAreListedButNotFollowed() throws Exception {
    Files.createSymbolicLink(a.resolve("dir/link"), a.resolve("dir/sub"));
    assertEquals(List.of("dir/b.txt:file", "dir/link:symlink", "dir/sub:dir"),
        pathsAndTypes(ctx.call(tool, args("workspace_id", A, "path", "dir", "depth", 0))));
  }

  @Test
  void pathsThatLeaveTheWorkspaceAreRefused() throws Exception {
    Files.createSymbolicLink(a.resolve("out"), fx.workdir.workspaceFiles(THEIRS));
    assertError(TOOL, "path escapes workspace root: ../x", ctx.call(tool, args("workspace_id", A, "path", "../x")));
    assertError(TOOL, "path escapes workspace root: ../../" + THEIRS + "/files",
        ctx.call(tool, args("workspace_id", A, "path", "../../" + THEIRS + "/files")));
    assertError(TOOL, "path escapes workspace root: out", ctx.call(tool, args("workspace_id", A, "path", "out")));
    assertError(TOOL, "path escapes workspace root: /etc", ctx.call(tool, args("workspace_id", A, "path", "/etc")));
  }

  @Test
  void missingWorkspacesAndPathsAreReported() throws Exception {
    assertError(TOOL, "path does not exist: nope", ctx.call(tool, args("workspace_id", A, "path", "nope")));
    assertError(TOOL, "workspace 99999999-0000-4000-8000-000000000000 not found",
        ctx.call(tool, args("workspace_id", "99999999-0000-4000-8000-000000000000")));
    assertError(TOOL, "workspace ../.. not found", ctx.call(tool, args("workspace_id", "../..")));
    assertError(TOOL, "workspace_id must be a non-empty string", ctx.call(tool, "{}"));
  }

  @Test
  void anotherConversationsWorkspaceIsReportedAsNotFound() throws Exception {
    assertError(TOOL, "workspace " + THEIRS + " not found", ctx.call(tool, args("workspace_id", THEIRS)));
  }

  @Test
  void aSingleFileListsItself() throws Exception {
    JsonNode out = ctx.call(tool, args("workspace_id", A, "path", "dir/b.txt"));
    assertEquals("dir/b.txt", out.get("path").asText());
    assertEquals(List.of("dir/b.txt:file"), pathsAndTypes(out));
  }

  static List<String> pathsAndTypes(JsonNode out) {
    List<String> l = new ArrayList<>();
    for (JsonNode e : out.get("entries")) l.add(e.get("path").asText() + ":" + e.get("entry_type").asText());
    return l;
  }
}
