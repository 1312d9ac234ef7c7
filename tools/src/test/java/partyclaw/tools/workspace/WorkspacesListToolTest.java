package partyclaw.tools.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static partyclaw.tools.testing.TestToolContext.args;
import static partyclaw.tools.workspace.WorkspaceFixture.A;
import static partyclaw.tools.workspace.WorkspaceFixture.B;
import static partyclaw.tools.workspace.WorkspaceFixture.ME;
import static partyclaw.tools.workspace.WorkspaceFixture.OTHER;
import static partyclaw.tools.workspace.WorkspaceFixture.T0;
import static partyclaw.tools.workspace.WorkspaceFixture.THEIRS;
import static partyclaw.tools.workspace.WorkspaceFixture.assertError;
import static partyclaw.tools.workspace.WorkspaceFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.testing.TestToolContext;

class WorkspacesListToolTest {
  static final String OLD = "eeeeeeee-5555-4000-8000-000000000005";

  @TempDir Path root;
  WorkspaceFixture fx;
  TestToolContext ctx;
  WorkspacesListTool tool;

  @BeforeEach
  void setUp() {
    fx = new WorkspaceFixture(root);
    tool = new WorkspacesListTool(fx.registries());
    fx.clock.set(T0.minus(Duration.ofDays(40)));
    fx.workspace(OLD, ME);
    fx.clock.set(T0);
    ctx = fx.context();
    assertEquals(List.of(OLD), fx.registry.archiveUnused(Duration.ofDays(30), Set.of(WorkspaceFixture.CURRENT)));
    fx.clock.set(T0.plusSeconds(10));
    fx.workspace(A, ME);
    fx.registry.updateTitle(A, "Taxes 2023");
    fx.registry.updateSummary(A, "Quarterly REPORT and receipts");
    fx.clock.set(T0.plusSeconds(20));
    fx.workspace(B, ME);
    fx.clock.set(T0.plusSeconds(30));
    fx.workspace(THEIRS, OTHER);
    fx.registry.updateSummary(THEIRS, "their report");
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  static String entry(String id, String title, String summary, String state, String updated, String modified) {
    return "{\"workspace_id\":\"" + id + "\",\"title\":\"" + title + "\",\"summary\":\"" + summary
        + "\",\"state\":\"" + state + "\",\"updated_at\":\"" + updated + "\",\"last_content_modified_at\":\""
        + modified + "\"}";
  }

  static final String ENTRY_A = entry(A, "Taxes 2023", "Quarterly REPORT and receipts", "active",
      "2024-06-01T08:00:10Z", "2024-06-01T08:00:10Z");
  static final String ENTRY_B = entry(B, "", "", "active", "2024-06-01T08:00:20Z", "2024-06-01T08:00:20Z");
  static final String ENTRY_OLD = entry(OLD, "", "", "archived", "2024-04-22T08:00:00Z", "2024-04-22T08:00:00Z");

  @Test
  void listsTheCallersOtherWorkspacesNewestFirstWithoutArchivedOnes() throws Exception {
    assertEquals(json("{\"workspaces\":[" + ENTRY_B + "," + ENTRY_A + "]}"), ctx.call(tool, "{}"));
    assertEquals(ToolMode.IMMEDIATE, tool.mode());
  }

  @Test
  void includesArchivedOnesOnRequest() throws Exception {
    assertEquals(json("{\"workspaces\":[" + ENTRY_B + "," + ENTRY_A + "," + ENTRY_OLD + "]}"),
        ctx.call(tool, args("include_archived", true)));
  }

  @Test
  void queryIsACaseInsensitiveSubstringOfIdTitleOrSummary() throws Exception {
    assertEquals(json("{\"workspaces\":[" + ENTRY_A + "]}"), ctx.call(tool, args("query", "report")));
    assertEquals(json("{\"workspaces\":[" + ENTRY_A + "]}"), ctx.call(tool, args("query", "TAXES")));
    assertEquals(json("{\"workspaces\":[" + ENTRY_B + "]}"), ctx.call(tool, args("query", "bbbbbbbb-2222")));
  }

  @Test
  void anotherConversationsWorkspacesAreInvisible() throws Exception {
    assertEquals(json("{\"workspaces\":[]}"), ctx.call(tool, args("query", "their")));
    assertEquals(json("{\"workspaces\":[]}"), ctx.call(tool, args("query", THEIRS)));
    TestToolContext theirs = TestToolContext.on(fx.workspace(B, ME)).withWorkdir(root).withConversationId(OTHER);
    // OTHER, working anywhere, sees only its own workspace.
    assertEquals(List.of(THEIRS), ids(theirs.call(tool, "{}")));
  }

  @Test
  void aWorkspaceWhoseFilesAreGoneIsNotListed() throws Exception {
    WorkspaceFixture.deleteTree(fx.workdir.workspacesDir().resolve(B));
    assertEquals(List.of(A), ids(ctx.call(tool, "{}")));
  }

  @Test
  void anEmptyQueryIsRefused() throws Exception {
    assertError("workspaces_list", "query must be a non-empty string", ctx.call(tool, args("query", " ")));
  }

  @Test
  void theDefaultToolUsesTheSharedRegistryOfTheWorkdir() throws Exception {
    assertEquals(List.of(B, A), ids(ctx.call(new WorkspacesListTool(), "{}")));
  }

  static List<String> ids(JsonNode result) {
    return result.get("workspaces").findValuesAsText("workspace_id");
  }
}
