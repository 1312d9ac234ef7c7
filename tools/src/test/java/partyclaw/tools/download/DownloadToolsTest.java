package partyclaw.tools.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolResult;
import partyclaw.core.workdir.Workdir;
import partyclaw.tools.testing.LocalHttpServer;
import partyclaw.tools.testing.TestToolContext;
import partyclaw.tools.web.WebClient;

@Timeout(60)
class DownloadToolsTest {
  static final int SIZE = 200 * 1024;
  static final int HOLD = 50 * 1024;
  static final byte[] CONTENT = content(SIZE);

  @TempDir Path tmp;
  @TempDir Path workdir;
  TestToolContext ctx;
  LocalHttpServer server;
  WebClient web;
  Downloads downloads;
  Tools tools;

  record Tools(FileDownloadStartTool start, FileDownloadProgressTool progress, FileDownloadWaitTool await,
      FileDownloadCancelTool cancel) {
    static Tools of(Downloads d) {
      return new Tools(new FileDownloadStartTool(d), new FileDownloadProgressTool(d), new FileDownloadWaitTool(d),
          new FileDownloadCancelTool(d));
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    ctx = TestToolContext.on(tmp).withWorkdir(workdir);
    server = new LocalHttpServer();
    web = WebClient.create();
    use(new Downloads.Limits(2, 1L << 20, Duration.ofSeconds(10), 50));
  }

  void use(Downloads.Limits limits) {
    if (downloads != null) downloads.close();
    downloads = Downloads.create(web, limits);
    tools = Tools.of(downloads);
  }

  @AfterEach
  void tearDown() {
    ctx.close();
    server.close();
    downloads.close();
  }

  @Test
  void streamsToAHiddenPartFileAndRenamesItWhenComplete() throws Exception {
    LocalHttpServer.Gate gate = new LocalHttpServer.Gate(HOLD);
    server.file("/data.bin", CONTENT, true, true, gate);
    JsonNode started = ctx.call(tools.start(), args("url", server.url("/data.bin"), "path", "dl/data.bin",
        "return_immediate", true));
    String id = started.get("download_id").asText();
    assertTrue(started.get("running").asBoolean());
    assertTrue(gate.awaitReached());
    JsonNode mid = awaitBytes(ctx, id, HOLD);
    assertEquals(SIZE, mid.get("total_bytes").asLong());
    assertEquals(25.0, mid.get("percent").asDouble());
    assertTrue(mid.get("running").asBoolean());
    assertFalse(mid.get("completed").asBoolean());
    assertEquals(200, mid.get("http_status").asInt());
    assertTrue(mid.get("error").isNull());
    Path dest = ctx.workspaceRoot().resolve("dl/data.bin");
    Path part = ctx.workspaceRoot().resolve("dl/.data.bin." + id + ".part");
    assertFalse(Files.exists(dest), "no half file at the destination");
    assertEquals(HOLD, Files.size(part));

    gate.open();
    JsonNode done = ctx.call(tools.await(), args("download_id", id, "wait_timeout_seconds", 10));
    assertEquals(id, done.get("download_id").asText());
    assertEquals(server.url("/data.bin"), done.get("url").asText());
    assertEquals(dest.toString(), done.get("path").asText());
    assertFalse(done.get("running").asBoolean());
    assertTrue(done.get("completed").asBoolean());
    assertFalse(done.get("cancelled").asBoolean());
    assertFalse(done.get("failed").asBoolean());
    assertEquals(SIZE, done.get("bytes_downloaded").asLong());
    assertEquals(SIZE, done.get("size_bytes").asLong());
    assertEquals(100.0, done.get("percent").asDouble());
    assertEquals(server.url("/data.bin"), done.get("final_url").asText());
    assertEquals("application/octet-stream", done.get("content_type").asText());
    assertArrayEquals(CONTENT, Files.readAllBytes(dest));
    assertEquals(List.of(), partFiles());
    assertTrue(ctx.call(tools.progress(), args("download_id", id)).get("completed").asBoolean());
  }

  @Test
  void anUnknownLengthHasNoPercentUntilDone() throws Exception {
    LocalHttpServer.Gate gate = new LocalHttpServer.Gate(HOLD);
    server.file("/chunked", CONTENT, false, false, gate);
    String id = startImmediate("/chunked", "c.bin");
    assertTrue(gate.awaitReached());
    JsonNode mid = awaitBytes(ctx, id, HOLD);
    assertTrue(mid.get("total_bytes").isNull());
    assertTrue(mid.get("percent").isNull());
    gate.open();
    JsonNode done = ctx.call(tools.await(), args("download_id", id, "wait_timeout_seconds", 10));
    assertTrue(done.get("completed").asBoolean());
    assertEquals(SIZE, done.get("size_bytes").asLong());
  }

  @Test
  void startWaitsForCompletionAndFollowsRedirects() throws Exception {
    server.file("/data.bin", CONTENT, true, true, null);
    server.redirect("/go", 302, "/data.bin");
    JsonNode done = ctx.call(tools.start(), args("url", server.url("/go"), "path", "r.bin"));
    assertTrue(done.get("completed").asBoolean(), done.toString());
    assertEquals(server.url("/go"), done.get("url").asText());
    assertEquals(server.url("/data.bin"), done.get("final_url").asText());
    assertArrayEquals(CONTENT, Files.readAllBytes(ctx.workspaceRoot().resolve("r.bin")));
  }

  @Test
  void cancelStopsTheTransferAndRemovesThePartFile() throws Exception {
    LocalHttpServer.Gate gate = new LocalHttpServer.Gate(HOLD);
    server.file("/data.bin", CONTENT, true, true, gate);
    String id = startImmediate("/data.bin", "x.bin");
    assertTrue(gate.awaitReached());
    awaitBytes(ctx, id, HOLD);
    assertEquals(1, partFiles().size());
    JsonNode cancelled = ctx.call(tools.cancel(), args("download_id", id));
    assertEquals(id, cancelled.get("download_id").asText());
    assertFalse(cancelled.get("running").asBoolean());
    assertFalse(cancelled.get("completed").asBoolean());
    assertTrue(cancelled.get("cancelled").asBoolean());
    assertFalse(cancelled.get("failed").asBoolean());
    assertEquals(List.of(), partFiles());
    assertFalse(Files.exists(ctx.workspaceRoot().resolve("x.bin")));
    JsonNode after = ctx.call(tools.progress(), args("download_id", id));
    assertTrue(after.get("cancelled").asBoolean());
    assertFalse(after.get("running").asBoolean());
    assertEquals("the download had already ended; nothing was cancelled",
        ctx.call(tools.cancel(), args("download_id", id)).get("note").asText());
    gate.open();
  }

  @Test
  void errorsTheSpecNames() throws Exception {
    server.respond("/missing", 404, "text/plain", "not here");
    JsonNode failed = ctx.call(tools.start(), args("url", server.url("/missing"), "path", "m.bin"));
    assertTrue(failed.get("failed").asBoolean());
    assertFalse(failed.get("running").asBoolean());
    assertEquals(404, failed.get("http_status").asInt());
    assertEquals("download failed with 404: not here", failed.get("error").asText());
    assertFalse(Files.exists(ctx.workspaceRoot().resolve("m.bin")));
    assertEquals(List.of(), partFiles());

    Files.writeString(ctx.workspaceRoot().resolve("exists.txt"), "keep");
    assertError(tools.start(), "destination already exists and overwrite=false: " + ctx.workspaceRoot().resolve("exists.txt"),
        args("url", server.url("/missing"), "path", "exists.txt"));
    assertError(tools.start(), "unsupported url scheme 'ftp': only http and https URLs can be fetched",
        args("url", "ftp://example.org/f", "path", "f"));
    assertError(tools.start(), "missing required argument: path", args("url", server.url("/x")));
    assertError(tools.start(), ctx.workspaceRoot() + " is a directory; give the path of the file to create",
        args("url", server.url("/x"), "path", "."));
    assertError(tools.start(), "wait_timeout_seconds must be a finite number of seconds >= 0",
        args("url", server.url("/x"), "path", "w.bin", "wait_timeout_seconds", -1));
    assertError(tools.start(), "on_timeout must be \"continue\" or \"kill\"",
        args("url", server.url("/x"), "path", "w.bin", "on_timeout", "later"));
    assertTrue(assertError(tools.start(), null, args("url", server.url("/x"), "path", "/etc/passwd-copy"))
        .startsWith("path /etc/passwd-copy is outside the conversation workspace"));
    assertError(tools.progress(), "download nope not found in this conversation; it may never have existed or have "
        + "been forgotten after it finished", args("download_id", "nope"));
    assertError(tools.await(), "download nope not found in this conversation; it may never have existed or have "
        + "been forgotten after it finished", args("download_id", "nope"));
    assertError(tools.cancel(), "download nope not found in this conversation; it may never have existed or have "
        + "been forgotten after it finished", args("download_id", "nope"));
    assertEquals("keep", Files.readString(ctx.workspaceRoot().resolve("exists.txt")));
  }

  @Test
  void overwriteReplacesAnExistingFile() throws Exception {
    server.file("/data.bin", CONTENT, true, true, null);
    Files.writeString(ctx.workspaceRoot().resolve("o.bin"), "old");
    JsonNode done = ctx.call(tools.start(), args("url", server.url("/data.bin"), "path", "o.bin", "overwrite", true));
    assertTrue(done.get("completed").asBoolean());
    assertArrayEquals(CONTENT, Files.readAllBytes(ctx.workspaceRoot().resolve("o.bin")));
  }

  @Test
  void filesOverTheSizeLimitFailAndLeaveNothing() throws Exception {
    use(new Downloads.Limits(2, 1000, Duration.ofSeconds(10), 50));
    server.file("/known", new byte[5000], false, true, null);
    server.file("/unknown", new byte[5000], false, false, null);
    JsonNode known = ctx.call(tools.start(), args("url", server.url("/known"), "path", "k.bin"));
    assertTrue(known.get("failed").asBoolean());
    assertEquals("the file is 5000 bytes, over the download limit of 1000 bytes", known.get("error").asText());
    JsonNode unknown = ctx.call(tools.start(), args("url", server.url("/unknown"), "path", "u.bin"));
    assertTrue(unknown.get("failed").asBoolean());
    assertEquals("the download passed the limit of 1000 bytes and was stopped", unknown.get("error").asText());
    assertEquals(List.of(), partFiles());
    assertFalse(Files.exists(ctx.workspaceRoot().resolve("k.bin")));
    assertFalse(Files.exists(ctx.workspaceRoot().resolve("u.bin")));
  }

  @Test
  void aTransferThatStopsReceivingFailsAfterTheStallTimeout() throws Exception {
    use(new Downloads.Limits(2, 1L << 20, Duration.ofMillis(400), 50));
    LocalHttpServer.Gate gate = new LocalHttpServer.Gate(HOLD);
    server.file("/data.bin", CONTENT, true, true, gate);
    JsonNode r = ctx.call(tools.start(), args("url", server.url("/data.bin"), "path", "s.bin",
        "wait_timeout_seconds", 20));
    assertTrue(r.get("failed").asBoolean(), r.toString());
    assertEquals("the download stalled: no data arrived for 0.4 seconds", r.get("error").asText());
    assertEquals(List.of(), partFiles());
    gate.open();
  }

  @Test
  void waitsYieldOnInterruptAndHonourOnTimeout() throws Exception {
    LocalHttpServer.Gate gate = new LocalHttpServer.Gate(HOLD);
    server.file("/data.bin", CONTENT, true, true, gate);
    String id = startImmediate("/data.bin", "w.bin");
    assertTrue(gate.awaitReached());

    CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> call(tools.await(),
        args("download_id", id, "wait_timeout_seconds", 30)));
    // Raised before or during the wait, the signal makes it return the same way.
    ctx.signal().interrupt();
    JsonNode interrupted = waiting.get(5, TimeUnit.SECONDS);
    assertTrue(interrupted.get("interrupted").asBoolean());
    assertEquals("agent_turn_interrupted", interrupted.get("reason").asText());
    assertTrue(interrupted.get("download").get("running").asBoolean());
    assertEquals(id, interrupted.get("download").get("download_id").asText());

    ctx.newBatch();
    JsonNode timedOut = ctx.call(tools.await(), args("download_id", id, "wait_timeout_seconds", 0.2));
    assertTrue(timedOut.get("wait_timed_out").asBoolean());
    assertEquals("continue", timedOut.get("on_timeout").asText());
    assertTrue(timedOut.get("running").asBoolean());
    assertEquals(1, partFiles().size());

    JsonNode killed = ctx.call(tools.await(), args("download_id", id, "wait_timeout_seconds", 0.2, "on_timeout", "KILL"));
    assertTrue(killed.get("wait_timed_out").asBoolean());
    assertEquals("kill", killed.get("on_timeout").asText());
    assertTrue(killed.get("cancelled").asBoolean());
    assertFalse(killed.get("running").asBoolean());
    assertEquals(List.of(), partFiles());
    gate.open();
  }

