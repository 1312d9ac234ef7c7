package partyclaw.tools.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.tool.ToolResult;
import partyclaw.tools.testing.LocalHttpServer;
import partyclaw.tools.testing.TestToolContext;

@Timeout(30)
class WebFetchToolTest {
  static final String PAGE = """
      <html><head><title>Demo &amp; page</title><style>body{color:red}</style>
      <script>var secret = 1;</script></head>
      <body><h1>Heading</h1><p>First   paragraph with <b>bold</b> &lt;text&gt;.</p>
      <ul><li>one</li><li>two</li></ul><noscript>enable js</noscript></body></html>
      """;

  @TempDir Path tmp;
  TestToolContext ctx;
  LocalHttpServer server;
  WebClient web;
  WebFetchTool fetch;

  @BeforeEach
  void setUp() throws Exception {
    ctx = TestToolContext.on(tmp);
    server = new LocalHttpServer();
    web = WebClient.create();
    fetch = new WebFetchTool(web, new WebFetchLimits(2000, 4000));
  }

  @AfterEach
  void tearDown() {
    server.close();
    ctx.close();
  }

  @Test
  void htmlBecomesReadableTextWithoutScriptsOrStyles() throws Exception {
    server.respond("/page", 200, "text/html; charset=utf-8", PAGE);
    JsonNode r = ctx.call(fetch, args("url", server.url("/page"), "timeout_seconds", 5));
    assertEquals(200, r.get("status").asInt());
    assertEquals(server.url("/page"), r.get("url").asText());
    assertEquals("text/html; charset=utf-8", r.get("content_type").asText());
    assertEquals("Demo & page\n\nHeading\n\nFirst paragraph with bold <text>.\n\n- one\n- two",
        r.get("content").asText());
    assertFalse(r.get("truncated").asBoolean());
  }

  @Test
  void plainTextIsReturnedAsIsAndCutToMaxChars() throws Exception {
    server.respond("/t", 200, "text/plain", "abcdefghij");
    JsonNode r = ctx.call(fetch, args("url", server.url("/t"), "timeout_seconds", 5, "max_chars", 4));
    assertEquals("abcd", r.get("content").asText());
    assertTrue(r.get("truncated").asBoolean());
  }

  @Test
  void requestHeadersAreSentAndNon2xxIsAResultNotAnError() throws Exception {
    server.respond("/missing", 404, "text/plain", "not here");
    ToolResult res = ctx.invoke(fetch, args("url", server.url("/missing"), "timeout_seconds", 5,
        "headers", Map.of("X-Token", "abc", "X-Ignored", 5)));
    assertFalse(res.errored());
    JsonNode r = partyclaw.core.json.Json.parse(res.content());
    assertEquals(404, r.get("status").asInt());
    assertEquals("not here", r.get("content").asText());
    LocalHttpServer.Request req = server.requestsTo("/missing").get(0);
    assertEquals("abc", req.headers().get("x-token"));
    assertFalse(req.headers().containsKey("x-ignored"));
  }

  @Test
  void redirectsAreFollowedAndCredentialsDoNotCrossOrigins() throws Exception {
    server.respond("/page", 200, "text/html", PAGE);
    server.redirect("/r1", 302, "/r2");
    server.redirect("/r2", 301, server.url("/page"));
    JsonNode r = ctx.call(fetch, args("url", server.url("/r1"), "timeout_seconds", 5,
        "headers", Map.of("Authorization", "Bearer x")));
    assertEquals(200, r.get("status").asInt());
    assertEquals(server.url("/page"), r.get("url").asText());
    // 127.0.0.1 is the same origin throughout, so the header followed.
    assertEquals("Bearer x", server.requestsTo("/page").get(0).headers().get("authorization"));

    server.redirect("/elsewhere", 302, server.url("/page").replace("127.0.0.1", "localhost"));
    ctx.call(fetch, args("url", server.url("/elsewhere"), "timeout_seconds", 5,
        "headers", Map.of("Authorization", "Bearer x", "X-Kept", "k")));
    LocalHttpServer.Request moved = server.requestsTo("/page").get(1);
    assertFalse(moved.headers().containsKey("authorization"));
    assertEquals("k", moved.headers().get("x-kept"));
  }

