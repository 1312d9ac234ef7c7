package partyclaw.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ContentPart;

class MediaPartsTest {

  private static final LlmEndpoint ENDPOINT = new LlmEndpoint("m", "http://127.0.0.1:1/v1/chat/completions", "m1",
      null, Map.of(), null, RetryPolicy.NONE, null);
  private static final ModelTraits ALL = new ModelTraits(ModelTraits.CHAT_COMPLETIONS,
      Set.of("chat", "image_in", "pdf", "audio_in"), Map.of(), null);

  @TempDir
  Path root;

  private static byte[] png(int w, int h) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", out);
    return out.toByteArray();
  }

  private JsonNode userMessage(ChatMessage message, ModelTraits traits) throws Exception {
    ChatRequest request = new ChatRequest(List.of(message), List.of(), null).withMediaRoot(root);
    JsonNode body = Json.parse(ChatCompletionsRequestEncoder.encode(ENDPOINT, request, traits).utf8String());
    assertEquals(1, body.path("messages").size());
    return body.path("messages").get(0);
  }

  @Test
  void capableModelGetsImagePdfAndAudioPartsAfterTheText() throws Exception {
    Files.createDirectories(root.resolve("upload"));
    byte[] image = png(40, 30);
    Files.write(root.resolve("upload/photo.png"), image);
    Files.write(root.resolve("upload/doc.pdf"), "%PDF-1.4 fake".getBytes(StandardCharsets.UTF_8));
    Files.write(root.resolve("upload/voice.ogg"), new byte[] {1, 2, 3});
    ChatMessage m = ChatMessage.user("what is this?", List.of(ContentPart.image("upload/photo.png"),
        ContentPart.pdf("upload/doc.pdf"), ContentPart.audio("upload/voice.ogg")));

    JsonNode content = userMessage(m, ALL).path("content");

    assertEquals(4, content.size());
    assertEquals("text", content.get(0).path("type").asText());
    assertTrue(content.get(0).path("text").asText().startsWith("what is this?\n\n[image photo.png ("));
    assertEquals("image_url", content.get(1).path("type").asText());
    assertEquals("data:image/png;base64," + Base64.getEncoder().encodeToString(image),
        content.get(1).path("image_url").path("url").asText());
    assertEquals("file", content.get(2).path("type").asText());
    assertEquals("doc.pdf", content.get(2).path("file").path("filename").asText());
    assertEquals("data:application/pdf;base64," + Base64.getEncoder().encodeToString(
        "%PDF-1.4 fake".getBytes(StandardCharsets.UTF_8)), content.get(2).path("file").path("file_data").asText());
    assertEquals("input_audio", content.get(3).path("type").asText());
    assertEquals("AQID", content.get(3).path("input_audio").path("data").asText());
    assertEquals("ogg", content.get(3).path("input_audio").path("format").asText());
  }

  @Test
  void largeImagesAreScaledToPngOfAtMost2000Pixels() throws Exception {
    Files.write(root.resolve("big.jpg"), png(3000, 1200));

    JsonNode content = userMessage(ChatMessage.user("", List.of(ContentPart.image("big.jpg"))), ALL).path("content");

    String url = content.get(1).path("image_url").path("url").asText();
    assertTrue(url.startsWith("data:image/png;base64,"), url.substring(0, 30));
    BufferedImage scaled = ImageIO.read(new ByteArrayInputStream(
        Base64.getDecoder().decode(url.substring("data:image/png;base64,".length()))));
    assertEquals(2000, scaled.getWidth());
    assertEquals(800, scaled.getHeight());
  }

  @Test
  void mediaTheModelCannotTakeIsSavedByHashAndPointedAt() throws Exception {
    Files.write(root.resolve("photo.jpg"), png(10, 10));
    ModelTraits textOnly = new ModelTraits(ModelTraits.CHAT_COMPLETIONS, Set.of("chat"),
        Map.of("image", "image_start"), null);

    JsonNode message = userMessage(ChatMessage.user("look", List.of(ContentPart.image("photo.jpg"))), textOnly);

    JsonNode content = message.path("content");
    assertEquals(1, content.size(), content.toString());
    List<Path> saved;
    try (Stream<Path> files = Files.list(root.resolve(".context_attachments/by-hash"))) {
      saved = files.toList();
    }
    assertEquals(1, saved.size());
    assertTrue(saved.get(0).getFileName().toString().matches("image-[0-9a-f]{16}\\.jpg"), saved.toString());
    assertEquals("look\n\n[Attachment: kind=image, path=" + saved.get(0) + ", original_name=photo.jpg,"
        + " media_type=image/jpeg — this model cannot view it directly; use image_start to ask the image helper"
        + " model about it]", content.get(0).path("text").asText());
  }

  @Test
  void aMissingFileIsSaidToBeGone() throws Exception {
    JsonNode content = userMessage(ChatMessage.user("x", List.of(ContentPart.pdf("gone.pdf"))), ALL).path("content");
    assertEquals(1, content.size());
    assertTrue(content.get(0).path("text").asText().startsWith("x\n\n[pdf gone.pdf could not be read"),
        content.toString());
  }

  @Test
  void anthropicModelsOnOpenRouterAskForPromptCaching() throws Exception {
    LlmEndpoint claude = new LlmEndpoint("c", "https://openrouter.ai/api/v1/chat/completions",
        "anthropic/claude-sonnet-4", null, Map.of(), null, RetryPolicy.NONE, null);
    ChatRequest hello = new ChatRequest(List.of(ChatMessage.user("hi")), List.of(), null);
    JsonNode fiveMinutes = Json.parse(ChatCompletionsRequestEncoder.encode(claude, hello,
        ModelTraits.TEXT_ONLY).utf8String());
    assertEquals("{\"type\":\"ephemeral\"}", fiveMinutes.path("cache_control").toString());
    JsonNode hour = Json.parse(ChatCompletionsRequestEncoder.encode(claude, hello,
        new ModelTraits(null, Set.of(), Map.of(), "1h")).utf8String());
    assertEquals("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}", hour.path("cache_control").toString());
    JsonNode other = Json.parse(ChatCompletionsRequestEncoder.encode(ENDPOINT, hello,
        ModelTraits.TEXT_ONLY).utf8String());
    assertFalse(other.has("cache_control"));
  }
}
