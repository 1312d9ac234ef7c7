package partyclaw.tools.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.tool.Tool;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.RecordedRequest;
import partyclaw.testkit.Step;
import partyclaw.tools.BuiltinTools;
import partyclaw.tools.WebTooling;
import partyclaw.tools.exec.ExecRun;
import partyclaw.tools.testing.TestToolContext;

/** dsl_start / dsl_wait / dsl_kill against real worker processes and the fake LLM server (tools.md §3.3). */
class DslToolsTest {
  @TempDir Path workspace;
  @TempDir Path workdir;
  FakeLlmServer llm;
  WebTooling web;
  TestToolContext ctx;
  Map<String, Tool> tools;

  @BeforeEach
  void setUp() {
    llm = FakeLlmServer.start();
    web = WebTooling.create(null);
    ctx = TestToolContext.on(workspace);
    DslModels models = DslModels.fixed(new DslModels.Endpoint("m", llm.chatCompletionsUrl(), "fake-model", "k-1",
        Map.of(), 30));
    tools = BuiltinTools.byName(ExecRun.start(workdir), false, web, models, partyclaw.tools.media.MediaTooling.none());
  }

  @AfterEach
  void tearDown() {
    ctx.close();
    web.close();
    llm.close();
  }

  JsonNode start(String code, Object... more) throws InterruptedException {
    Object[] kv = new Object[more.length + 2];
    kv[0] = "code";
    kv[1] = code;
    System.arraycopy(more, 0, kv, 2, more.length);
    return ctx.call(tools.get("dsl_start"), args(kv));
  }

  @Test
  void aScriptChainingTwoToolCallsAndAnLlmCallReturnsItsQuitValue() throws Exception {
    llm.enqueue(Step.text("SUMMARY: two lines"));
    String code = """
        w = await tool({"name": "file_write", "args": {"file_path": "notes.txt", "content": "alpha\\nbeta\\n"}})
        r = await tool({"name": "file_read", "args": {"file_path": "notes.txt"}})
        llm = LLM().system("You summarise files.")
        s = await llm.gen("Summarise: {text}", text=r["content"])
        emit("wrote " + str(w["bytes_written"]) + " bytes")
        quit({"summary": s, "lines": r["total_lines"]})
        """;
    JsonNode snap = start(code, "label", "chain");
    assertEquals("completed", snap.path("status").asText(), snap::toPrettyString);
    assertEquals("{\"summary\":\"SUMMARY: two lines\",\"lines\":2}", snap.path("result_text").asText());
    assertEquals("chain", snap.path("label").asText());
    assertEquals(1, snap.path("usage").path("llm_calls").asInt());
    assertEquals(2, snap.path("usage").path("tool_calls").asInt());
    assertEquals(1, snap.path("usage").path("emit_calls").asInt());
    assertEquals("wrote 11 bytes", snap.path("stdout").asText());
    assertEquals("alpha\nbeta\n", Files.readString(workspace.resolve("notes.txt")));

    List<RecordedRequest> requests = llm.requests();
    assertEquals(1, requests.size());
    assertEquals("fake-model", requests.get(0).model());
    assertEquals("Bearer k-1", requests.get(0).header("Authorization"));
    List<String> roles = requests.get(0).messages().stream().map(m -> m.path("role").asText()).toList();
    assertEquals(List.of("system", "user"), roles);
    assertEquals("Summarise: 1: alpha\n2: beta", requests.get(0).lastUserText());
  }

  @Test
  void loopsAndImportsAreRefusedBeforeAnythingRuns() throws Exception {
    JsonNode loop = start("await tool({'name': 'file_write', 'args': {'file_path': 'ran.txt', 'content': 'x'}})\n"
        + "for i in range(3):\n    emit(str(i))\n");
    assertEquals("DSL code rejected before running: line 2: loops are not allowed", loop.path("error").asText());
    JsonNode imp = start("await tool({'name': 'file_write', 'args': {'file_path': 'ran.txt', 'content': 'x'}})\n"
        + "import os\n");
    assertEquals("DSL code rejected before running: line 2: import is not allowed", imp.path("error").asText());
    assertFalse(Files.exists(workspace.resolve("ran.txt")), "nothing of a refused script may run");
    assertEquals(0, llm.requests().size());
  }