  @Test
  void redirectLoopsAndNonHttpRedirectsAreErrors() throws Exception {
    server.redirect("/loop", 302, "/loop");
    server.redirect("/ftp", 302, "ftp://example.org/x");
    assertError("too many redirects (more than 10) starting at " + server.url("/loop"),
        args("url", server.url("/loop"), "timeout_seconds", 5));
    assertError("the server at " + server.url("/ftp") + " redirected to a url that cannot be followed: "
        + "unsupported url scheme 'ftp': only http and https URLs can be fetched",
        args("url", server.url("/ftp"), "timeout_seconds", 5));
    assertEquals(11, server.requestsTo("/loop").size());
  }

  @Test
  void badUrlsSchemesAndHostsGetClearErrors() throws Exception {
    assertError("unsupported url scheme 'file': only http and https URLs can be fetched",
        args("url", "file:///etc/passwd", "timeout_seconds", 5));
    assertError("invalid url: it has no scheme; give a full http:// or https:// URL",
        args("url", "example.org/page", "timeout_seconds", 5));
    assertError("invalid url: Illegal character in path at character 21; give a full http:// or https:// URL with "
        + "special characters percent-encoded", args("url", "http://example.org/a b", "timeout_seconds", 5));
    assertError("url must not be empty", args("url", " ", "timeout_seconds", 5));
    assertError("missing required argument: timeout_seconds", args("url", "http://example.org/"));
    assertError("timeout_seconds must be a finite number of seconds greater than 0",
        args("url", "http://example.org/", "timeout_seconds", 0));
    assertError("could not resolve host no-such-host.invalid (DNS lookup failed); check the host name",
        args("url", "http://no-such-host.invalid/x?key=secret", "timeout_seconds", 5));
  }

