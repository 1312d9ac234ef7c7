package partyclaw.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ContentPart;
import partyclaw.core.transcript.ToolCall;

class SyntheticMediaTest {

  @Test
  void mediaOfABatchFollowsAllItsToolResultsAsOneUserMessage() {
    ToolCall a = new ToolCall("1", "image_load", "{}");
    ToolCall b = new ToolCall("2", "pdf_load", "{}");
    ToolCall c = new ToolCall("3", "ls", "{}");
    List<ChatMessage> messages = List.of(ChatMessage.user("look"), ChatMessage.assistant(null, List.of(a, b, c)),
        ChatMessage.toolResult(a, "{\"loaded\":true,\"kind\":\"synthetic_user_multimodal\",\"media\":[{\"type\":"
            + "\"input_image\",\"path\":\"/w/a.png\"}],\"path\":\"a.png\"}"),
        ChatMessage.toolResult(b, "{\"loaded\":true,\"kind\":\"synthetic_user_multimodal\",\"media\":[{\"type\":"
            + "\"input_file\",\"path\":\"/w/d.pdf\",\"filename\":\"d.pdf\"}],\"path\":\"d.pdf\"}"),
        ChatMessage.toolResult(c, "a.png d.pdf"),
        ChatMessage.assistant("seen", List.of()));

    List<ChatMessage> out = SyntheticMedia.expand(messages);

    assertEquals(7, out.size());
    assertEquals(ChatMessage.user("[Media loaded by tools]", List.of(ContentPart.image("/w/a.png"),
        new ContentPart(ContentPart.FILE, "/w/d.pdf", "d.pdf", "application/pdf"))), out.get(5));
    assertSame(messages.get(5), out.get(6));
  }

  @Test
  void aTranscriptWithoutSuchResultsIsLeftAsItIs() {
    List<ChatMessage> messages = List.of(ChatMessage.user("hi"), ChatMessage.assistant("hello", List.of()));
    assertSame(messages, SyntheticMedia.expand(messages));
  }
}
