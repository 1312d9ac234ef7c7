package partyclaw.tools.remote;

import partyclaw.testkit.LoopbackSshd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.tool.ToolResult;
import partyclaw.tools.file.ApplyPatchTool;
import partyclaw.tools.file.EditTool;
import partyclaw.tools.file.FileReadTool;
import partyclaw.tools.file.FileWriteTool;
import partyclaw.tools.search.GlobTool;
import partyclaw.tools.search.GrepTool;
import partyclaw.tools.search.LsTool;
import partyclaw.tools.testing.TestToolContext;

/**
 * The remote argument and the workpath tools against a real OpenSSH server on a loopback port (tools.md §1.5, §4.1),
 * reached through {@code AGENT_HOST_SSH_BIN}.
 */
class RemoteToolsTest {
  @TempDir static Path sshDir;
  static LoopbackSshd sshd;
  @TempDir Path workspace;
  @TempDir Path remoteDir;
  TestToolContext ctx;

  @BeforeAll
  static void startSshd() throws Exception {
    sshd = LoopbackSshd.start(sshDir);
  }

  @AfterAll
  static void stopSshd() throws Exception {
    if (sshd != null) sshd.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    ctx = TestToolContext.on(workspace, Map.of("AGENT_HOST_SSH_BIN", sshd.sshWrapper.toString()));
    remoteDir = remoteDir.toRealPath();
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  JsonNode addWorkpath() throws InterruptedException {
    return ctx.call(new WorkpathAddTool(), args("host", "loopback", "path", remoteDir.toString(), "description",
        "the build box"));
  }

  @Test
  void fileReadWithRemoteReadsAFileOnTheHost() throws Exception {
    Files.writeString(remoteDir.resolve("hello.txt"), "first\nsecond\n");
    JsonNode r = ctx.call(new FileReadTool(), args("file_path", remoteDir.resolve("hello.txt").toString(),
        "remote", "loopback"));
    assertEquals("1: first\n2: second", r.path("content").asText(), r::toPrettyString);
    assertEquals(remoteDir.resolve("hello.txt").toString(), r.path("file_path").asText());
    assertEquals(2, r.path("total_lines").asInt());
    assertEquals("loopback", r.path("remote").asText());

    JsonNode window = ctx.call(new FileReadTool(), args("file_path", remoteDir.resolve("hello.txt").toString(),
        "offset", 2, "limit", 1, "remote", "loopback"));
    assertEquals("2: second", window.path("content").asText());
    assertEquals(2, window.path("start_line").asInt());
  }

  @Test
  void aHostThatRefusesGivesAClearError() throws Exception {
    ToolResult r = ctx.invoke(new FileReadTool(), args("file_path", "/etc/hostname", "remote", "refused"));
    assertTrue(r.errored());
    String error = partyclaw.core.json.Json.parse(r.content()).path("error").asText();
    assertEquals("remote file_read tool failed on refused with 255: ssh: connect to host 127.0.0.1 port "
        + refusedPort() + ": Connection refused", error);
  }

  private static String refusedPort() throws Exception {
    List<String> lines = Files.readAllLines(sshd.dir.resolve("ssh_config"));
    return lines.get(lines.indexOf("Host refused") + 2).trim().substring("Port ".length());
  }

  @Test
  void relativePathsResolveInTheWorkpathAndEveryFileToolWorksRemotely() throws Exception {
    Files.writeString(remoteDir.resolve("AGENTS.md"), "Build with make.\n");
    JsonNode added = addWorkpath();
    assertEquals("loaded", added.path("agents_md").path("status").asText(), added::toPrettyString);
    assertEquals("Build with make.\n", added.path("agents_md").path("content").asText());
    assertTrue(added.path("chat_version_rotated").asBoolean());

    JsonNode w = ctx.call(new FileWriteTool(), args("file_path", "src/main.c", "content", "int main() { return 1; }\n",
        "remote", "loopback"));
    assertEquals(remoteDir.resolve("src/main.c").toString(), w.path("file_path").asText(), w::toPrettyString);
    assertEquals(25, w.path("bytes_written").asInt());
    assertEquals("int main() { return 1; }\n", Files.readString(remoteDir.resolve("src/main.c")));

    JsonNode e = ctx.call(new EditTool(), args("path", "src/main.c", "old_text", "return 1", "new_text", "return 0",
        "remote", "loopback"));
    assertEquals(1, e.path("replacements").asInt(), e::toPrettyString);
    assertEquals("int main() { return 0; }\n", Files.readString(remoteDir.resolve("src/main.c")));
    JsonNode missing = ctx.call(new EditTool(), args("path", "src/main.c", "old_text", "nope", "new_text", "x",
        "remote", "loopback"));
    assertEquals("remote edit on loopback failed: old_text was not found in " + remoteDir.resolve("src/main.c"),
        missing.path("error").asText());

    JsonNode g = ctx.call(new GlobTool(), args("pattern", "*.c", "remote", "loopback"));
    assertEquals(List.of(remoteDir.resolve("src/main.c").toString()), texts(g.path("filenames")), g::toPrettyString);
    JsonNode gr = ctx.call(new GrepTool(), args("pattern", "return \\d", "include", "src/*", "remote", "loopback"));
    assertEquals(1, gr.path("num_files").asInt(), gr::toPrettyString);
    ToolResult ls = ctx.invoke(new LsTool(), args("path", ".", "remote", "loopback"));
    assertEquals("remote: loopback\nnum_entries: 3\n\n- " + remoteDir + "/\n  - AGENTS.md\n  - src/\n    - main.c",
        ls.content());

    String patch = "--- a/src/main.c\n+++ b/src/main.c\n@@ -1 +1 @@\n-int main() { return 0; }\n"
        + "+int main() { return 2; }\n";
    JsonNode p = ctx.call(new ApplyPatchTool(), args("patch", patch, "remote", "loopback"));
    assertTrue(p.path("applied").asBoolean(), p::toPrettyString);
    assertEquals("int main() { return 2; }\n", Files.readString(remoteDir.resolve("src/main.c")));
    JsonNode again = ctx.call(new ApplyPatchTool(), args("patch", patch, "remote", "loopback"));
    assertFalse(again.path("applied").asBoolean(), "a patch that no longer applies is a result, not an error");
    assertEquals("loopback", again.path("remote").asText());
  }

  @Test
  void execStartRunsTheCommandOnTheHostInTheWorkpath(@TempDir Path execWorkdir) throws Exception {
    addWorkpath();
    partyclaw.tools.exec.ExecRun run = partyclaw.tools.exec.ExecRun.start(execWorkdir);
    JsonNode r = ctx.call(new partyclaw.tools.exec.ExecStartTool(run), args("command", "pwd; echo \"it's $((6*7))\"",
        "remote", "loopback", "wait_timeout_seconds", 30));
    assertEquals(remoteDir + "\nit's 42", r.path("stdout").asText(), r::toPrettyString);
    assertEquals(0, r.path("returncode").asInt());
    assertEquals("loopback", r.path("remote").asText());
    assertEquals("pwd; echo \"it's $((6*7))\"", r.path("command").asText());
    assertEquals(remoteDir.toString(), r.path("cwd").asText());

    JsonNode refused = ctx.call(new partyclaw.tools.exec.ExecStartTool(run), args("command", "true",
        "remote", "refused", "wait_timeout_seconds", 30));
    assertEquals(255, refused.path("returncode").asInt(), refused::toPrettyString);
    assertEquals("ssh: connect to host 127.0.0.1 port " + refusedPort() + ": Connection refused",
        refused.path("stderr").asText());
  }

  @Test
  void workpathsArePersistedPerConversationAndCanBeModifiedAndRemoved() throws Exception {
    JsonNode added = addWorkpath();
    assertEquals("not_found", added.path("agents_md").path("status").asText(), added::toPrettyString);
    Path file = ctx.workdir().conversationDir("test:1").resolve("remote_workpaths.json");
    List<Workpath> stored = WorkpathStore.of(ctx.workdir(), "test:1").list();
    assertEquals(1, stored.size());
    assertEquals("loopback|" + remoteDir + "|the build box", stored.get(0).host() + "|" + stored.get(0).path() + "|"
        + stored.get(0).description());
    assertTrue(Files.exists(file));
    assertEquals(List.of(), WorkpathStore.of(ctx.workdir(), "test:2").list(), "another conversation has its own");

    JsonNode m = ctx.call(new WorkpathModifyTool(), args("host", "loopback", "description", "CI runner"));
    assertEquals("CI runner", m.path("description").asText());
    assertEquals(remoteDir.toString(), m.path("path").asText());
    assertEquals("remote workpath not found for other",
        ctx.call(new WorkpathModifyTool(), args("host", "other", "description", "x")).path("error").asText());

    JsonNode r = ctx.call(new WorkpathRemoveTool(), args("host", "loopback"));
    assertTrue(r.path("removed").asBoolean());
    assertEquals(List.of(), WorkpathStore.of(ctx.workdir(), "test:1").list());
    assertEquals("remote workpath not found for loopback",
        ctx.call(new WorkpathRemoveTool(), args("host", "loopback")).path("error").asText());
  }

  @Test
  void theSystemPromptBlockShowsEachWorkpathWithItsAgentsMd() throws Exception {
    Files.writeString(remoteDir.resolve("AGENTS.md"), "Use make.\nNever push.\n");
    addWorkpath();
    ctx.call(new WorkpathAddTool(), args("host", "refused", "path", "/srv", "description", "old box"));
    String block = RemoteWorkpathsPrompt.block(ctx.workdir(), "test:1", ctx.processEnvironment());
    assertEquals("Remote workpaths (use the remote argument of the file, search and exec tools; relative remote paths"
        + " resolve in the workpath):\n"
        + "- loopback: " + remoteDir + " — the build box\n  AGENTS.md:\n    Use make.\n    Never push.\n"
        + "- refused: /srv — old box\n  AGENTS.md: could not be read (ssh to refused exited with 255: ssh: connect to"
        + " host 127.0.0.1 port " + refusedPort() + ": Connection refused)", block);
    assertEquals("", RemoteWorkpathsPrompt.block(ctx.workdir(), "test:9", ctx.processEnvironment()));
  }

  @Test
  void hostsThatCouldBeReadAsOptionsOrShellAreRefused() throws Exception {
    for (String[] c : new String[][] {
        {"-oProxyCommand=x", "remote must not start with '-': -oProxyCommand=x"},
        {"a;b", "remote must be an SSH host alias without shell metacharacters or path separators: a;b"},
        {"a b", "remote must not contain whitespace or control characters"},
        {"<host>", "remote \"<host>\" is a placeholder: use a real SSH host alias, or \"local\""},
        {"x/y", "remote must be an SSH host alias without shell metacharacters or path separators: x/y"}}) {
      assertEquals(c[1], ctx.call(new FileReadTool(), args("file_path", "a", "remote", c[0])).path("error").asText());
    }
    assertEquals("host must be a remote SSH host alias, not \"local\"", ctx.call(new WorkpathAddTool(),
        args("host", "local", "path", "/x", "description", "d")).path("error").asText());
    assertEquals("path must be a non-empty string", ctx.call(new WorkpathAddTool(),
        args("host", "h", "path", "  ", "description", "d")).path("error").asText());
    Files.writeString(workspace.resolve("local.txt"), "here\n");
    assertEquals("1: here", ctx.call(new FileReadTool(), args("file_path", "local.txt", "remote", "local"))
        .path("content").asText());
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