  @Test
  void refusedConnectionsNameTheHostButNotTheQuery() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertError("could not connect to 127.0.0.1:" + port + ": connection refused or unreachable",
        args("url", "http://127.0.0.1:" + port + "/x?token=secret", "timeout_seconds", 5));
  }

  @Test
  void textOverTheReadLimitIsTruncatedAndBinaryOverItIsRefused() throws Exception {
    server.respond("/long", 200, "text/plain", "x".repeat(3000));
    JsonNode r = ctx.call(fetch, args("url", server.url("/long"), "timeout_seconds", 5, "max_chars", 100000));
    assertEquals(2000, r.get("content").asText().length());
    assertTrue(r.get("truncated").asBoolean());

    server.respond("/big.bin", 200, "application/octet-stream", new byte[5000]);
    assertError("the response from " + server.url("/big.bin") + " is 5000 bytes, over web_fetch's limit of 4000 bytes "
        + "for non-text content; use file_download_start to save large files",
        args("url", server.url("/big.bin"), "timeout_seconds", 5));
    byte[] chunked = new byte[5000];
    server.file("/chunked.bin", chunked, false, false, null);
    assertError("the response from " + server.url("/chunked.bin") + " is more than 4000 bytes, over web_fetch's "
        + "limit of 4000 bytes for non-text content; use file_download_start to save large files",
        args("url", server.url("/chunked.bin"), "timeout_seconds", 5));
    assertFalse(Files.exists(ctx.workspaceRoot().resolve("web_fetch")), "nothing saved for a refused body");
  }

  @Test
  void binaryContentIsSavedIntoTheWorkspace() throws Exception {
    byte[] pdf = "%PDF-1.4\0binary".getBytes(StandardCharsets.ISO_8859_1);
    server.respond("/docs/report.pdf", 200, "application/pdf", pdf);
    server.respond("/img", 200, "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0});
    JsonNode r = ctx.call(fetch, args("url", server.url("/docs/report.pdf?x=1"), "timeout_seconds", 5));
    Path saved = ctx.workspaceRoot().resolve("web_fetch/report.pdf");
    assertEquals(saved.toString(), r.get("path").asText());
    assertArrayEquals(pdf, Files.readAllBytes(saved));
    assertEquals(pdf.length, r.get("size_bytes").asInt());
    assertEquals("[non-text content (application/pdf, " + pdf.length + " bytes) saved to " + saved + "]",
        r.get("content").asText());
    JsonNode again = ctx.call(fetch, args("url", server.url("/docs/report.pdf"), "timeout_seconds", 5));
    assertEquals(ctx.workspaceRoot().resolve("web_fetch/report-2.pdf").toString(), again.get("path").asText());
    JsonNode img = ctx.call(fetch, args("url", server.url("/img"), "timeout_seconds", 5));
    assertEquals(ctx.workspaceRoot().resolve("web_fetch/img.png").toString(), img.get("path").asText());
  }

  @Test
  void anInterruptReturnsPromptlyAndDropsTheRequest() throws Exception {
    LocalHttpServer.Gate gate = new LocalHttpServer.Gate(5);
    server.route("/slow", ex -> slowHello(ex, gate));
    CompletableFuture<JsonNode> call = CompletableFuture.supplyAsync(() -> callQuietly(
        args("url", server.url("/slow"), "timeout_seconds", 20)));
    assertTrue(gate.awaitReached());
    long t0 = System.nanoTime();
    ctx.signal().interrupt();
    JsonNode r = call.get(5, TimeUnit.SECONDS);
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000);
    assertEquals(server.url("/slow"), r.get("url").asText());
    assertTrue(r.get("interrupted").asBoolean());
    assertTrue(r.get("cancelled").asBoolean());
    assertFalse(r.has("timed_out"));
    gate.open();
  }

  @Test
  void aTimeoutMidBodyYieldsTheTextThatArrived() throws Exception {
    LocalHttpServer.Gate gate = new LocalHttpServer.Gate(5);
    server.route("/slow", ex -> slowHello(ex, gate));
    JsonNode r = ctx.call(fetch, args("url", server.url("/slow"), "timeout_seconds", 1));
    assertTrue(r.get("timed_out").asBoolean());
    assertTrue(r.get("cancelled").asBoolean());
    assertEquals(200, r.get("status").asInt());
    assertEquals("text/plain", r.get("content_type").asText());
    assertEquals("hello", r.get("content").asText());
    assertTrue(r.get("truncated").asBoolean());
    gate.open();
  }

  private static void slowHello(com.sun.net.httpserver.HttpExchange ex, LocalHttpServer.Gate gate)
      throws java.io.IOException {
    ex.getResponseHeaders().add("Content-Type", "text/plain");
    ex.sendResponseHeaders(200, 0);
    ex.getResponseBody().write("hello".getBytes(StandardCharsets.UTF_8));
    ex.getResponseBody().flush();
    gate.reached.countDown();
    gate.awaitOpen();
  }

  @Test
  void theWholeFetchIsBoundedByTimeoutSeconds() throws Exception {
    LocalHttpServer.Gate gate = new LocalHttpServer.Gate(0);
    server.route("/hang", ex -> gate.awaitOpen());
    long t0 = System.nanoTime();
    JsonNode r = ctx.call(fetch, args("url", server.url("/hang"), "timeout_seconds", 0.5));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 450 && ms < 5000, "took " + ms + " ms");
    assertEquals(server.url("/hang"), r.get("url").asText());
    assertTrue(r.get("timed_out").asBoolean());
    assertTrue(r.get("cancelled").asBoolean());
    assertEquals(0.5, r.get("timeout_seconds").asDouble());
    gate.open();
  }

  @Test
  void anAlreadyRaisedSignalReturnsAtOnceWithoutARequest() throws Exception {
    server.respond("/t", 200, "text/plain", "x");
    ctx.signal().interrupt();
    JsonNode r = ctx.call(fetch, args("url", server.url("/t"), "timeout_seconds", 5));
    assertTrue(r.get("interrupted").asBoolean());
    assertTrue(server.requests().isEmpty());
  }

  private JsonNode callQuietly(String args) {
    try {
      return ctx.call(fetch, args);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private void assertError(String message, String args) throws Exception {
    ToolResult r = ctx.invoke(fetch, args);
    assertTrue(r.errored(), r.content());
    JsonNode j = partyclaw.core.json.Json.parse(r.content());
    assertEquals(message, j.get("error").asText());
    assertEquals("web_fetch", j.get("tool").asText());
  }
}
