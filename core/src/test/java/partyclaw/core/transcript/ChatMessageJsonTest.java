package partyclaw.core.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.core.json.Json;

/** Journal compatibility: messages are journaled as JSON, before and after media parts existed. */
class ChatMessageJsonTest {

  @Test
  void aMessageWrittenBeforePartsExistedReadsBackWithNone() throws Exception {
    String old = "{\"role\":\"user\",\"content\":\"hello\",\"toolCalls\":[]}";
    ChatMessage m = Json.MAPPER.readValue(old, ChatMessage.class);
    assertEquals(ChatMessage.user("hello"), m);
    assertEquals(List.of(), m.parts());
  }

  @Test
  void aTextMessageIsWrittenInTheOldShape() {
    assertEquals("{\"role\":\"user\",\"content\":\"hello\",\"toolCalls\":[]}", Json.write(ChatMessage.user("hello")));
  }

  @Test
  void partsRoundTripAsFileReferencesOnly() throws Exception {
    ChatMessage m = ChatMessage.user("see", List.of(ContentPart.image("upload/a.jpg"), ContentPart.audio("v.ogg")));
    String json = Json.write(m);
    assertEquals("{\"role\":\"user\",\"content\":\"see\",\"toolCalls\":[],\"parts\":["
        + "{\"type\":\"image\",\"path\":\"upload/a.jpg\",\"name\":\"a.jpg\",\"mediaType\":\"image/jpeg\"},"
        + "{\"type\":\"audio\",\"path\":\"v.ogg\",\"name\":\"v.ogg\",\"mediaType\":\"audio/ogg\"}]}", json);
    assertEquals(m, Json.MAPPER.readValue(json, ChatMessage.class));
    assertFalse(json.contains("base64"));
  }
}
