package partyclaw.tools.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.tool.ToolResult;
import partyclaw.tools.testing.TestToolContext;

class FileWriteToolTest {
  @TempDir Path tmp;
  TestToolContext ctx;
  final FileWriteTool tool = new FileWriteTool();

  @BeforeEach
  void setUp() {
    ctx = TestToolContext.on(tmp);
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  @Test
  void overwriteCreatesParentsAndCountsUtf8Bytes() throws Exception {
    JsonNode j = ctx.call(tool, args("file_path", "sub/dir/f.txt", "content", "héllo"));
    Path f = ctx.workspaceRoot().resolve("sub/dir/f.txt");
    assertEquals("héllo", Files.readString(f));
    assertEquals(f.toString(), j.get("file_path").asText());
    assertEquals("overwrite", j.get("mode").asText());
    assertEquals(6, j.get("bytes_written").asInt());

    ctx.call(tool, args("file_path", "sub/dir/f.txt", "content", "new"));
    assertEquals("new", Files.readString(f));
  }

  @Test
  void appendAddsToTheEnd() throws Exception {
    ctx.call(tool, args("path", "log.txt", "content", "a\n"));
    JsonNode j = ctx.call(tool, args("path", "log.txt", "content", "b\n", "mode", "append"));
    assertEquals("append", j.get("mode").asText());
    assertEquals("a\nb\n", Files.readString(ctx.workspaceRoot().resolve("log.txt")));
  }

  @Test
  void overwriteIsAtomicAndLeavesNoTempFilesAndKeepsMode() throws Exception {
    Path f = ctx.workspaceRoot().resolve("script.sh");
    Files.writeString(f, "old");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-x---"));
    long inodeBefore = (long) Files.getAttribute(f, "unix:ino");
    ctx.call(tool, args("file_path", "script.sh", "content", "new"));
    try (Stream<Path> s = Files.list(ctx.workspaceRoot())) {
      List<String> names = s.map(p -> p.getFileName().toString()).toList();
      assertEquals(List.of("script.sh"), names);
    }
    assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    // A rename puts a new inode in place: the old file was never truncated and rewritten in place.
    assertTrue(inodeBefore != (long) Files.getAttribute(f, "unix:ino"));
  }

  @Test
  void writesThroughAnInsideSymlinkKeepTheLink() throws Exception {
    Path target = ctx.workspaceRoot().resolve("target.txt");
    Files.writeString(target, "x");
    Files.createSymbolicLink(ctx.workspaceRoot().resolve("link.txt"), target);
    ctx.call(tool, args("file_path", "link.txt", "content", "via link"));
    assertTrue(Files.isSymbolicLink(ctx.workspaceRoot().resolve("link.txt")));
    assertEquals("via link", Files.readString(target));
  }

  @Test
  void refusesOutsideAndMissingArguments() throws Exception {
    Path outside = Files.createDirectories(tmp.resolveSibling(tmp.getFileName() + "-out"));
    try {
      Files.createSymbolicLink(ctx.workspaceRoot().resolve("escape"), outside);
      ToolResult r = ctx.invoke(tool, args("file_path", "escape/pwned.txt", "content", "x"));
      assertTrue(r.errored());
      assertTrue(r.content().contains("is outside the conversation workspace"), r.content());
      assertTrue(Files.notExists(outside.resolve("pwned.txt")));
      assertTrue(ctx.invoke(tool, args("file_path", "../up.txt", "content", "x")).errored());
      assertTrue(ctx.invoke(tool, args("file_path", "a.txt")).content().contains("missing required argument: content"));
    } finally {
      Files.deleteIfExists(outside);
    }
  }
}
