package partyclaw.tools.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.config.MediaRouting;
import partyclaw.core.tool.ToolResult;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.RecordedRequest;
import partyclaw.testkit.Step;
import partyclaw.tools.testing.TestToolContext;

/**
 * The media tools against the in-repo fake model server (tools.md §3.5). Each test has its own server and its own
 * {@link MediaTooling} pointed at it: a helper call a test leaves behind (e.g. the background question of a
 * cancelled image_start, which may still be sent after the test ended) can then never take a step another test
 * queued.
 */
class MediaToolsTest {
  private static final String KEY = "sk-helper-secret";
  private FakeLlmServer server;
  private MediaTooling media;

  @TempDir Path dir;
  private TestToolContext ctx;

  @BeforeEach
  void setUp() {
    server = FakeLlmServer.start();
    MediaRouting main = new MediaRouting(true, "helper", false, "helper", false, "helper", "gen");
    MediaRouting chatGen = new MediaRouting(false, null, false, null, false, null, "helper");
    HelperModel helper = new HelperModel("helper", server.chatCompletionsUrl(), "helper-model", KEY, Map.of(),
        Duration.ofSeconds(10), Set.of("chat", "image_in", "pdf", "audio_in"), false, false);
    HelperModel gen = new HelperModel("gen", server.baseUrl() + "/responses", "gen-model", KEY, Map.of(),
        Duration.ofSeconds(10), Set.of("chat", "image_out"), true, false);
    media = new MediaTooling(alias -> switch (alias) {
      case "main" -> main;
      case "other" -> chatGen;
      default -> null;
    }, Map.of("helper", helper, "gen", gen), List.of(main));
    ctx = TestToolContext.on(dir).withCurrentModel("main");
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void pdfQuerySendsTheWholeFileToTheHelperAndReturnsItsAnswer() throws Exception {
    byte[] pdf = "%PDF-1.4 quarterly numbers".getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("report.pdf"), pdf);
    server.enqueue(Step.text("Revenue grew 12%."));

    JsonNode out = ctx.call(new PdfQueryTool(media), args("path", "report.pdf", "question", "How did revenue do?"));

    assertEquals("{\"path\":\"report.pdf\",\"question\":\"How did revenue do?\",\"answer\":\"Revenue grew 12%.\"}",
        out.toString());
    RecordedRequest r = server.requests().get(0);
    assertEquals("helper-model", r.model());
    assertEquals(1200, r.body().path("max_completion_tokens").asInt());
    assertEquals("Bearer " + KEY, r.header("authorization"));
    JsonNode content = r.messages().get(1).path("content");
    assertEquals("How did revenue do?", content.get(0).path("text").asText());
    assertEquals("report.pdf", content.get(1).path("file").path("filename").asText());
    assertEquals("data:application/pdf;base64," + Base64.getEncoder().encodeToString(pdf),
        content.get(1).path("file").path("file_data").asText());
  }

  @Test
  void audioTranscribeSendsInputAudioWithTheDefaultQuestion() throws Exception {
    Files.write(dir.resolve("note.opus"), new byte[] {9, 8, 7});
    server.enqueue(Step.text("Hello there."));

    JsonNode out = ctx.call(new AudioTranscribeTool(media), args("path", "note.opus"));

    assertEquals("Hello there.", out.path("answer").asText());
    assertEquals(AudioTranscribeTool.DEFAULT_QUESTION, out.path("question").asText());
    JsonNode audio = server.requests().get(0).messages().get(1).path("content").get(1);
    assertEquals("{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"CQgH\",\"format\":\"ogg\"}}", audio.toString());
  }

  @Test
  void audioTranscribeRefusesUnknownFormats() throws Exception {
    Files.write(dir.resolve("clip.xyz"), new byte[] {1});
    ToolResult result = ctx.invoke(new AudioTranscribeTool(media), args("path", "clip.xyz"));
    assertTrue(result.errored());
    assertTrue(result.content().contains("unsupported audio format for audio tool: clip.xyz"), result.content());
    assertEquals(0, server.requests().size());
  }

  @Test
  void imageGenerateSavesThePngSendsItAndAttachesItBack() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    server.enqueue(Step.generatedImage(Base64.getEncoder().encodeToString(png), ""));

    JsonNode out = ctx.call(new ImageGenerateTool(media), args("prompt", "a red bicycle"));

