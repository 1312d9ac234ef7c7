package partyclaw.tools.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.tool.ToolException;
import partyclaw.tools.testing.TestToolContext;

class WorkspacePathsTest {
  @TempDir Path tmp;

  private TestToolContext ctx() throws Exception {
    Path ws = Files.createDirectories(tmp.resolve("ws"));
    return TestToolContext.on(ws);
  }

  @Test
  void relativeAndAbsolutePathsInsideResolve() throws Exception {
    TestToolContext ctx = ctx();
    Path root = ctx.workspaceRoot();
    assertEquals(root.resolve("a/b.txt"), WorkspacePaths.resolve(ctx, "a/b.txt"));
    assertEquals(root.resolve("a/b.txt"), WorkspacePaths.resolve(ctx, "a/./c/../b.txt"));
    assertEquals(root.resolve("x"), WorkspacePaths.resolve(ctx, root.resolve("x").toString()));
    assertEquals(root, WorkspacePaths.resolve(ctx, "."));
    assertEquals(root, WorkspacePaths.resolve(ctx, ""));
  }

  @Test
  void dotDotEscapeIsRefusedWithAHint() throws Exception {
    TestToolContext ctx = ctx();
    ToolException e = assertThrows(ToolException.class, () -> WorkspacePaths.resolve(ctx, "../secret.txt"));
    assertEquals("path ../secret.txt is outside the conversation workspace " + ctx.workspaceRoot()
        + "; use a path under the workspace (relative paths are resolved against it)", e.getMessage());
    assertThrows(ToolException.class, () -> WorkspacePaths.resolve(ctx, "a/../../.."));
    assertThrows(ToolException.class, () -> WorkspacePaths.resolve(ctx, "/etc/passwd"));
  }

  @Test
  void siblingWithTheSamePrefixIsOutside() throws Exception {
    TestToolContext ctx = ctx();
    Files.createDirectories(tmp.resolve("ws-other"));
    assertThrows(ToolException.class, () -> WorkspacePaths.resolve(ctx, "../ws-other/f"));
  }

  @Test
  void symlinkLeadingOutsideIsRefusedForExistingAndNewFiles() throws Exception {
    TestToolContext ctx = ctx();
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "s");
    Files.createSymbolicLink(ctx.workspaceRoot().resolve("link"), outside);
    Files.createSymbolicLink(ctx.workspaceRoot().resolve("filelink"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(ctx.workspaceRoot().resolve("dangling"), outside.resolve("not-yet.txt"));
    assertThrows(ToolException.class, () -> WorkspacePaths.resolve(ctx, "link/secret.txt"));
    assertThrows(ToolException.class, () -> WorkspacePaths.resolve(ctx, "link/new/deeper.txt"));
    assertThrows(ToolException.class, () -> WorkspacePaths.resolve(ctx, "filelink"));
    assertThrows(ToolException.class, () -> WorkspacePaths.resolve(ctx, "dangling"));
  }

  @Test
  void symlinkStayingInsideIsAllowedAndResolvedToItsTarget() throws Exception {
    TestToolContext ctx = ctx();
    Path real = Files.createDirectories(ctx.workspaceRoot().resolve("real"));
    Files.createSymbolicLink(ctx.workspaceRoot().resolve("alias"), real);
    assertEquals(real.resolve("f.txt"), WorkspacePaths.resolve(ctx, "alias/f.txt"));
  }

  @Test
  void symlinkLoopIsRefusedNotHung() throws Exception {
    TestToolContext ctx = ctx();
    Path root = ctx.workspaceRoot();
    Files.createSymbolicLink(root.resolve("l1"), root.resolve("l2"));
    Files.createSymbolicLink(root.resolve("l2"), root.resolve("l1"));
    assertThrows(ToolException.class, () -> WorkspacePaths.resolve(ctx, "l1"));
  }

  @Test
  void relativizeGivesSlashSeparatedWorkspacePaths() throws Exception {
    TestToolContext ctx = ctx();
    assertEquals("a/b", WorkspacePaths.relativize(ctx, ctx.workspaceRoot().resolve("a/b")));
  }
}
