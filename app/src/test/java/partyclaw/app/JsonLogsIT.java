package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.testkit.FakeLlmServer;

/**
 * The packaged daemon's logs: server.log is JSON lines, each conversation, channel and model API also gets its own
 * .jsonl file, {@code --log-format json} makes stderr JSON too, and a secret canary (the API key, typed into a
 * message as well so it reaches the logged request bodies) appears in no log file at DEBUG.
 */
class JsonLogsIT {
  private static final String CANARY = "canary-sk-7f3c9e51a2b4d6";
  private final ObjectMapper json = new ObjectMapper();
  @TempDir Path dir;
  FakeLlmServer llm;

  @BeforeEach
  void startLlm() {
    llm = FakeLlmServer.start().setDefault(FakeLlmServer.ECHO_DEFAULT);
  }

  @AfterEach
  void stopLlm() {
    llm.close();
  }

  @Test
  void jsonLinesPerStreamFilesAndNoCanaryAtDebug() throws Exception {
    Path config = TestConfigs.cli(dir, llm.baseUrl());
    Path wd = dir.resolve("wd");
    Map<String, String> env = Map.of("OPENAI_API_KEY", CANARY, "PARTYCLAW_LOG_LEVEL", "DEBUG",
        "PARTYCLAW_JAVA_OPTS", "-Dpartyclaw.log.level=DEBUG", "AGENT_FRAME_LOG_API_BODIES", "full");
    try (DaemonProcess p = DaemonProcess.startInteractive(dir, "run", env,
        "run", "--config", config.toString(), "--workdir", wd.toString(), "--log-format", "json")) {
      p.send("hello");
      awaitStdout(p, "ok: hello");
      p.send("my key is " + CANARY);
      awaitStdout(p, "ok: my key is " + CANARY);
      p.closeStdin();
      assertEquals(0, p.waitForExit(Duration.ofSeconds(60)), p.stderr());

      Path logs = wd.resolve("logs");
      List<JsonNode> server = jsonLines(logs.resolve("server.log"));
      assertTrue(server.size() > 10, "server.log has " + server.size() + " lines");
      for (JsonNode n : server) {
        for (String field : List.of("ts", "time", "level", "logger", "message")) {
          assertTrue(n.has(field), "no " + field + " in " + n);
        }
      }
      assertEquals(1, server.stream().filter(n -> n.path("message").asText()
          .startsWith("partyclaw started: workdir " + wd + ", 1 channel(s)")).count());
      assertTrue(server.stream().anyMatch(n -> n.path("level").asText().equals("DEBUG")), "DEBUG lines expected");

      // The conversation's own file: every line names it.
      List<JsonNode> session = jsonLines(logs.resolve("sessions/cli_local.jsonl"));
      assertFalse(session.isEmpty());
      for (JsonNode n : session) assertEquals("cli:local", n.path("conversation_id").asText(), n.toString());

      // The model API's file: one request and one response line per message, bodies in full.
      List<JsonNode> api = jsonLines(logs.resolve("api/fake-model.jsonl"));
      assertEquals(2, api.stream().filter(n -> n.path("message").asText().startsWith("llm request alias=main model="
          + "fake-model")).count(), api.toString());
      assertEquals(2, api.stream().filter(n -> n.path("message").asText().startsWith("llm response alias=main model="
          + "fake-model attempt=1")).count(), api.toString());
      assertTrue(api.stream().anyMatch(n -> n.path("message").asText().contains("my key is [REDACTED]")),
          "the request body is logged with the key blanked");
      for (JsonNode n : api) assertEquals("cli:local", n.path("conversation_id").asText(), n.toString());

      // stderr: JSON lines as well (JVM warnings aside, which never start with '{').
      long jsonOnStderr = p.stderr().lines().filter(l -> l.startsWith("{")).map(this::parse)
          .filter(n -> n.has("level")).count();
      assertTrue(jsonOnStderr > 10, p.stderr());
      assertFalse(p.stderr().lines().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO|DEBUG|WARN) .*")),
          "no text-format line on stderr");

      // The canary: in no log file (rolled, per-stream) and not on stderr; stdout echoes the user's own message.
      LogLeakCheck.assertNoSecret(List.of(p.stderrFile()), wd, CANARY);
      List<Path> files = new ArrayList<>();
      try (Stream<Path> all = Files.walk(logs)) {
        all.filter(Files::isRegularFile).forEach(files::add);
      }
      // The command-line channel logs nothing through its actor, so it has no channels/ file here.
      assertEquals(List.of("api/fake-model.jsonl", "server.log", "sessions/cli_local.jsonl"),
          files.stream().map(f -> logs.relativize(f).toString()).sorted().toList());
    }
  }

  private static void awaitStdout(DaemonProcess p, String line) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!p.stdout().lines().anyMatch(line::equals)) {
      if (!p.alive() || System.nanoTime() > deadline) {
        throw new AssertionError("no line '" + line + "' on stdout:\n" + p.stdout() + "\nstderr:\n" + p.stderr());
      }
      Thread.sleep(50);
    }
  }

  private List<JsonNode> jsonLines(Path file) throws Exception {
    assertTrue(Files.isRegularFile(file), "no " + file);
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) out.add(parse(line));
    return out;
  }

  private JsonNode parse(String line) {
    try {
      return json.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not a JSON line: " + line, e);
    }
  }
}