  @Test
  void withoutQuitTheResultIsTheEmittedLinesElseZero() throws Exception {
    assertEquals("a\nb", start("emit('a')\nemit('b')\n").path("result_text").asText());
    JsonNode none = start("x = 1\n");
    assertEquals("0", none.path("result_text").asText());
    assertFalse(none.has("stdout"));
  }

  @Test
  void budgetsFailTheJobWithTheirName() throws Exception {
    JsonNode emits = start("emit('1')\nemit('2')\nemit('3')\n", "max_emit_calls", 2);
    assertEquals("failed", emits.path("status").asText());
    assertEquals("DSL exceeded max_emit_calls (2)", emits.path("result_text").asText());

    JsonNode toolCalls = start("await tool({'name': 'ls', 'args': {'path': '.'}})\n"
        + "await tool({'name': 'ls', 'args': {'path': '.'}})\n", "max_tool_calls", 1);
    assertEquals("DSL exceeded max_tool_calls (1)", toolCalls.path("result_text").asText());

    JsonNode llmCalls = start("x = await LLM().gen('hi')\n", "max_llm_calls", 0);
    assertEquals("DSL exceeded max_llm_calls (0)", llmCalls.path("result_text").asText());

    long t0 = System.nanoTime();
    JsonNode slow = start("x = 10 ** 10 ** 10\n", "max_runtime_seconds", 1);
    assertEquals("DSL runtime exceeded max_runtime_seconds (1)", slow.path("result_text").asText());
    assertEquals("failed", slow.path("status").asText());
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos());
  }

  @Test
  void runtimeErrorsNameTheLineAndTheWorkerHasOnlyTheAllowedBuiltins() throws Exception {
    JsonNode err = start("x = 1\ny = {}['missing']\n");
    assertEquals("failed", err.path("status").asText());
    assertEquals("KeyError (line 2): 'missing'", err.path("result_text").asText());
    // Validated code cannot name them, but the worker does not hold them either.
    JsonNode tools2 = start("x = type(1)\nquit(str(x))\n");
    assertEquals("<class 'int'>", tools2.path("result_text").asText());
  }

  @Test
  void toolCallsGoThroughTheBuiltinRegistryWithLegacyNamesAndNoHostTools() throws Exception {
    Files.writeString(workspace.resolve("a.txt"), "one\n");
    JsonNode snap = start("""
        r = await tool({"name": "read_file", "args": {"file_path": "a.txt"}})
        u = await tool({"name": "user_tell", "args": {"text": "hi"}})
        bad = await tool({"name": "file_read", "args": {"file_path": "missing.txt"}})
        quit([r["content"], u["error"], bad["error"]])
        """);
    assertEquals("[\"1: one\",\"unknown tool: user_tell\",\"failed to stat " + workspace.toRealPath()
        .resolve("missing.txt") + "\"]", snap.path("result_text").asText(), snap::toPrettyString);
    assertEquals(List.of(), ctx.told());
    JsonNode dsl = start("name = 'dsl_' + 'wait'\nr = await tool({'name': name, 'args': {}})\nquit(r['error'])\n");
    assertEquals("the dsl_* tools cannot be called from DSL code", dsl.path("result_text").asText());
  }

  @Test
  void aWaitYieldsToAnInterruptAndTheJobGoesOnToItsResult() throws Exception {
    llm.setDelay(Duration.ofMillis(1500));
    llm.setDefault(r -> Step.text("late answer"));
    Thread interrupter = new Thread(() -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException ignored) {
        return;
      }
      ctx.signal().interrupt();
    });
    interrupter.start();
    long t0 = System.nanoTime();
    JsonNode first = start("x = await LLM().gen('slow')\nquit(x)\n");
    long waited = System.nanoTime() - t0;
    assertEquals("running", first.path("status").asText(), first::toPrettyString);
    assertTrue(first.path("interrupted").asBoolean());
    assertEquals("agent_turn_interrupted", first.path("reason").asText());
    assertTrue(waited < Duration.ofMillis(1400).toNanos(), "the wait returned " + waited / 1_000_000 + " ms late");

    ctx.newBatch();
    JsonNode done = ctx.call(tools.get("dsl_wait"), args("dsl_id", first.path("dsl_id").asText(),
        "wait_timeout_seconds", 10));
    assertEquals("completed", done.path("status").asText(), done::toPrettyString);
    assertEquals("late answer", done.path("result_text").asText());
  }

  @Test
  void waitTimeoutsContinueOrKillAndKillStopsTheWorker() throws Exception {
    llm.setDelay(Duration.ofSeconds(5));
    JsonNode cont = start("x = await LLM().gen('slow')\n", "wait_timeout_seconds", 0.2);
    assertEquals("running", cont.path("status").asText());
    assertTrue(cont.path("timed_out").asBoolean());
    assertEquals("continue", cont.path("on_timeout").asText());
    String id = cont.path("dsl_id").asText();

    JsonNode killed = ctx.call(tools.get("dsl_kill"), args("dsl_id", id));
    assertEquals("killed", killed.path("status").asText());
    assertTrue(killed.path("killed").asBoolean());
    JsonNode again = ctx.call(tools.get("dsl_kill"), args("dsl_id", id));
    assertFalse(again.path("killed").asBoolean());
    assertEquals("killed", again.path("status").asText());

    JsonNode kill = start("x = await LLM().gen('slow')\n", "wait_timeout_seconds", 0.2, "on_timeout", "KILL");
    assertEquals("killed", kill.path("status").asText());
    assertEquals("kill", kill.path("on_timeout").asText());

    JsonNode immediate = start("x = await LLM().gen('slow')\n", "return_immediate", true);
    assertEquals("running", immediate.path("status").asText());
    JsonNode observed = ctx.call(tools.get("dsl_wait"), args("dsl_id", immediate.path("dsl_id").asText(),
        "wait_timeout_seconds", 0));
    assertEquals("running", observed.path("status").asText());
    assertTrue(observed.path("timed_out").asBoolean());
    ctx.call(tools.get("dsl_kill"), args("dsl_id", immediate.path("dsl_id").asText()));
  }

  @Test
  void killChildrenStopsTheProcessesTheScriptStarted() throws Exception {
    JsonNode snap = start("""
        r = await tool({"name": "exec_start", "args": {"command": "sleep 30", "return_immediate": True}})
        x = await tool({"name": "exec_wait", "args": {"exec_id": r["exec_id"], "wait_timeout_seconds": 30}})
        """, "wait_timeout_seconds", 1);
    assertEquals("running", snap.path("status").asText(), snap::toPrettyString);
    assertEquals(1, snap.path("children").size());
    assertEquals("exec_id", snap.path("children").path(0).path("id_field").asText());
    String execId = snap.path("children").path(0).path("id").asText();

    JsonNode killed = ctx.call(tools.get("dsl_kill"), args("dsl_id", snap.path("dsl_id").asText(),
        "kill_children", true));
    assertEquals("killed", killed.path("status").asText());
    assertEquals(1, killed.path("children_kill_results").size());
    JsonNode r = killed.path("children_kill_results").path(0);
    assertEquals("exec_kill|" + execId + "|killed", r.path("tool").asText() + "|" + r.path("id").asText() + "|"
        + r.path("status").asText());
    JsonNode exec = ctx.call(tools.get("exec_observe"), args("exec_id", execId));
    assertFalse(exec.path("running").asBoolean(), exec::toPrettyString);
  }

  @Test
  void killingWithoutKillChildrenLeavesWhatTheScriptStartedRunning() throws Exception {
    JsonNode snap = start("""
        r = await tool({"name": "exec_start", "args": {"command": "sleep 30", "return_immediate": True}})
        x = await tool({"name": "exec_wait", "args": {"exec_id": r["exec_id"], "wait_timeout_seconds": 30}})
        """, "wait_timeout_seconds", 1);
    String execId = snap.path("children").path(0).path("id").asText();
    JsonNode killed = ctx.call(tools.get("dsl_kill"), args("dsl_id", snap.path("dsl_id").asText()));
    assertEquals("killed", killed.path("status").asText());
    assertFalse(killed.has("children_kill_results"));
    JsonNode exec = ctx.call(tools.get("exec_observe"), args("exec_id", execId));
    assertTrue(exec.path("running").asBoolean(), exec::toPrettyString);
    ctx.call(tools.get("exec_kill"), args("exec_id", execId));
  }

  @Test
  void argumentsAndUnknownIdsAreCheckedWithClearErrors() throws Exception {
    assertEquals("missing required argument: code", ctx.call(tools.get("dsl_start"), "{}").path("error").asText());
    assertEquals("code is 20001 characters; the limit is 20000",
        start("#" + "x".repeat(20000)).path("error").asText());
    assertEquals("max_output_chars must be between 0 and 1000",
        start("x = 1", "max_output_chars", 1001).path("error").asText());
    assertEquals("wait_timeout_seconds must be a finite number of seconds >= 0",
        start("x = 1", "wait_timeout_seconds", -1).path("error").asText());
    assertEquals("on_timeout must be \"continue\" or \"kill\"", start("x = 1", "on_timeout", "stop").path("error")
        .asText());
    String unknown = ctx.call(tools.get("dsl_wait"), args("dsl_id", "nope")).path("error").asText();
    assertTrue(unknown.startsWith("failed to read DSL job metadata for nope: no such DSL job"), unknown);
  }

  @Test
  void longResultsAreCappedWithTheFullCopyInTheWorkspace() throws Exception {
    JsonNode snap = start("quit('a' * 600 + 'b' * 600)\n", "max_output_chars", 100);
    assertEquals("a".repeat(40) + "b".repeat(60), snap.path("result_text").asText());
    assertTrue(snap.path("result_truncated").asBoolean());
    String path = snap.path("result_path").asText();
    assertEquals(".agent_frame/dsl/" + snap.path("dsl_id").asText() + ".result.json", path);
    assertEquals("a".repeat(600) + "b".repeat(600), Files.readString(workspace.resolve(path)));
  }

  @Test
  void aScriptRunsInsideTheConversationsBubblewrapSandbox() throws Exception {
    partyclaw.tools.sandbox.SandboxLauncher.Availability a = partyclaw.tools.sandbox.SandboxLauncher.bubblewrap("bwrap");
    org.junit.jupiter.api.Assumptions.assumeTrue(a.available(), () -> "bubblewrap is not usable here: " + a.reason());
    ctx.withSandbox(new partyclaw.core.sandbox.Sandbox(partyclaw.core.sandbox.SandboxMode.BUBBLEWRAP,
        ctx.workspaceRoot(), List.of(), List.of(), List.of(), false,
        new partyclaw.core.sandbox.SandboxLimits(40, 64L << 20, 60), "bwrap"));
    JsonNode snap = start("w = await tool({'name': 'file_write', 'args': {'file_path': 'in.txt', 'content': 'ok'}})\n"
        + "quit(w['bytes_written'] * 21)\n");
    assertEquals("completed|42", snap.path("status").asText() + "|" + snap.path("result_text").asText(),
        snap::toPrettyString);
  }

  @Test
  void theRegistryOffersTheThreeDslToolsWithTheirModes() {
    Map<String, String> modes = tools.values().stream().filter(t -> t.name().startsWith("dsl_"))
        .collect(Collectors.toMap(Tool::name, t -> t.mode().name()));
    assertEquals(Map.of("dsl_start", "INTERRUPTIBLE", "dsl_wait", "INTERRUPTIBLE", "dsl_kill", "IMMEDIATE"), modes);
  }
}
