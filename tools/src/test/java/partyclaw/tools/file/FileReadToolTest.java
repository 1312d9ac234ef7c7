package partyclaw.tools.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolResult;
import partyclaw.tools.testing.TestToolContext;

class FileReadToolTest {
  @TempDir Path tmp;
  TestToolContext ctx;
  final FileReadTool tool = new FileReadTool();

  @BeforeEach
  void setUp() {
    ctx = TestToolContext.on(tmp);
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  private Path write(String name, String content) throws Exception {
    Path p = ctx.workspaceRoot().resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  @Test
  void readsNumberedLinesAndStripsCarriageReturns() throws Exception {
    Path p = write("a.txt", "one\r\ntwo\nthree\n");
    ToolResult r = ctx.invoke(tool, args("file_path", "a.txt"));
    assertFalse(r.errored());
    JsonNode j = ctx.call(tool, args("file_path", "a.txt"));
    assertEquals(p.toString(), j.get("file_path").asText());
    assertEquals(1, j.get("start_line").asInt());
    assertEquals(3, j.get("end_line").asInt());
    assertEquals(3, j.get("total_lines").asInt());
    assertEquals("1: one\n2: two\n3: three", j.get("content").asText());
    assertFalse(j.has("truncated"), "flags appear only when true");
  }

  @Test
  void offsetLimitAndAliases() throws Exception {
    write("n.txt", IntStream.rangeClosed(1, 10).mapToObj(i -> "l" + i).collect(Collectors.joining("\n")));
    JsonNode j = ctx.call(tool, args("path", "n.txt", "offset", 3, "limit", 2));
    assertEquals("3: l3\n4: l4", j.get("content").asText());
    assertEquals(3, j.get("start_line").asInt());
    assertEquals(4, j.get("end_line").asInt());
    assertTrue(j.get("truncated").asBoolean());
    assertTrue(j.get("truncated_by_lines").asBoolean());

    JsonNode zeroBased = ctx.call(tool, args("file_path", "n.txt", "offset_lines", 2, "limit_lines", 1));
    assertEquals("3: l3", zeroBased.get("content").asText());

    JsonNode zero = ctx.call(tool, args("file_path", "n.txt", "offset", 0, "limit", 1));
    assertEquals(0, zero.get("start_line").asInt());
    assertEquals("1: l1", zero.get("content").asText());
  }

  @Test
  void longLinesAreCut() throws Exception {
    write("long.txt", "x".repeat(2500) + "\nshort");
    JsonNode j = ctx.call(tool, args("file_path", "long.txt"));
    String first = j.get("content").asText().split("\n")[0];
    assertEquals("1: " + "x".repeat(2000) + "...", first);
    assertTrue(j.get("truncated_long_lines").asBoolean());
    assertTrue(j.get("truncated").asBoolean());
    assertFalse(j.has("truncated_by_lines"));
  }

  @Test
  void bigFilesNeedAWindowAndAreCappedByBytes() throws Exception {
    String line = "y".repeat(999);
    write("big.txt", IntStream.range(0, 400).mapToObj(i -> line).collect(Collectors.joining("\n")));
    ToolResult refused = ctx.invoke(tool, args("file_path", "big.txt"));
    assertTrue(refused.errored());
    assertTrue(refused.content().contains("big.txt is 399999 bytes, which exceeds the direct-read limit of 262144 "
        + "bytes; provide offset and/or limit"), refused.content());

    JsonNode j = ctx.call(tool, args("file_path", "big.txt", "limit", 2000));
    assertTrue(j.get("truncated_by_bytes").asBoolean());
    assertTrue(j.get("content").asText().getBytes().length <= 262_144);
    assertEquals(400, j.get("total_lines").asInt());
    assertTrue(j.get("end_line").asInt() < 400);
  }

  @Test
  void errors() throws Exception {
    Files.createDirectories(ctx.workspaceRoot().resolve("d"));
    Files.write(ctx.workspaceRoot().resolve("bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
    Path root = ctx.workspaceRoot();
    assertError(args("file_path", "d"), root.resolve("d") + " is a directory, not a file");
    assertError(args("file_path", "missing.txt"), "failed to stat " + root.resolve("missing.txt"));
    assertError(args("file_path", "bin"), "failed to read " + root.resolve("bin"));
    assertError(args("file_path", "bin", "encoding", "latin-1"), "only utf-8 encoding is supported");
    assertError(args(), "missing required argument: file_path");
    assertError(args("file_path", "a", "limit", -1), "argument limit must be an integer (a non-negative whole number)");
    ToolResult outside = ctx.invoke(tool, args("file_path", "../x"));
    assertTrue(outside.content().contains("is outside the conversation workspace"), outside.content());
  }

  private void assertError(String json, String message) throws Exception {
    ToolResult r = ctx.invoke(tool, json);
    assertTrue(r.errored());
    JsonNode j = Json.parse(r.content());
    assertEquals(message, j.get("error").asText());
    assertEquals("file_read", j.get("tool").asText());
  }
}