    String path = out.path("path").asText();
    assertTrue(path.matches("generated/generated-[0-9a-f-]{36}\\.png"), path);
    assertArrayEquals(png, Files.readAllBytes(dir.resolve(path)));
    assertEquals("synthetic_user_multimodal", out.path("kind").asText());
    assertEquals(dir.toRealPath().resolve(path).toString(), out.path("media").get(0).path("path").asText());
    assertEquals(List.of("<attachment>" + dir.toRealPath().resolve(path) + "</attachment>"), ctx.told());
    RecordedRequest r = server.requests().get(0);
    assertTrue(r.responses());
    assertEquals("[{\"type\":\"image_generation\"}]", r.body().path("tools").toString());
    assertEquals(false, r.body().path("store").asBoolean(true));
  }

  @Test
  void imageGenerateRefusesAChatCompletionsHelper() throws Exception {
    ToolResult result = ctx.withCurrentModel("other").invoke(new ImageGenerateTool(media), args("prompt", "x"));
    assertTrue(result.errored());
    assertTrue(result.content().contains("image_generate needs a Responses API model (type openrouter-resp); model"
        + " 'helper' speaks Chat Completions"), result.content());
  }

  @Test
  void imageStartAnswersInTheBackgroundAndImageWaitCollectsIt() throws Exception {
    Files.write(dir.resolve("p.png"), new byte[] {1, 2});
    server.enqueue(Step.text("A cat.").withDelay(Duration.ofMillis(300)));

    JsonNode started = ctx.call(new ImageStartTool(media),
        args("path", "p.png", "question", "what animal?", "return_immediate", true));
    assertEquals(true, started.path("running").asBoolean());
    JsonNode done = ctx.call(new ImageWaitTool(media), args("image_id", started.path("image_id").asText()));

    assertEquals("{\"image_id\":\"" + started.path("image_id").asText() + "\",\"path\":\"p.png\",\"question\":"
        + "\"what animal?\",\"running\":false,\"completed\":true,\"cancelled\":false,\"failed\":false,\"answer\":"
        + "\"A cat.\"}", done.toString());
    assertEquals(800, server.requests().get(0).body().path("max_completion_tokens").asInt());
  }

  @Test
  void imageCancelStopsAQuestion() throws Exception {
    Files.write(dir.resolve("p.png"), new byte[] {1, 2});
    server.enqueue(Step.text("late").withDelay(Duration.ofSeconds(5)));
    JsonNode started = ctx.call(new ImageStartTool(media),
        args("path", "p.png", "question", "q", "return_immediate", true));
    server.awaitRequests(1, Duration.ofSeconds(10)); // cancelled while the helper is answering, not before it asked

    JsonNode cancelled = ctx.call(new ImageCancelTool(media), args("image_id", started.path("image_id").asText()));

    assertEquals("{\"image_id\":\"" + started.path("image_id").asText() + "\",\"path\":\"p.png\",\"question\":\"q\","
        + "\"running\":false,\"completed\":false,\"cancelled\":true,\"failed\":false}", cancelled.toString());
  }

  @Test
  void imageLoadAttachesByReferenceForANativeModel() throws Exception {
    Files.write(dir.resolve("p.png"), new byte[] {1});
    JsonNode out = ctx.call(new ImageLoadTool(media), args("path", "p.png"));
    assertEquals("{\"loaded\":true,\"kind\":\"synthetic_user_multimodal\",\"media\":[{\"type\":\"input_image\","
        + "\"path\":\"" + dir.toRealPath().resolve("p.png") + "\"}],\"path\":\"p.png\"}", out.toString());
    ToolResult refused = ctx.withCurrentModel("other").invoke(new ImageLoadTool(media), args("path", "p.png"));
    assertTrue(refused.errored());
  }

  @Test
  void theFourthImageLoadOfABatchAttachesNothing() throws Exception {
    Files.write(dir.resolve("p.png"), new byte[] {1});
    ImageLoadTool tool = new ImageLoadTool(media);
    for (int i = 1; i <= 3; i++) assertEquals(true, ctx.call(tool, args("path", "p.png")).path("loaded").asBoolean());
    JsonNode fourth = ctx.call(tool, args("path", "p.png"));
    assertEquals("{\"error\":\"too many image_load calls in one tool batch: maximum is 3; load the remaining images"
        + " in a later step\",\"tool\":\"image_load\",\"failed\":true,\"max_per_tool_batch\":3,"
        + "\"position_in_batch\":4}", fourth.toString());
    ctx.newBatch();
    assertEquals(true, ctx.call(tool, args("path", "p.png")).path("loaded").asBoolean(), "a new batch starts over");
  }
}
