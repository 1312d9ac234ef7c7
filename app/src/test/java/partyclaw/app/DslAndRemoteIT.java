package partyclaw.app;

import partyclaw.testkit.LoopbackSshd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.channels.cli.CommandLineChannel;
import partyclaw.core.json.Json;
import partyclaw.core.workdir.Workdir;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.RecordedRequest;
import partyclaw.testkit.Step;
import partyclaw.testkit.ToolCallSpec;
import partyclaw.tools.remote.WorkpathStore;

/**
 * Issue 12 through the packaged daemon: a DSL script chaining two tool calls and an LLM call on the conversation's
 * model returns its quit value; a remote workpath's AGENTS.md is in the system prompt, file_read with remote reads a
 * file over ssh (a loopback OpenSSH server through AGENT_HOST_SSH_BIN), and a refusing host gives a clear error.
 */
class DslAndRemoteIT {
  @TempDir Path dir;
  FakeLlmServer llm;

  @BeforeEach
  void startLlm() {
    llm = FakeLlmServer.start();
  }

  @AfterEach
  void stopLlm() {
    llm.close();
  }

  @Test
  void aDslScriptChainsToolCallsAndAnLlmCallAndReturnsItsQuitValue() throws Exception {
    String code = """
        w = await tool({"name": "file_write", "args": {"file_path": "notes.txt", "content": "alpha\\nbeta\\n"}})
        r = await tool({"name": "file_read", "args": {"file_path": "notes.txt"}})
        s = await LLM().system("You summarise files.").gen("Summarise: {text}", text=r["content"])
        quit({"summary": s, "lines": r["total_lines"]})
        """;
    llm.enqueue(
        Step.toolCalls(new ToolCallSpec("d1", "dsl_start", Json.write(Json.object().put("code", code)))),
        Step.text("two greek letters"),
        Step.text("The script is done."));
    Path config = TestConfigs.cli(dir, llm.baseUrl());
    try (DaemonProcess p = DaemonProcess.start(dir, "run", "summarise my notes\n", Map.of(),
        "run", "--config", config.toString(), "--workdir", dir.resolve("wd").toString())) {
      assertEquals(0, p.waitForExit(Duration.ofSeconds(90)), p.stderr());
      assertTrue(p.stdout().contains("The script is done."), p.stdout());
    }
    List<RecordedRequest> requests = llm.requests();
    assertEquals(3, requests.size());
    assertEquals("Summarise: 1: alpha\n2: beta", requests.get(1).lastUserText());
    assertEquals("fake-model", requests.get(1).model());
    JsonNode result = Json.parse(requests.get(2).toolMessages().get(0).get("content").asText());
    assertEquals("completed", result.path("status").asText(), result::toPrettyString);
    assertEquals("{\"summary\":\"two greek letters\",\"lines\":2}", result.path("result_text").asText());
  }

  @Test
  void aDslScriptWithALoopIsRefusedBeforeItRuns() throws Exception {
    String code = "await tool({'name': 'file_write', 'args': {'file_path': 'ran.txt', 'content': 'x'}})\n"
        + "for i in range(3):\n    emit(str(i))\n";
    llm.enqueue(
        Step.toolCalls(new ToolCallSpec("d1", "dsl_start", Json.write(Json.object().put("code", code)))),
        Step.text("I will write it without a loop."));
    Path config = TestConfigs.cli(dir, llm.baseUrl());
    try (DaemonProcess p = DaemonProcess.start(dir, "run", "count\n", Map.of(),
        "run", "--config", config.toString(), "--workdir", dir.resolve("wd").toString())) {
      assertEquals(0, p.waitForExit(Duration.ofSeconds(90)), p.stderr());
    }
    JsonNode result = Json.parse(llm.requests().get(1).toolMessages().get(0).get("content").asText());
    assertEquals("DSL code rejected before running: line 2: loops are not allowed", result.path("error").asText());
    try (var files = Files.walk(dir.resolve("wd"))) {
      assertEquals(0, files.filter(f -> f.getFileName().toString().equals("ran.txt")).count());
    }
  }

  @Test
  void remoteFileReadGoesOverSshAndTheWorkpathsAgentsMdIsInThePrompt() throws Exception {
    Path sshDir = Files.createDirectories(dir.resolve("ssh"));
    Path remote = Files.createDirectories(dir.resolve("remote")).toRealPath();
    Files.writeString(remote.resolve("AGENTS.md"), "Deploy with make ship.\n");
    Files.writeString(remote.resolve("hello.txt"), "hi there\n");
    Path wd = dir.resolve("wd");
    WorkpathStore.of(new Workdir(wd), CommandLineChannel.conversationIdOf("cli"))
        .put("loopback", remote.toString(), "the box");
    llm.enqueue(
        Step.toolCalls(
            new ToolCallSpec("r1", "file_read", "{\"file_path\":\"hello.txt\",\"remote\":\"loopback\"}"),
            new ToolCallSpec("r2", "file_read", "{\"file_path\":\"hello.txt\",\"remote\":\"refused\"}")),
        Step.text("Read it."));
    Path config = TestConfigs.cli(dir, llm.baseUrl());
    try (LoopbackSshd sshd = LoopbackSshd.start(sshDir);
        DaemonProcess p = DaemonProcess.start(dir, "run", "read the remote file\n",
            Map.of("AGENT_HOST_SSH_BIN", sshd.sshWrapper.toString()),
            "run", "--config", config.toString(), "--workdir", wd.toString())) {
      assertEquals(0, p.waitForExit(Duration.ofSeconds(90)), p.stderr());
      assertTrue(p.stdout().contains("Read it."), p.stdout());
    }
    String system = llm.requests().get(0).messages().get(0).get("content").asText();
    assertTrue(system.contains("\n- loopback: " + remote + " — the box\n  AGENTS.md:\n    Deploy with make ship.\n"),
        system);
    List<JsonNode> tools = llm.requests().get(1).toolMessages();
    JsonNode read = Json.parse(tools.get(0).get("content").asText());
    assertEquals("1: hi there", read.path("content").asText(), read::toPrettyString);
    assertEquals(remote.resolve("hello.txt").toString(), read.path("file_path").asText());
    JsonNode refused = Json.parse(tools.get(1).get("content").asText());
    assertTrue(refused.path("error").asText().matches("remote file_read tool failed on refused with 255: ssh: connect"
        + " to host 127\\.0\\.0\\.1 port \\d+: Connection refused"), refused::toPrettyString);
  }
}
