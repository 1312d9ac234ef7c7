package partyclaw.tools.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolResult;
import partyclaw.tools.testing.TestToolContext;

class GlobAndGrepToolTest {
  @TempDir Path tmp;
  TestToolContext ctx;
  Path root;
  final GlobTool glob = new GlobTool();
  final GrepTool grep = new GrepTool();

  @BeforeEach
  void setUp() {
    ctx = TestToolContext.on(tmp.resolve(".").normalize());
    root = ctx.workspaceRoot();
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  private Path file(String rel, String content, long mtimeSeconds) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    Files.setLastModifiedTime(p, FileTime.fromMillis(mtimeSeconds * 1000));
    return p;
  }

  private static List<String> names(JsonNode j) {
    List<String> out = new ArrayList<>();
    j.get("filenames").forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void globSortsNewestFirstThenByPath() throws Exception {
    Path old = file("b/old.txt", "x", 1_000);
    Path newer = file("a/new.txt", "x", 2_000);
    Path sameA = file("c/z.txt", "x", 1_500);
    Path sameB = file("c.txt", "x", 1_500);
    file("skip.md", "x", 3_000);
    JsonNode j = ctx.call(glob, args("pattern", "*.txt"));
    assertEquals(List.of(newer.toString(), sameA.toString(), sameB.toString(), old.toString()), names(j));
    assertEquals(4, j.get("num_files").asInt());
    assertEquals(root.toString(), j.get("path").asText());
    assertFalse(j.has("truncated"));
  }

  @Test
  void globCapsAtOneHundred() throws Exception {
    for (int i = 0; i < 105; i++) file("many/f" + i + ".log", "", 1_000 + i);
    JsonNode j = ctx.call(glob, args("pattern", "**/*.log", "path", "many"));
    assertEquals(105, j.get("num_files").asInt());
    assertTrue(j.get("truncated").asBoolean());
    assertEquals(100, j.get("filenames").size());
    assertEquals(root.resolve("many/f104.log").toString(), j.get("filenames").get(0).asText());
  }

  @Test
  void walksDoNotFollowSymlinks() throws Exception {
    Path outside = Files.createDirectories(tmp.resolveSibling(tmp.getFileName() + "-outside"));
    try {
      Files.writeString(outside.resolve("secret.txt"), "needle");
      Files.createSymbolicLink(root.resolve("out"), outside);
      Files.createSymbolicLink(root.resolve("direct.txt"), outside.resolve("secret.txt"));
      file("in.txt", "needle", 1_000);
      assertEquals(List.of(root.resolve("in.txt").toString()), names(ctx.call(glob, args("pattern", "**/*.txt"))));
      assertEquals(List.of(root.resolve("in.txt").toString()), names(ctx.call(grep, args("pattern", "needle"))));
    } finally {
      Files.deleteIfExists(outside.resolve("secret.txt"));
      Files.deleteIfExists(outside);
    }
  }

  @Test
  void globErrors() throws Exception {
    assertEquals("invalid glob pattern: [x", error(glob, args("pattern", "[x")));
    assertEquals(root.resolve("nope") + " does not exist", error(glob, args("pattern", "*", "path", "nope")));
    assertTrue(error(glob, args("pattern", "*", "path", "..")).contains("outside the conversation workspace"));
  }

  @Test
  void grepListsMatchingFilesWithIncludeAndSkipsBinary() throws Exception {
    Path a = file("src/A.java", "class A { int needle; }", 2_000);
    file("src/B.java", "class B {}", 2_000);
    Path notes = file("notes.md", "a NEEDLE\nand needle", 1_000);
    Files.write(root.resolve("blob.bin"), new byte[] {(byte) 0xff, 'n', 'e', 'e', 'd', 'l', 'e'});
    JsonNode all = ctx.call(grep, args("pattern", "need(?P<rest>le)"));
    assertEquals(List.of(a.toString(), notes.toString()), names(all));
    assertFalse(all.has("include"));

    JsonNode onlyJava = ctx.call(grep, args("pattern", "needle", "include", "*.java"));
    assertEquals(List.of(a.toString()), names(onlyJava));
    assertEquals("*.java", onlyJava.get("include").asText());
    assertEquals(1, onlyJava.get("num_files").asInt());

    JsonNode multiline = ctx.call(grep, args("pattern", "(?m)^and"));
    assertEquals(List.of(notes.toString()), names(multiline));
  }

  @Test
  void grepMatchesEachLineOnItsOwn() throws Exception {
    Path lines = file("lines.txt", "alpha\r\nbeta\r\ngamma", 1_000);
    file("other.txt", "alphabeta", 2_000);
    assertEquals(List.of(lines.toString()), names(ctx.call(grep, args("pattern", "^beta$"))));
    assertEquals(List.of(), names(ctx.call(grep, args("pattern", "alpha\\s+beta"))), "no match spans lines");
  }

  @Test
  void grepStreamsFilesLargerThanAWholeFileReadCouldHold() throws Exception {
    // 65 MiB of zero bytes (valid UTF-8) with the needle at the very end: above the old 64 MiB whole-file limit.
    Path big = root.resolve("big.log");
    long size = 65L * 1024 * 1024;
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(size);
      f.seek(size);
      f.write("\nthe needle\n".getBytes(StandardCharsets.UTF_8));
    }
    file("small.txt", "no match here", 1_000);
    assertEquals(List.of(big.toString()), names(ctx.call(grep, args("pattern", "needle$"))));
  }

  @Test
  void grepFindsAMatchDeepInsideAVeryLongLine() throws Exception {
    String line = "x".repeat(GrepTool.MAX_LINE_CHARS * 2 + 10) + "needle" + "y".repeat(100);
    Path longLine = file("min.js", line, 1_000);
    assertEquals(List.of(longLine.toString()), names(ctx.call(grep, args("pattern", "needle"))));
  }

  @Test
  void grepSkipsAFileThatIsNotUtf8AfterItsMatch() throws Exception {
    Path mixed = root.resolve("mixed.txt");
    byte[] head = "needle\n".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = java.util.Arrays.copyOf(head, head.length + 20_000);
    bytes[bytes.length - 1] = (byte) 0xff;
    Files.write(mixed, bytes);
    Path ok = file("ok.txt", "needle", 1_000);
    assertEquals(List.of(ok.toString()), names(ctx.call(grep, args("pattern", "needle"))));
  }

  @Test
  void grepMatchesAnEmptyFileAsOneEmptyText() throws Exception {
    Path empty = file("empty.txt", "", 1_000);
    file("full.txt", "abc", 2_000);
    assertEquals(List.of(empty.toString()), names(ctx.call(grep, args("pattern", "^$"))));
  }

  @Test
  void grepErrors() throws Exception {
    assertEquals("invalid regex pattern: (unclosed", error(grep, args("pattern", "(unclosed")));
    assertEquals("invalid glob pattern: {x", error(grep, args("pattern", "x", "include", "{x")));
    assertEquals("missing required argument: pattern", error(grep, args()));
  }

  private String error(Tool tool, String json) throws Exception {
    ToolResult r = ctx.invoke(tool, json);
    assertTrue(r.errored(), r.content());
    return Json.parse(r.content()).get("error").asText();
  }
}
