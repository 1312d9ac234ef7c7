package partyclaw.tools.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolMode;
import partyclaw.core.tool.ToolResult;
import partyclaw.core.workdir.Workdir;
import partyclaw.tools.testing.TestToolContext;

class SharedProfileUploadToolTest {
  @TempDir Path tmp;
  TestToolContext ctx;
  Workdir w;
  Path ws;
  final SharedProfileUploadTool tool = new SharedProfileUploadTool();

  @BeforeEach
  void setUp() throws Exception {
    ws = Files.createDirectories(tmp.resolve("ws"));
    ctx = TestToolContext.on(ws).withWorkdir(tmp.resolve("workdir"));
    w = ctx.workdir();
    ws = ctx.workspaceRoot();
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  @Test
  void isAnImmediateToolWithoutArguments() {
    assertEquals("shared_profile_upload", tool.name());
    assertEquals(ToolMode.IMMEDIATE, tool.mode());
    assertEquals("{\"type\":\"object\",\"properties\":{},\"required\":[],\"additionalProperties\":false}",
        Json.write(tool.parameters()));
  }

  @Test
  void copiesChangedFilesToTheSharedProfile() throws Exception {
    Files.createDirectories(w.agentDir());
    Files.writeString(w.sharedUserProfile(), "---\nname: Ada\n---\n");
    Files.writeString(w.sharedIdentity(), "I am Claw.");
    Files.writeString(ws.resolve("USER.md"), "---\nname: Ada Lovelace\n---\n");
    Files.writeString(ws.resolve("IDENTITY.md"), "I am Claw.");

    JsonNode r = ctx.call(tool, "{}");

    assertEquals(Json.parse("{\"user_md\":{\"changed\":true,\"workspace_path\":" + quoted(ws.resolve("USER.md"))
        + ",\"shared_path\":" + quoted(w.sharedUserProfile()) + "},\"identity_md\":{\"changed\":false,"
        + "\"workspace_path\":" + quoted(ws.resolve("IDENTITY.md")) + ",\"shared_path\":" + quoted(w.sharedIdentity())
        + "},\"chat_version_rotated\":true,\"current_turn_prompt_refreshed\":false,\"note\":"
        + quoted(SharedProfileUploadTool.UPDATED_NOTE) + "}"), r);
    assertEquals("---\nname: Ada Lovelace\n---\n", Files.readString(w.sharedUserProfile()));
    assertEquals("I am Claw.", Files.readString(w.sharedIdentity()));
  }

  @Test
  void createsMissingSharedFiles() throws Exception {
    Files.writeString(ws.resolve("USER.md"), "u");
    Files.writeString(ws.resolve("IDENTITY.md"), "i");
    JsonNode r = ctx.call(tool, "{}");
    assertEquals(true, r.at("/user_md/changed").asBoolean());
    assertEquals(true, r.at("/identity_md/changed").asBoolean());
    assertEquals("u", Files.readString(w.sharedUserProfile()));
    assertEquals("i", Files.readString(w.sharedIdentity()));
  }

  @Test
  void identicalFilesChangeNothing() throws Exception {
    Files.createDirectories(w.agentDir());
    for (String name : new String[] {"USER.md", "IDENTITY.md"}) {
      Files.writeString(w.agentDir().resolve(name), "same " + name);
      Files.writeString(ws.resolve(name), "same " + name);
    }
    JsonNode r = ctx.call(tool, "{}");
    assertFalse(r.at("/user_md/changed").asBoolean());
    assertFalse(r.at("/identity_md/changed").asBoolean());
    assertFalse(r.get("chat_version_rotated").asBoolean());
    assertEquals(SharedProfileUploadTool.UNCHANGED_NOTE, r.get("note").asText());
  }

  @Test
  void aMissingWorkspaceCopyIsAnErrorAndNothingIsWritten() throws Exception {
    Files.writeString(ws.resolve("USER.md"), "new user");
    ToolResult r = ctx.invoke(tool, "{}");
    assertEquals(Json.parse("{\"error\":" + quoted("IDENTITY.md is missing from the workspace ("
        + ws.resolve("IDENTITY.md") + "); create it there first") + ",\"tool\":\"shared_profile_upload\"}"),
        Json.parse(r.content()));
    assertFalse(Files.exists(w.sharedUserProfile()));
  }

  @Test
  void aWorkspaceCopyLinkingOutsideIsRefused() throws Exception {
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(ws.resolve("USER.md"), secret);
    Files.writeString(ws.resolve("IDENTITY.md"), "i");
    ToolResult r = ctx.invoke(tool, "{}");
    assertEquals("path USER.md is outside the conversation workspace " + ws
        + "; use a path under the workspace (relative paths are resolved against it)",
        Json.parse(r.content()).get("error").asText());
    assertFalse(Files.exists(w.sharedUserProfile()));
  }

  private static String quoted(Object o) {
    return Json.write(o.toString());
  }
}
