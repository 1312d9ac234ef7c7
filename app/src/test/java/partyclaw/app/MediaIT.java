package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.app.TelegramITSupport.awaitReply;
import static partyclaw.app.TelegramITSupport.workspaceRoot;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.FakeTelegramServer;
import partyclaw.testkit.RecordedRequest;
import partyclaw.testkit.Step;
import partyclaw.testkit.ToolCallSpec;

/**
 * Photos, PDFs and voice notes sent on Telegram reach the model (runtime.md §3.6): as parts of the user message
 * when the conversation's model has the capability, as a pointer naming the helper tool when it has not; and the
 * journal keeps only file references.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MediaIT {
  @TempDir static Path dir;
  FakeLlmServer llm;
  FakeTelegramServer fake;
  DaemonProcess daemon;

  @BeforeAll
  void start() throws Exception {
    llm = FakeLlmServer.start();
    llm.setDefault(req -> {
      if ("gen-model".equals(req.model())) return Step.generatedImage(Base64.getEncoder().encodeToString(PNG), "");
      String last = req.lastUserText();
      if (last.startsWith("DRAW ")) {
        return Step.toolCalls(new ToolCallSpec("call_draw", "image_generate",
            "{\"prompt\":\"" + last.substring(5) + "\"}"));
      }
      if (last.startsWith("[Media loaded by tools]")) return Step.text("drawn");
      return Step.text("ok: " + last.lines().findFirst().orElse(""));
    });
    fake = TelegramITSupport.telegram();
    daemon = TelegramITSupport.start(dir, "daemon", config(dir, llm.baseUrl(), fake.baseUrl()), Map.of());
  }

  @AfterAll
  void stop() throws Exception {
    try {
      TelegramITSupport.assertTokenNotLeaked(daemon, dir);
    } finally {
      daemon.close();
      fake.close();
      llm.close();
    }
  }

  static Path config(Path dir, String llmUrl, String telegramUrl) throws IOException {
    String json = """
        {
          "version": "0.21",
          "models": {
            "vision": { "type": "openrouter", "api_endpoint": "%1$s", "model": "vision-model",
                        "capabilities": ["chat", "image_in", "pdf", "audio_in"] },
            "plain": { "type": "openrouter", "api_endpoint": "%1$s", "model": "plain-model",
                       "capabilities": ["chat"] },
            "helper": { "type": "openrouter", "api_endpoint": "%1$s", "model": "helper-model",
                        "capabilities": ["chat", "image_in", "pdf", "audio_in"], "agent_model_enabled": false },
            "resp": { "type": "openrouter-resp", "api_endpoint": "%1$s", "model": "resp-model",
                      "capabilities": ["chat"] },
            "gen": { "type": "openrouter-resp", "api_endpoint": "%1$s", "model": "gen-model",
                     "capabilities": ["chat", "image_out"], "agent_model_enabled": false }
          },
          "agent": { "agent_frame": { "available_models": ["vision", "plain", "resp"] } },
          "tooling": { "image": "helper:self", "pdf": "helper:self", "audio_input": "helper:self",
                       "image_gen": "gen" },
          "main_agent": { "language": "en", "model": "vision" },
          "channels": [ {
            "kind": "telegram", "id": "tg", "bot_token_env": "%2$s", "api_base_url": "%3$s",
            "poll_timeout_seconds": 2, "open": true, "poll_interval_ms": 50
          } ]
        }
        """.formatted(llmUrl, TelegramITSupport.TOKEN_ENV, telegramUrl);
    Path file = dir.resolve("media-config.json");
    Files.writeString(file, json);
    return file;
  }

  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** The last user message of the request for the chat whose text starts with {@code caption}. */
  private JsonNode lastUser(String caption) {
    RecordedRequest r = llm.requests().stream().filter(q -> q.lastUserText().startsWith(caption))
        .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no request for " + caption));
    List<JsonNode> messages = r.messages();
    JsonNode last = null;
    for (JsonNode m : messages) if (m.path("role").asText().equals("user")) last = m;
    return last;
  }

  @Test
  void aPhotoReachesAVisionModelAsAnImagePartWithItsCaption() {
    long chat = 9101;
    byte[] photo = bytes(3000, 1);
    fake.message(chat, "private", chat).photo(photo).caption("what is in it?").inject();
    awaitReply(fake, chat, "ok: what is in it?");

    JsonNode content = lastUser("what is in it?").path("content");
    assertEquals(2, content.size(), content.toString());
    assertEquals("text", content.get(0).path("type").asText());
    String text = content.get(0).path("text").asText();
    assertTrue(text.matches("(?s)what is in it\\?\n\n\\[image photo_\\S+\\.jpg \\(/\\S+/upload/\\S+\\.jpg\\) is"
        + " attached below and directly visible to you]"), text);
    assertEquals("image_url", content.get(1).path("type").asText());
    assertEquals("data:image/jpeg;base64," + Base64.getEncoder().encodeToString(photo),
        content.get(1).path("image_url").path("url").asText());
  }

  @Test
  void aPdfAndAVoiceNoteReachACapableModelAsFileAndAudioParts() {
    long chat = 9102;
    byte[] pdf = "%PDF-1.4 a tiny test document".getBytes();
    byte[] voice = bytes(500, 2);
    fake.message(chat, "private", chat).document("report.pdf", "application/pdf", pdf).caption("summarize")
        .inject();
    awaitReply(fake, chat, "ok: summarize");
    fake.message(chat, "private", chat).voice(voice).inject();
    fake.await(() -> fake.sentMessages(chat).stream().filter(m -> m.visibleText().startsWith("ok: [audio voice_"))
        .findFirst().orElse(null), TelegramITSupport.REPLY_WAIT, () -> "the voice note's reply");

    JsonNode pdfContent = lastUser("summarize").path("content");
    assertEquals(2, pdfContent.size(), pdfContent.toString());
    assertEquals("file", pdfContent.get(1).path("type").asText());
    assertEquals("report.pdf", pdfContent.get(1).path("file").path("filename").asText());
    assertEquals("data:application/pdf;base64," + Base64.getEncoder().encodeToString(pdf),
        pdfContent.get(1).path("file").path("file_data").asText());
    JsonNode voiceContent = lastUser("[audio voice_").path("content");
    assertEquals(2, voiceContent.size(), voiceContent.toString());
    assertEquals("input_audio", voiceContent.get(1).path("type").asText());
    assertEquals(Base64.getEncoder().encodeToString(voice),
        voiceContent.get(1).path("input_audio").path("data").asText());
    assertEquals("ogg", voiceContent.get(1).path("input_audio").path("format").asText());
  }

  @Test
  void aModelWithoutTheCapabilityGetsAPointerToASavedCopyAndTheHelperTool() throws Exception {
    long chat = 9103;
    fake.injectMessage(chat, "private", chat, "/agent plain");
    fake.await(() -> fake.sentMessages(chat).isEmpty() ? null : true, TelegramITSupport.REPLY_WAIT, () -> "/agent");
    byte[] photo = bytes(2000, 3);
    fake.message(chat, "private", chat).photo(photo).caption("and this one?").inject();
    awaitReply(fake, chat, "ok: and this one?");

    RecordedRequest r = llm.requests().stream().filter(q -> q.lastUserText().startsWith("and this one?"))
        .reduce((a, b) -> b).orElseThrow();
    assertEquals("plain-model", r.model());
    JsonNode content = lastUser("and this one?").path("content");
    assertEquals(1, content.size(), content.toString());
    Path root = Path.of(workspaceRoot(r));
    List<Path> saved;
    try (Stream<Path> files = Files.list(root.resolve(".context_attachments/by-hash"))) {
      saved = files.filter(p -> p.getFileName().toString().startsWith("image-")).toList();
    }
    Path copy = saved.stream().filter(p -> {
      try {
        return java.util.Arrays.equals(photo, Files.readAllBytes(p));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).findFirst().orElseThrow(() -> new AssertionError("no saved copy in " + saved));
    String text = content.get(0).path("text").asText();
    assertTrue(text.matches("(?s)and this one\\?\n\n\\[Attachment: kind=image, path=" + java.util.regex.Pattern.quote(
        copy.toString()) + ", original_name=photo_\\S+\\.jpg, media_type=image/jpeg — this model cannot view it"
        + " directly; use image_start to ask the image helper model about it]"), text);
  }

  @Test
  void aConversationWithTwentyImagesKeepsASmallJournal() throws Exception {
    long chat = 9104;
    int photoBytes = 100_000;
    for (int album = 0; album < 4; album++) {
      List<byte[]> photos = new ArrayList<>();
      for (int i = 0; i < 5; i++) photos.add(bytes(photoBytes, 100 + album * 5 + i));
      fake.injectAlbum(chat, "private", chat, "album " + album, photos);
      awaitReply(fake, chat, "ok: album " + album);
    }
    long images = llm.requests().stream().filter(q -> q.lastUserText().startsWith("album 3")).findFirst()
        .orElseThrow().messages().stream().flatMap(m -> {
          List<JsonNode> parts = new ArrayList<>();
          m.path("content").forEach(parts::add);
          return parts.stream();
        }).filter(p -> p.path("type").asText().equals("image_url")).count();
    assertEquals(20, images, "the fourth request carries all twenty images");
    long journal;
    try (Stream<Path> files = Files.walk(dir.resolve("wd/journal"))) {
      journal = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    // twenty images are 2 MB (2.7 MB as base64); the whole journal of this test class must stay far below one
    assertTrue(journal < 400_000, "journal is " + journal + " bytes");
  }

  @Test
  void anOpenrouterRespModelContinuesItsPreviousResponse() {
    long chat = 9105;
    fake.injectMessage(chat, "private", chat, "/agent resp");
    fake.await(() -> fake.sentMessages(chat).isEmpty() ? null : true, TelegramITSupport.REPLY_WAIT, () -> "/agent");
    fake.injectMessage(chat, "private", chat, "first question");
    awaitReply(fake, chat, "ok: first question");
    fake.injectMessage(chat, "private", chat, "second question");
    awaitReply(fake, chat, "ok: second question");

    List<RecordedRequest> turns = llm.requests().stream().filter(r -> "resp-model".equals(r.model())).toList();
    assertEquals(2, turns.size());
    assertTrue(turns.get(0).responses());
    assertEquals(null, turns.get(0).previousResponseId());
    assertEquals("first question", TelegramITSupport.textOf(turns.get(0).input().get(turns.get(0).input().size() - 1)
        .path("content")));
    String previous = turns.get(1).previousResponseId();
    assertTrue(previous != null && previous.startsWith("resp_fake_"), "previous_response_id " + previous);
    assertEquals(1, turns.get(1).input().size(), turns.get(1).input().toString());
    assertEquals("second question", TelegramITSupport.textOf(turns.get(1).input().get(0).path("content")));
  }

  @Test
  void imageGenerateSavesTheImageAndSendsItAsAPhoto() throws Exception {
    long chat = 9106;
    fake.injectMessage(chat, "private", chat, "DRAW a red bicycle");
    awaitReply(fake, chat, "drawn");

    assertEquals(1, fake.calls("sendPhoto").stream().filter(c -> c.chatId() == chat).count(),
        fake.calls("sendPhoto").toString());
    RecordedRequest gen = llm.requests().stream().filter(r -> "gen-model".equals(r.model())).findFirst()
        .orElseThrow();
    assertEquals("[{\"type\":\"image_generation\"}]", gen.body().path("tools").toString());
    RecordedRequest main = llm.requests().stream().filter(r -> r.lastUserText().startsWith("DRAW a red bicycle"))
        .findFirst().orElseThrow();
    Path root = Path.of(workspaceRoot(main));
    List<Path> generated;
    try (Stream<Path> files = Files.list(root.resolve("generated"))) {
      generated = files.toList();
    }
    assertEquals(1, generated.size());
    assertTrue(generated.get(0).getFileName().toString().matches("generated-[0-9a-f-]{36}\\.png"));
    assertTrue(java.util.Arrays.equals(PNG, Files.readAllBytes(generated.get(0))));
  }
}
