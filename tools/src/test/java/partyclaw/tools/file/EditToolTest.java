package partyclaw.tools.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolResult;
import partyclaw.tools.testing.TestToolContext;

class EditToolTest {
  @TempDir Path tmp;
  TestToolContext ctx;
  Path file;
  final EditTool tool = new EditTool();

  @BeforeEach
  void setUp() throws Exception {
    ctx = TestToolContext.on(tmp);
    file = ctx.workspaceRoot().resolve("code.txt");
    Files.writeString(file, "alpha beta\nalpha gamma\n");
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  @Test
  void replacesAUniqueMatchLiterally() throws Exception {
    JsonNode j = ctx.call(tool, args("path", "code.txt", "old_text", "beta", "new_text", "$1 \\ x"));
    assertEquals("alpha $1 \\ x\nalpha gamma\n", Files.readString(file));
    assertEquals(file.toString(), j.get("path").asText());
    assertFalse(j.get("created").asBoolean());
    assertEquals(1, j.get("replacements").asInt());
    assertEquals(Files.size(file), j.get("bytes_written").asLong());
    try (Stream<Path> s = Files.list(ctx.workspaceRoot())) {
      assertEquals(1, s.count(), "no temp file is left next to the edited file");
    }
  }

  @Test
  void ambiguousAndMissingMatchesAreErrors() throws Exception {
    assertEquals("old_text matched 2 locations in " + file
        + "; include more surrounding context or set replace_all=true", error(args("path", "code.txt",
        "old_text", "alpha", "new_text", "x")));
    assertEquals("old_text was not found in " + file, error(args("path", "code.txt", "old_text", "delta",
        "new_text", "x")));
    assertEquals("alpha beta\nalpha gamma\n", Files.readString(file), "a failed edit changes nothing");
  }

  @Test
  void replaceAllCountsNonOverlappingMatches() throws Exception {
    Files.writeString(file, "aaaa");
    JsonNode j = ctx.call(tool, args("path", "code.txt", "old_text", "aa", "new_text", "b", "replace_all", true));
    assertEquals(2, j.get("replacements").asInt());
    assertEquals("bb", Files.readString(file));
  }

  @Test
  void createIfMissingWritesNewText() throws Exception {
    JsonNode j = ctx.call(tool, args("path", "new/file.md", "old_text", "", "new_text", "hello",
        "create_if_missing", true));
    assertTrue(j.get("created").asBoolean());
    assertEquals(1, j.get("replacements").asInt());
    assertEquals(5, j.get("bytes_written").asInt());
    assertEquals("hello", Files.readString(ctx.workspaceRoot().resolve("new/file.md")));
    assertEquals("failed to read " + ctx.workspaceRoot().resolve("nope.md"),
        error(args("path", "nope.md", "old_text", "a", "new_text", "b")));
  }

  @Test
  void aFileAboveTheSizeLimitIsRefusedUnchangedAndOneAtTheLimitIsEdited() throws Exception {
    Path big = ctx.workspaceRoot().resolve("big.txt");
    sparse(big, "needle", EditTool.MAX_FILE_BYTES + 1L);
    assertEquals(big + " is " + (EditTool.MAX_FILE_BYTES + 1L) + " bytes, which exceeds the edit limit of "
            + EditTool.MAX_FILE_BYTES + " bytes; use apply_patch to change a file this large",
        error(args("path", "big.txt", "old_text", "needle", "new_text", "thread")));
    assertEquals("needle", new String(Files.readAllBytes(big), 0, 6, StandardCharsets.UTF_8), "left unchanged");

    Path limit = ctx.workspaceRoot().resolve("limit.txt");
    sparse(limit, "needle", EditTool.MAX_FILE_BYTES);
    JsonNode j = ctx.call(tool, args("path", "limit.txt", "old_text", "needle", "new_text", "thread"));
    assertEquals(EditTool.MAX_FILE_BYTES, j.get("bytes_written").asLong(), j.toString());
  }

  /** {@code size} bytes: {@code head}, then zero bytes (valid UTF-8), without writing them all. */
  private static void sparse(Path file, String head, long size) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.write(head.getBytes(StandardCharsets.UTF_8));
      f.setLength(size);
    }
  }

  @Test
  void outsideIsRefused() throws Exception {
    String e = error(args("path", "../../etc/hosts", "old_text", "a", "new_text", "b"));
    assertTrue(e.contains("is outside the conversation workspace"), e);
  }

  private String error(String json) throws Exception {
    ToolResult r = ctx.invoke(tool, json);
    assertTrue(r.errored(), r.content());
    return Json.parse(r.content()).get("error").asText();
  }
}