  @Test
  void transfersBeyondTheConcurrencyLimitWaitInLine() throws Exception {
    use(new Downloads.Limits(1, 1L << 20, Duration.ofSeconds(10), 50));
    LocalHttpServer.Gate gate = new LocalHttpServer.Gate(HOLD);
    server.file("/a", CONTENT, true, true, gate);
    server.file("/b", CONTENT, true, true, null);
    String a = startImmediate("/a", "a.bin");
    assertTrue(gate.awaitReached());
    JsonNode b = ctx.call(tools.start(), args("url", server.url("/b"), "path", "b.bin", "return_immediate", true));
    assertTrue(b.get("queued").asBoolean());
    assertTrue(b.get("running").asBoolean());
    assertTrue(server.requestsTo("/b").isEmpty());
    gate.open();
    String bid = b.get("download_id").asText();
    assertTrue(ctx.call(tools.await(), args("download_id", a, "wait_timeout_seconds", 10)).get("completed").asBoolean());
    JsonNode bDone = ctx.call(tools.await(), args("download_id", bid, "wait_timeout_seconds", 10));
    assertTrue(bDone.get("completed").asBoolean());
    assertFalse(bDone.has("queued"));
  }

  @Test
  void aRestartResumesWithRangeWhereTheServerAllowsIt() throws Exception {
    LocalHttpServer.Gate gate = new LocalHttpServer.Gate(HOLD);
    server.file("/data.bin", CONTENT, true, true, gate);
    String id = interruptedByRestart(gate);

    JsonNode done = afterRestart(id);
    assertTrue(done.get("completed").asBoolean(), done.toString());
    assertEquals(HOLD, done.get("resumed_from_bytes").asLong());
    assertEquals(206, done.get("http_status").asInt());
    assertArrayEquals(CONTENT, Files.readAllBytes(ctx.workspaceRoot().resolve("big.bin")));
    List<LocalHttpServer.Request> requests = server.requestsTo("/data.bin");
    assertEquals(2, requests.size());
    assertFalse(requests.get(0).headers().containsKey("range"));
    assertEquals("bytes=" + HOLD + "-", requests.get(1).headers().get("range"));
    assertEquals("\"v1\"", requests.get(1).headers().get("if-range"));
    assertEquals(List.of(), partFiles());
    gate.open();
  }

