package partyclaw.tools.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.tool.ToolResult;
import partyclaw.tools.testing.TestToolContext;

class LsToolTest {
  @TempDir Path tmp;
  TestToolContext ctx;
  Path root;
  final LsTool tool = new LsTool();

  @BeforeEach
  void setUp() {
    ctx = TestToolContext.on(tmp);
    root = ctx.workspaceRoot();
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  private void touch(String rel) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, "");
  }

  @Test
  void rendersAnIndentedSortedTreeAsPlainText() throws Exception {
    touch("proj/a.txt");
    touch("proj/a/b.txt");
    touch("proj/z/deep/x.py");
    touch("proj/.hidden/h.txt");
    touch("proj/.env");
    touch("proj/node_modules/m.js");
    touch("proj/target/t.class");
    touch("proj/build.gradle");
    ToolResult r = ctx.invoke(tool, args("path", "proj"));
    assertFalse(r.errored());
    String expected = "num_entries: 7\n\n"
        + "- " + root.resolve("proj") + "/\n"
        + "  - a/\n"
        + "    - b.txt\n"
        + "  - a.txt\n"
        + "  - build.gradle\n"
        + "  - z/\n"
        + "    - deep/\n"
        + "      - x.py\n";
    assertEquals(expected, r.content(), "raw text, not JSON");
  }

  @Test
  void truncatesAtOneThousandEntries() throws Exception {
    for (int i = 0; i < 1005; i++) touch(String.format("big/f%04d", i));
    String out = ctx.invoke(tool, args("path", "big")).content();
    assertTrue(out.startsWith("num_entries: >1000\ntruncated: true\n"), out.substring(0, 80));
    assertEquals(1000, out.lines().filter(l -> l.startsWith("  - ")).count());
    assertTrue(out.contains("  - f0999\n"));
    assertFalse(out.contains("f1000"));
  }

  @Test
  void errors() throws Exception {
    touch("file.txt");
    assertTrue(ctx.invoke(tool, args("path", "file.txt")).content()
        .contains(root.resolve("file.txt") + " is not a directory"));
    assertTrue(ctx.invoke(tool, args("path", "missing")).content()
        .contains(root.resolve("missing") + " does not exist"));
    assertTrue(ctx.invoke(tool, args("path", "/")).content().contains("outside the conversation workspace"));
    assertTrue(ctx.invoke(tool, args()).content().contains("missing required argument: path"));
  }
}
