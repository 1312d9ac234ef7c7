package partyclaw.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.tool.Tool;
import partyclaw.tools.exec.ExecRun;

/**
 * The names, argument schemas and modes offered to the model for the tools of issue 12 (web, downloads, DSL,
 * workpaths, and the {@code remote} argument), transcribed from spec/tools.md §3.1–3.4 and §4.1: a property added,
 * dropped or renamed, a changed type, required list or mode fails here.
 */
class SpecToolSchemasTest {
  @TempDir Path workdir;
  WebTooling web;
  Map<String, Tool> tools;

  /** One tool as the spec lists it: {@code name:type} properties ({@code *} = required) and its mode. */
  record Spec(String name, String mode, List<String> properties) {}

  static final List<Spec> SPECS = List.of(
      new Spec("web_fetch", "INTERRUPTIBLE", List.of("url*:string", "timeout_seconds*:number", "max_chars:integer",
          "headers:object")),
      new Spec("web_search", "INTERRUPTIBLE", List.of("query*:string", "timeout_seconds*:number",
          "max_results:integer")),
      new Spec("file_download_start", "INTERRUPTIBLE", List.of("url*:string", "path*:string", "headers:object",
          "overwrite:boolean", "return_immediate:boolean", "wait_timeout_seconds:number", "on_timeout:string")),
      new Spec("file_download_progress", "IMMEDIATE", List.of("download_id*:string")),
      new Spec("file_download_wait", "INTERRUPTIBLE", List.of("download_id*:string", "wait_timeout_seconds:number",
          "on_timeout:string")),
      new Spec("file_download_cancel", "IMMEDIATE", List.of("download_id*:string")),
      new Spec("dsl_start", "INTERRUPTIBLE", List.of("code*:string", "label:string", "return_immediate:boolean",
          "wait_timeout_seconds:number", "on_timeout:string", "max_output_chars:integer",
          "max_runtime_seconds:integer", "max_llm_calls:integer", "max_tool_calls:integer",
          "max_emit_calls:integer")),
      new Spec("dsl_wait", "INTERRUPTIBLE", List.of("dsl_id*:string", "wait_timeout_seconds:number",
          "on_timeout:string", "max_output_chars:integer")),
      new Spec("dsl_kill", "IMMEDIATE", List.of("dsl_id*:string", "kill_children:boolean",
          "max_output_chars:integer")),
      new Spec("workpath_add", "IMMEDIATE", List.of("host*:string", "path*:string", "description*:string")),
      new Spec("workpath_modify", "IMMEDIATE", List.of("host*:string", "description*:string")),
      new Spec("workpath_remove", "IMMEDIATE", List.of("host*:string")));

  /** tools.md §1.5: the eight remote-capable tools, each with {@code remote} described as "Execution target.". */
  static final List<String> REMOTE_CAPABLE = List.of("file_read", "file_write", "glob", "grep", "ls", "edit",
      "apply_patch", "exec_start");

  @BeforeEach
  void setUp() {
    web = WebTooling.create(BuiltinToolsTest.searchConfigured());
    tools = BuiltinTools.byName(ExecRun.start(workdir), true, web);
  }

  @AfterEach
  void tearDown() {
    web.close();
  }

  @Test
  void namesArgumentsAndModesMatchTheSpec() {
    Map<String, String> expected = new TreeMap<>();
    Map<String, String> actual = new TreeMap<>();
    for (Spec s : SPECS) {
      expected.put(s.name(), s.mode() + " " + new TreeSet<>(s.properties()));
      Tool t = tools.get(s.name());
      actual.put(s.name(), t == null ? "missing" : t.mode().name() + " " + new TreeSet<>(properties(t.parameters())));
    }
    assertEquals(expected, actual);
  }

  @Test
  void theOnTimeoutEnumsListTheSpecsValues() {
    for (String name : List.of("file_download_start", "file_download_wait", "dsl_start", "dsl_wait", "exec_start")) {
      List<String> values = new ArrayList<>();
      tools.get(name).parameters().path("properties").path("on_timeout").path("enum").forEach(v -> values.add(v.asText()));
      assertEquals(List.of("continue", "kill", "CONTINUE", "KILL"), values, name);
    }
  }

  @Test
  void exactlyTheEightRemoteCapableToolsTakeRemote() {
    List<String> withRemote = new ArrayList<>();
    for (Tool t : tools.values()) {
      JsonNode remote = t.parameters().path("properties").path("remote");
      if (remote.isMissingNode()) continue;
      withRemote.add(t.name());
      assertEquals("string|Execution target.", remote.path("type").asText() + "|" + remote.path("description").asText());
    }
    assertEquals(new TreeSet<>(REMOTE_CAPABLE), new TreeSet<>(withRemote));
    assertEquals(REMOTE_CAPABLE.size(), withRemote.size());
  }

  static List<String> properties(JsonNode schema) {
    List<String> out = new ArrayList<>();
    TreeSet<String> required = new TreeSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    schema.path("properties").fields().forEachRemaining(e -> out.add(e.getKey()
        + (required.contains(e.getKey()) ? "*" : "") + ":" + e.getValue().path("type").asText()));
    return out;
  }
}