  @Test
  void aRestartAgainstAServerWithoutRangesStartsOver() throws Exception {
    LocalHttpServer.Gate gate = new LocalHttpServer.Gate(HOLD);
    server.file("/data.bin", CONTENT, false, true, gate);
    String id = interruptedByRestart(gate);

    JsonNode done = afterRestart(id);
    assertTrue(done.get("completed").asBoolean(), done.toString());
    assertFalse(done.has("resumed_from_bytes"));
    assertEquals(200, done.get("http_status").asInt());
    assertArrayEquals(CONTENT, Files.readAllBytes(ctx.workspaceRoot().resolve("big.bin")));
    List<LocalHttpServer.Request> requests = server.requestsTo("/data.bin");
    assertEquals(2, requests.size());
    assertEquals("bytes=" + HOLD + "-", requests.get(1).headers().get("range"), "it asked; the server said no");
    gate.open();
  }

  /** Starts a download, lets it get to {@link #HOLD} bytes, and stops the "daemon" (closes the resources). */
  private String interruptedByRestart(LocalHttpServer.Gate gate) throws Exception {
    String id = startImmediate("/data.bin", "big.bin");
    assertTrue(gate.awaitReached());
    awaitBytes(ctx, id, HOLD);
    ctx.close();
    downloads.close();
    gate.open(); // the old connection is gone; the next run's requests must not be held
    Path part = ctx.workspaceRoot().resolve(".big.bin." + id + ".part");
    assertEquals(HOLD, Files.size(part), "the .part file is kept for the next run");
    JsonNode state = Json.parse(Files.readString(Downloads.stateFile(new Workdir(workdir), ctx.conversationId())));
    assertEquals("test:1", state.get("conversation_id").asText());
    assertEquals("running", state.get("downloads").get(0).get("phase").asText());
    assertEquals("\"v1\"", state.get("downloads").get(0).get("etag").asText());
    return id;
  }

