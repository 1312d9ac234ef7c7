package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.core.json.Json;

class InboundRulesTest {
  static final BotIdentity BOT = new BotIdentity(42, "party_bot");

  static JsonNode message(String json) throws Exception {
    return Json.parse(json);
  }

  static JsonNode text(String text) throws Exception {
    return Json.object().put("text", text);
  }

  @Test
  void commandsAimedAtTheBotCount() throws Exception {
    assertTrue(InboundRules.addressedToBot(text("/help"), BOT));
    assertTrue(InboundRules.addressedToBot(text("/status@Party_Bot now"), BOT));
    assertFalse(InboundRules.addressedToBot(text("/status@other_bot"), BOT));
    assertFalse(InboundRules.addressedToBot(text("/"), BOT));
    assertFalse(InboundRules.addressedToBot(text("/" + "a".repeat(33)), BOT));
    assertFalse(InboundRules.addressedToBot(text("/help@x"), new BotIdentity(42, null)));
  }

  @Test
  void mentionsAndRepliesToTheBotCount() throws Exception {
    assertTrue(InboundRules.addressedToBot(text("hey @PARTY_BOT what's up"), BOT));
    assertFalse(InboundRules.addressedToBot(text("hey everyone"), BOT));
    assertTrue(InboundRules.addressedToBot(message("{\"caption\":\"look @party_bot\"}"), BOT));
    assertTrue(InboundRules.addressedToBot(message("{\"text\":\"and?\",\"reply_to_message\":{\"from\":{\"id\":42}}}"), BOT));
    assertFalse(InboundRules.addressedToBot(message("{\"text\":\"and?\",\"reply_to_message\":{\"from\":{\"id\":7}}}"), BOT));
  }

  @Test
  void normalisesCommandTexts() {
    assertEquals("/status args", InboundRules.normalize("@party_bot /status args", "party_bot"));
    assertEquals("/help", InboundRules.normalize("/help@party_bot", "party_bot"));
    assertEquals("/agent gpt", InboundRules.normalize("  /agent@party_bot gpt ", "party_bot"));
    assertEquals("@party_bot hello", InboundRules.normalize("@party_bot hello", "party_bot"));
    assertEquals("mail me@example.com", InboundRules.normalize("mail me@example.com", "party_bot"));
  }

  @Test
  void displayNames() throws Exception {
    assertEquals("Ada Lovelace", InboundRules.displayName(message("{\"id\":1,\"first_name\":\"Ada\",\"last_name\":\"Lovelace\"}")));
    assertEquals("ada", InboundRules.displayName(message("{\"id\":1,\"username\":\"ada\"}")));
    assertEquals("1", InboundRules.displayName(message("{\"id\":1}")));
  }

  @Test
  void filesAreNamedAsTheSpecSays() throws Exception {
    List<InboundFile> photo = InboundFile.of(message(
        "{\"photo\":[{\"file_id\":\"s\",\"file_unique_id\":\"S\"},{\"file_id\":\"big\",\"file_unique_id\":\"B\"}]}"));
    assertEquals(List.of(new InboundFile("big", "B", "photo_B.jpg", "image")), photo);
    InboundFile pdf = InboundFile.of(message(
        "{\"document\":{\"file_id\":\"d\",\"file_unique_id\":\"D\",\"mime_type\":\"application/pdf\"}}")).get(0);
    assertEquals("document_D.pdf", pdf.name());
    assertEquals("pdf", pdf.kind());
    InboundFile voice = InboundFile.of(message("{\"voice\":{\"file_id\":\"v\",\"file_unique_id\":\"V\"}}")).get(0);
    assertEquals("voice_V.ogg", voice.name());
    assertEquals("a_b_.txt", InboundFile.sanitize("__a b/.txt", "x"));
    assertEquals("x", InboundFile.sanitize("..", "x"));
    assertEquals(120, InboundFile.sanitize("n".repeat(300), "x").length());
  }
}
