package partyclaw.tools.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolResult;
import partyclaw.tools.testing.TestToolContext;

class ApplyPatchToolTest {
  static final String PLAIN = """
      --- src/hello.txt\t2024-01-01 00:00:00
      +++ src/hello.txt\t2024-01-01 00:00:01
      @@ -1,2 +1,2 @@
       hello
      -world
      +partyclaw
      """;

  static final String GIT = """
      diff --git a/src/hello.txt b/src/hello.txt
      index 1111111..2222222 100644
      --- a/src/hello.txt
      +++ b/src/hello.txt
      @@ -1,2 +1,2 @@
       hello
      -world
      +partyclaw
      diff --git a/src/added.txt b/src/added.txt
      new file mode 100644
      --- /dev/null
      +++ b/src/added.txt
      @@ -0,0 +1 @@
      +new file
      """;

  @TempDir Path tmp;
  TestToolContext ctx;
  Path hello;
  final ApplyPatchTool tool = new ApplyPatchTool();

  @BeforeEach
  void setUp() throws Exception {
    ctx = TestToolContext.on(tmp);
    hello = ctx.workspaceRoot().resolve("src/hello.txt");
    Files.createDirectories(hello.getParent());
    Files.writeString(hello, "hello\nworld\n");
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  @Test
  void plainDiffAppliesWithStripZero() throws Exception {
    JsonNode j = ctx.call(tool, args("patch", PLAIN));
    assertTrue(j.get("applied").asBoolean(), j.toString());
    assertEquals(0, j.get("returncode").asInt());
    assertEquals("hello\npartyclaw\n", Files.readString(hello));
  }

  @Test
  void gitDiffWithPrefixesIsDetectedWithoutStrip() throws Exception {
    JsonNode j = ctx.call(tool, args("patch", GIT));
    assertTrue(j.get("applied").asBoolean(), j.toString());
    assertEquals("hello\npartyclaw\n", Files.readString(hello));
    assertEquals("new file\n", Files.readString(ctx.workspaceRoot().resolve("src/added.txt")));
  }

  @Test
  void checkChangesNothingAndReverseUndoes() throws Exception {
    JsonNode check = ctx.call(tool, args("patch", GIT, "check", true));
    assertTrue(check.get("applied").asBoolean());
    assertEquals("hello\nworld\n", Files.readString(hello));

    ctx.call(tool, args("patch", PLAIN));
    JsonNode back = ctx.call(tool, args("patch", PLAIN, "reverse", true));
    assertTrue(back.get("applied").asBoolean(), back.toString());
    assertEquals("hello\nworld\n", Files.readString(hello));
  }

  @Test
  void rejectedPatchIsAResultNotAToolError() throws Exception {
    Files.writeString(hello, "something else\n");
    ToolResult r = ctx.invoke(tool, args("patch", PLAIN));
    assertFalse(r.errored(), r.content());
    JsonNode j = Json.parse(r.content());
    assertFalse(j.get("applied").asBoolean());
    assertTrue(j.get("returncode").asInt() != 0);
    assertFalse(j.get("stderr").asText().isEmpty());
  }

  @Test
  void explicitStripOverridesDetection() throws Exception {
    JsonNode j = ctx.call(tool, args("patch", GIT, "strip", 0, "check", true));
    assertFalse(j.get("applied").asBoolean(), "with -p0 the a/ prefix is part of the name and nothing matches");
  }

  @Test
  void patchNamingAFileOutsideTheWorkspaceIsRefused() throws Exception {
    String escape = """
        --- ../escaped.txt
        +++ ../escaped.txt
        @@ -0,0 +1 @@
        +pwned
        """;
    ToolResult r = ctx.invoke(tool, args("patch", escape));
    assertTrue(r.errored());
    assertTrue(r.content().contains("patch refused"), r.content());
    assertTrue(Files.notExists(tmp.getParent().resolve("escaped.txt")));
  }

  @Test
  void hunkLinesThatLookLikeHeadersDoNotConfuseDetection() {
    String sql = """
        --- a/q.sql
        +++ b/q.sql
        @@ -1,2 +1 @@
        --- a comment
         select 1;
        """;
    var headers = PatchPaths.headers(sql);
    assertEquals(2, headers.size());
    assertEquals(1, PatchPaths.detectStrip(headers));
    assertEquals("q.sql", PatchPaths.stripped(headers.get(0), 1));
  }

  @Test
  void quotedGitNamesAreUnquoted() {
    assertEquals("a/sp ace\tx", PatchPaths.unquote("\"a/sp ace\\tx\""));
    assertEquals("a/é", PatchPaths.unquote("\"a/\\303\\251\""));
  }
}