  /** A new daemon run on the same workdir: a fresh context and download service resume what was unfinished. */
  private JsonNode afterRestart(String id) throws Exception {
    ctx = TestToolContext.on(tmp).withWorkdir(workdir);
    downloads = Downloads.create(web, new Downloads.Limits(2, 1L << 20, Duration.ofSeconds(10), 50));
    tools = Tools.of(downloads);
    TestToolContext restarted = ctx;
    assertEquals(1, downloads.resumeUnfinished(new Workdir(workdir), conversation -> restarted.resources()));
    return ctx.call(tools.await(), args("download_id", id, "wait_timeout_seconds", 10));
  }

  private String startImmediate(String path, String dest) throws InterruptedException {
    return ctx.call(tools.start(), args("url", server.url(path), "path", dest, "return_immediate", true))
        .get("download_id").asText();
  }

  /** Polls the progress until exactly {@code bytes} have arrived (the server holds the body there). */
  private JsonNode awaitBytes(TestToolContext c, String id, long bytes) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      JsonNode p = c.call(tools.progress(), args("download_id", id));
      if (p.get("bytes_downloaded").asLong() == bytes) return p;
      if (System.nanoTime() > deadline) throw new AssertionError("never reached " + bytes + " bytes: " + p);
      Thread.sleep(10);
    }
  }

  private List<Path> partFiles() throws IOException {
    try (Stream<Path> files = Files.walk(ctx.workspaceRoot())) {
      return files.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
    }
  }

  private JsonNode call(partyclaw.core.tool.Tool tool, String args) {
    try {
      return ctx.call(tool, args);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Asserts the call fails with {@code message} (when not null) and returns the error text. */
  private String assertError(partyclaw.core.tool.Tool tool, String message, String args) throws Exception {
    ToolResult r = ctx.invoke(tool, args);
    assertTrue(r.errored(), r.content());
    JsonNode j = Json.parse(r.content());
    assertEquals(tool.name(), j.get("tool").asText());
    if (message != null) assertEquals(message, j.get("error").asText());
    return j.get("error").asText();
  }

  private static byte[] content(int size) {
    byte[] b = new byte[size];
    new Random(42).nextBytes(b);
    return b;
  }
}
