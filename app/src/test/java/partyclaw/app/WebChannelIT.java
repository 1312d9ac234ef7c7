package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.app.WebITSupport.TOKEN;
import static partyclaw.app.WebITSupport.json;
import static partyclaw.app.WebITSupport.request;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.Step;
import partyclaw.testkit.ToolCallSpec;

/**
 * The packaged daemon's web channel through its real protocols: the token on every route, /api/send answered on
 * /ws, newest-first transcript pages, the OpenAI-compatible endpoint (memory per {@code user}, SSE streaming).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebChannelIT {
  Path dir;
  FakeLlmServer llm;
  DaemonProcess daemon;
  String base;

  @BeforeAll
  void start(@TempDir Path tmp) throws Exception {
    dir = tmp;
    llm = FakeLlmServer.start();
    // The reply says how many user messages the model was shown: a conversation that remembers shows more.
    llm.setDefault(r -> Step.text("ok: " + r.lastUserText() + " (user messages seen: "
        + r.messages().stream().filter(m -> "user".equals(m.path("role").asText())).count() + ")"));
    int port = WebITSupport.freePort();
    base = "http://127.0.0.1:" + port;
    daemon = WebITSupport.start(dir, WebITSupport.config(dir, llm.baseUrl(), port));
    WebITSupport.awaitHealthy(base, daemon);
  }

  @AfterAll
  void stop() throws Exception {
    if (daemon != null) daemon.close();
    if (llm != null) llm.close();
  }

  @Test
  void everyAuthenticatedRouteRefusesAWrongOrMissingTokenAndHealthIsOpen() throws Exception {
    HttpResponse<String> health = request("GET", base + "/api/health", null, null);
    assertEquals(200, health.statusCode());
    assertEquals("ok", health.body());
    List<String[]> routes = List.of(
        new String[] {"GET", "/api/conversations", null},
        new String[] {"POST", "/api/conversation", "{}"},
        new String[] {"DELETE", "/api/conversation", "{\"conversation_key\":\"web-default\"}"},
        new String[] {"POST", "/api/send", "{\"text\":\"must not arrive\"}"},
        new String[] {"GET", "/api/transcript?conversation_key=web-default", null},
        new String[] {"GET", "/api/transcript/detail?conversation_key=web-default&seq_start=1&seq_end=2", null},
        new String[] {"GET", "/api/attachment?conversation_key=web-default&source=workspace&path=a.txt", null},
        new String[] {"GET", "/ws", null},
        new String[] {"GET", "/v1/models", null},
        new String[] {"POST", "/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"no\"}]}"});
    int checked = 0;
    for (String[] r : routes) {
      for (String token : new String[] {null, "wrong-token", TOKEN + "x"}) {
        HttpResponse<String> resp = request(r[0], base + r[1], token, r[2]);
        assertEquals(401, resp.statusCode(), r[0] + " " + r[1] + " with token " + token + ": " + resp.body());
        checked++;
      }
    }
    assertEquals(30, checked);
    // the query token of /api/attachment and /ws is checked too
    assertEquals(401, request("GET", base + "/api/attachment?conversation_key=web-default&path=a.txt&token=nope",
        null, null).statusCode());
    assertEquals(401, request("GET", base + "/ws?token=nope", null, null).statusCode());
    JsonNode openAiError = json(request("GET", base + "/v1/models", "wrong-token", null)).path("error");
    assertEquals("invalid_api_key", openAiError.path("code").asText());
    assertEquals("invalid_request_error", openAiError.path("type").asText());
    assertEquals(0, llm.requests().stream().filter(q -> q.lastUserText().equals("must not arrive")
        || q.lastUserText().equals("no")).count(), "a refused request reached the model");
  }

  @Test
  void sendIsAnsweredOnTheWebSocketAndTheTranscriptPagesNewestFirst() throws Exception {
    String key = "it-paging";
    try (WebITSupport.Events ws = WebITSupport.Events.connect("ws://127.0.0.1:" + base.substring(base.lastIndexOf(':') + 1)
        + "/ws?token=" + TOKEN)) {
      for (int i = 1; i <= 4; i++) {
        HttpResponse<String> sent = request("POST", base + "/api/send", TOKEN,
            "{\"text\":\"  message " + i + "  \",\"conversation_key\":\"" + key + "\"}");
        assertEquals(200, sent.statusCode(), sent.body());
        assertEquals("{\"status\":\"sent\",\"conversation_key\":\"" + key + "\"}", sent.body());
        String expected = "ok: message " + i + " (user messages seen: " + i + ")";
        JsonNode out = ws.await(e -> e.path("type").asText().equals("outgoing_message")
            && e.path("conversation_key").asText().equals(key) && e.path("text").asText().equals(expected), daemon);
        assertEquals("reply", out.path("kind").asText());
        assertEquals(0, out.path("image_count").asInt());
      }
      // the user's own messages were published as transcript entries too
      assertEquals(4, ws.matching(e -> e.path("type").asText().equals("transcript_append")
          && e.path("conversation_key").asText().equals(key) && e.path("entry").path("type").asText().equals("user"))
          .size());
    }
    JsonNode first = json(request("GET", base + "/api/transcript?conversation_key=" + key + "&offset=0&limit=3", TOKEN,
        null));
    assertEquals(8, first.path("total").asInt());
    assertEquals(List.of(8L, 7L, 6L), seqs(first));
    assertEquals("ok: message 4 (user messages seen: 4)", first.path("entries").get(0).path("summary").asText());
    assertEquals("reply", first.path("entries").get(0).path("type").asText());
    assertEquals("message 4", first.path("entries").get(1).path("summary").asText());
    assertEquals("user", first.path("entries").get(1).path("type").asText());
    assertTrue(first.path("has_more").asBoolean());
    JsonNode last = json(request("GET", base + "/api/transcript?conversation_key=" + key + "&offset=6&limit=3", TOKEN,
        null));
    assertEquals(List.of(2L, 1L), seqs(last));
    assertEquals("message 1", last.path("entries").get(1).path("summary").asText());
    assertTrue(!last.path("has_more").asBoolean());

    JsonNode detail = json(request("GET", base + "/api/transcript/detail?conversation_key=" + key
        + "&seq_start=1&seq_end=2", TOKEN, null));
    assertEquals(2, detail.path("entries").size());
    assertEquals("message 1", detail.path("entries").get(0).path("text").asText());
    assertEquals("ok: message 1 (user messages seen: 1)", detail.path("entries").get(1).path("text").asText());
    assertEquals(400, request("GET", base + "/api/transcript?conversation_key=" + key + "&limit=201", TOKEN, null)
        .statusCode());
    assertEquals(404, request("GET", base + "/api/transcript/detail?conversation_key=never-used&seq_start=1&seq_end=2",
        TOKEN, null).statusCode());
    assertEquals(400, request("POST", base + "/api/send", TOKEN, "{\"text\":\"   \"}").statusCode());

    JsonNode conversations = json(request("GET", base + "/api/conversations", TOKEN, null));
    JsonNode mine = null;
    for (JsonNode c : conversations) if (c.path("conversation_key").asText().equals(key)) mine = c;
    assertEquals(8, mine.path("entry_count").asInt(), conversations.toString());
    assertEquals("reply", mine.path("latest_type").asText());
  }

  @Test
  void aWrongTokenInTheFirstFrameClosesTheSocket() throws Exception {
    String wsUrl = "ws://127.0.0.1:" + base.substring(base.lastIndexOf(':') + 1) + "/ws";
    try (WebITSupport.Events ws = WebITSupport.Events.connect(wsUrl)) {
      ws.socket.sendText("{\"type\":\"auth\",\"token\":\"wrong\"}", true).get(10, TimeUnit.SECONDS);
      assertTrue(ws.closed.await(10, TimeUnit.SECONDS), "the socket stayed open after a wrong token");
      assertEquals(0, ws.events.size());
    }
    try (WebITSupport.Events ws = WebITSupport.Events.connect(wsUrl)) {
      ws.socket.sendText("{\"type\":\"auth\",\"token\":\"" + TOKEN + "\"}", true).get(10, TimeUnit.SECONDS);
      ws.await(e -> e.path("type").asText().equals("auth_ok"), daemon);
      ws.socket.sendText("{\"type\":\"transcript_detail\",\"request_id\":\"r-1\",\"conversation_key\":"
          + "\"never-seen\",\"seq_start\":1,\"seq_end\":5}", true).get(10, TimeUnit.SECONDS);
      JsonNode err = ws.await(e -> e.path("request_id").asText().equals("r-1"), daemon);
      assertEquals("transcript_error", err.path("type").asText());
      assertEquals("never-seen", err.path("conversation_key").asText());
      assertEquals("no such conversation", err.path("message").asText());
    }
  }

  @Test
  void aFileTheAgentAttachesIsServedThroughApiAttachmentOnly() throws Exception {
    llm.enqueue(Step.toolCalls(new ToolCallSpec("w1", "file_write",
            "{\"file_path\":\"report.txt\",\"content\":\"<b>the report</b>\"}")),
        Step.text("Here it is: <attachment>report.txt</attachment>"));
    assertEquals(200, request("POST", base + "/api/send", TOKEN,
        "{\"text\":\"make a report\",\"conversation_key\":\"files\"}").statusCode());
    WebITSupport.await(Duration.ofSeconds(60), () -> {
      try {
        return json(request("GET", base + "/api/transcript?conversation_key=files", TOKEN, null)).path("total")
            .asInt() == 2;
      } catch (Exception e) {
        return false;
      }
    }, daemon);
    JsonNode reply = json(request("GET", base + "/api/transcript/detail?conversation_key=files&seq_start=2&seq_end=2",
        TOKEN, null)).path("entries").get(0);
    assertEquals("Here it is:", reply.path("text").asText());
    assertEquals("[{\"source\":\"workspace\",\"path\":\"report.txt\",\"kind\":\"file\",\"caption\":\"report.txt\"}]",
        reply.path("attachments").toString());
    String url = base + "/api/attachment?conversation_key=files&source=workspace&path=report.txt";
    HttpResponse<String> file = request("GET", url, TOKEN, null);
    assertEquals(200, file.statusCode());
    assertEquals("<b>the report</b>", file.body());
    assertEquals("text/plain; charset=UTF-8", file.headers().firstValue("content-type").orElse(""));
    assertTrue(file.headers().firstValue("content-security-policy").orElse("").startsWith("sandbox"));
    assertEquals(200, request("GET", url + "&token=" + TOKEN, null, null).statusCode());
    for (String bad : List.of("source=workspace&path=../report.txt", "source=workspace&path=%2Fetc%2Fpasswd",
        "source=session&path=report.txt", "source=workspace&path=missing.txt")) {
      assertEquals(404, request("GET", base + "/api/attachment?conversation_key=files&" + bad, TOKEN, null)
          .statusCode(), bad);
    }
  }

  @Test
  void aDeletedConversationIsForgottenWhenItsKeyIsUsedAgain() throws Exception {
    String body = "{\"user\":\"forgetful\",\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}";
    assertEquals("ok: first (user messages seen: 1)", json(request("POST", base + "/v1/chat/completions", TOKEN,
        body.formatted("first"))).path("choices").get(0).path("message").path("content").asText());
    HttpResponse<String> deleted = request("DELETE", base + "/api/conversation", TOKEN,
        "{\"conversation_key\":\"forgetful\"}");
    assertEquals("{\"conversation_key\":\"forgetful\",\"deleted\":true}", deleted.body());
    assertEquals(0, json(request("GET", base + "/api/transcript?conversation_key=forgetful", TOKEN, null))
        .path("total").asInt());
    assertEquals("ok: again (user messages seen: 1)", json(request("POST", base + "/v1/chat/completions", TOKEN,
        body.formatted("again"))).path("choices").get(0).path("message").path("content").asText());
    assertEquals("{\"conversation_key\":\"nobody\",\"deleted\":false}", request("DELETE", base
        + "/api/conversation", TOKEN, "{\"conversation_key\":\"nobody\"}").body());
    assertEquals(400, request("POST", base + "/api/send", TOKEN,
        "{\"text\":\"x\",\"conversation_key\":\"forgetful~g1\"}").statusCode());
  }

  @Test
  void openAiUserAliceIsOneConversationThatRemembers() throws Exception {
    String body = "{\"model\":\"main\",\"user\":\"alice\",\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}";
    JsonNode one = json(request("POST", base + "/v1/chat/completions", TOKEN, body.formatted("my name is Alice")));
    assertEquals("chat.completion", one.path("object").asText());
    assertEquals("ok: my name is Alice (user messages seen: 1)",
        one.path("choices").get(0).path("message").path("content").asText(), one.toString());
    JsonNode two = json(request("POST", base + "/v1/chat/completions", TOKEN, body.formatted("what is my name?")));
    assertEquals("ok: what is my name? (user messages seen: 2)",
        two.path("choices").get(0).path("message").path("content").asText(), two.toString());
    assertEquals("assistant", two.path("choices").get(0).path("message").path("role").asText());
    assertEquals("stop", two.path("choices").get(0).path("finish_reason").asText());
    // and the browser sees the same conversation
    JsonNode page = json(request("GET", base + "/api/transcript?conversation_key=alice", TOKEN, null));
    assertEquals(4, page.path("total").asInt());

    JsonNode models = json(request("GET", base + "/v1/models", TOKEN, null));
    assertEquals("list", models.path("object").asText());
    assertEquals(1, models.path("data").size());
    assertEquals("main", models.path("data").get(0).path("id").asText());
    JsonNode bad = json(request("POST", base + "/v1/chat/completions", TOKEN, "{\"messages\":[]}"));
    assertEquals("invalid_request_error", bad.path("error").path("type").asText());
  }

  @Test
  void streamingYieldsSeveralChunksBeforeDone() throws Exception {
    String text = "Streaming arrives in pieces: one, two, three, four, five, six.";
    llm.enqueue(Step.text(text).withChunkDelay(Duration.ofMillis(150)));
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"user\":\"streamer\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}"))
        .build();
    HttpResponse<java.io.InputStream> resp = WebITSupport.HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, resp.statusCode());
    assertEquals("text/event-stream", resp.headers().firstValue("content-type").orElse("").split(";")[0]);
    List<String> data = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("data: ")) data.add(line.substring(6));
      }
    }
    assertEquals("[DONE]", data.get(data.size() - 1));
    StringBuilder content = new StringBuilder();
    int contentChunks = 0;
    String finish = null;
    for (String d : data.subList(0, data.size() - 1)) {
      JsonNode chunk = WebITSupport.JSON.readTree(d);
      assertEquals("chat.completion.chunk", chunk.path("object").asText(), d);
      JsonNode choice = chunk.path("choices").get(0);
      String piece = choice.path("delta").path("content").asText("");
      if (!piece.isEmpty()) {
        contentChunks++;
        content.append(piece);
      }
      if (!choice.path("finish_reason").isNull()) finish = choice.path("finish_reason").asText();
    }
    assertTrue(contentChunks >= 3, "expected several content chunks, got " + contentChunks + ": " + data);
    assertEquals(text, content.toString());
    assertEquals("stop", finish);
  }

  @Test
  void aWebChannelWithoutATokenIsNotStartedAndTheLogSaysWhy() throws Exception {
    Path other = Files.createDirectories(dir.resolve("notoken"));
    int port = WebITSupport.freePort();
    Path config = WebITSupport.config(other, llm.baseUrl(), port);
    Files.writeString(config, Files.readString(config).replace("\"channels\": [",
        "\"channels\": [ { \"kind\": \"command_line\", \"id\": \"cli\" },"));
    try (DaemonProcess p = DaemonProcess.start(other, "notoken", "hello\n", Map.of(),
        "run", "--config", config.toString(), "--workdir", other.resolve("wd").toString())) {
      assertEquals(0, p.waitForExit(Duration.ofSeconds(90)), p.stderr());
      assertTrue(p.stderr().lines().anyMatch(l -> l.endsWith("web_channel_disabled_missing_auth: web channel web is"
          + " not started: set auth_token or the environment variable WEB_IT_TOKEN to the bearer token clients must"
          + " send")), p.stderr());
      assertTrue(p.stdout().contains("ok: hello"), p.stdout());
    }
  }

  private static List<Long> seqs(JsonNode page) {
    List<Long> out = new ArrayList<>();
    page.path("entries").forEach(e -> out.add(e.path("seq").asLong()));
    return out;
  }
}
