package partyclaw.actors.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ContentPart;

/** User messages with media parts through the journal's own serializer: file references only, old events intact. */
class MediaJournalTest {
  private static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("media-journal-test");
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static Object roundTrip(Object event, Serialization serialization, byte[][] bytesOut) {
    var serializer = serialization.findSerializerFor(event);
    byte[] bytes = serializer.toBinary(event);
    bytesOut[0] = bytes;
    return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, event)).get();
  }

  @Test
  void aTurnWithMediaPartsSerializesAsReferencesAndReadsBack() {
    Serialization serialization = SerializationExtension.get(kit.system().classicSystem());
    ChatMessage user = ChatMessage.user("what is this?", List.of(ContentPart.image("upload/1-photo.jpg"),
        ContentPart.pdf("upload/doc.pdf"), ContentPart.audio("upload/voice.ogg")));
    ConversationEntity.FollowUpsInjected event = new ConversationEntity.FollowUpsInjected("t1", List.of("m1"),
        List.of(user, ChatMessage.user("plain")));
    byte[][] bytes = new byte[1][];

    Object back = roundTrip(event, serialization, bytes);

    assertEquals(event, back);
    String json = new String(bytes[0], StandardCharsets.UTF_8);
    assertFalse(json.contains("base64"), json);
    // a text-only message keeps the shape events had before parts existed
    assertFalse(json.substring(json.indexOf("\"plain\"")).contains("parts"), json);
  }

  @Test
  void anEventWrittenBeforePartsExistedStillReads() {
    Serialization serialization = SerializationExtension.get(kit.system().classicSystem());
    ConversationEntity.FollowUpsInjected current = new ConversationEntity.FollowUpsInjected("t1", List.of("m1"),
        List.of(ChatMessage.user("hello")));
    var serializer = serialization.findSerializerFor(current);
    String old = "{\"turnId\":\"t1\",\"messageIds\":[\"m1\"],\"messages\":[{\"role\":\"user\",\"content\":\"hello\","
        + "\"toolCalls\":[]}]}";
    Object back = serialization.deserialize(old.getBytes(StandardCharsets.UTF_8), serializer.identifier(),
        Serializers.manifestFor(serializer, current)).get();
    assertEquals(current, back);
  }
}
