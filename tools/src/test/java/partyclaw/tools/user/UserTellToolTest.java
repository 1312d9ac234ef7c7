package partyclaw.tools.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolResult;
import partyclaw.tools.testing.TestToolContext;

class UserTellToolTest {
  @TempDir Path tmp;
  TestToolContext ctx;
  final UserTellTool tool = new UserTellTool();

  @BeforeEach
  void setUp() {
    ctx = TestToolContext.on(tmp);
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  @Test
  void sendsTheTextNow() throws Exception {
    ToolResult r = ctx.invoke(tool, args("text", "  working on it  "));
    assertEquals("{\n  \"ok\" : true,\n  \"sent\" : true\n}", r.content());
    assertEquals(List.of("working on it"), ctx.told());
  }

  @Test
  void attachmentsMustExistInsideAndAreRewrittenToTheirResolvedPath() throws Exception {
    Path chart = ctx.workspaceRoot().resolve("out/chart.png");
    Files.createDirectories(chart.getParent());
    Files.write(chart, new byte[] {1, 2, 3});
    JsonNode j = ctx.call(tool, args("text", "Here: <attachment> out/chart.png </attachment> done"));
    assertTrue(j.get("sent").asBoolean());
    assertEquals(List.of("Here: <attachment>" + chart + "</attachment> done"), ctx.told());
  }

  @Test
  void badAttachmentsAreErrorsAndNothingIsSent() throws Exception {
    Path outside = tmp.resolveSibling(tmp.getFileName() + "-secret.txt");
    Files.writeString(outside, "secret");
    try {
      assertTrue(error(args("text", "x <attachment>missing.pdf</attachment>")).startsWith("attachment missing.pdf does not exist"));
      assertTrue(error(args("text", "x <attachment>" + outside + "</attachment>")).contains("outside the conversation workspace"));
      assertTrue(error(args("text", "x <attachment>../" + outside.getFileName() + "</attachment>"))
          .contains("outside the conversation workspace"));
      assertTrue(error(args("text", "<attachment> </attachment>")).contains("empty"));
      assertEquals(List.of(), ctx.told());
    } finally {
      Files.deleteIfExists(outside);
    }
  }

  @Test
  void emptyTextAndSendFailuresAreErrors() throws Exception {
    assertEquals("text must be a non-empty string", error(args("text", "   ")));
    assertEquals("text must be a non-empty string", error(args()));
    ctx.teller(t -> CompletableFuture.failedFuture(new IllegalStateException("outbox unavailable")));
    assertEquals("failed to send the message to the user: outbox unavailable", error(args("text", "hi")));
  }

  private String error(String json) throws Exception {
    ToolResult r = ctx.invoke(tool, json);
    assertTrue(r.errored(), r.content());
    return Json.parse(r.content()).get("error").asText();
  }
}
