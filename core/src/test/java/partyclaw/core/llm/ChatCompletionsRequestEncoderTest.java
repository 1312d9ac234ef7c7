package partyclaw.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;

class ChatCompletionsRequestEncoderTest {
  private static final LlmEndpoint ENDPOINT = new LlmEndpoint("main", "http://127.0.0.1:1/v1/chat/completions",
      "m", null, Map.of(), Duration.ofSeconds(5), RetryPolicy.NONE, null);
  private static final List<ToolSpec> TOOLS = List.copyOf(List.of(
      new ToolSpec("echo", "Echo.", Json.object().put("type", "object"))));

  @Test
  void aGrowingTranscriptIsEncodedTheSameAsFromScratchEveryTime() throws Exception {
    List<ChatMessage> transcript = new ArrayList<>(List.of(ChatMessage.system("be brief"), ChatMessage.user("hi")));
    for (int round = 0; round < 3; round++) {
      JsonNode body = Json.parse(ChatCompletionsRequestEncoder.encode(ENDPOINT,
          new ChatRequest(transcript, TOOLS, "high")).utf8String());
      assertEquals(transcript.size(), body.get("messages").size());
      for (int i = 0; i < transcript.size(); i++) {
        assertEquals(ChatCompletionsRequestEncoder.message(transcript.get(i)), body.get("messages").get(i));
      }
      assertEquals("echo", body.get("tools").get(0).get("function").get("name").asText());
      assertEquals("auto", body.get("tool_choice").asText());
      assertEquals("high", body.get("reasoning").get("effort").asText());
      assertEquals(true, body.get("stream_options").get("include_usage").asBoolean());
      ToolCall call = new ToolCall("c" + round, "echo", "{\"text\":\"" + round + "\"}");
      transcript.add(ChatMessage.assistant(null, List.of(call)));
      transcript.add(ChatMessage.toolResult(call, "{\"echo\":\"" + round + "\"}"));
    }
  }

  @Test
  void requestsReusingAnEarlierBeginningAreEncodedMessageForMessage() throws Exception {
    ChatMessage prompt = ChatMessage.system("be brief");
    List<ChatMessage> transcript = new ArrayList<>(List.of(ChatMessage.user("hi")));
    for (int round = 0; round < 60; round++) { // past the point where the reused beginning is compacted
      List<ChatMessage> request = new ArrayList<>();
      request.add(prompt);
      request.addAll(transcript);
      if (round % 3 == 0) request.add(ChatMessage.system("notice of call " + round)); // this call's only
      if (round == 30) transcript.set(5, ChatMessage.user("compacted away")); // the beginning changed
      if (round == 31) request.set(0, ChatMessage.system("be brief")); // an equal prompt, another instance
      assertEncodedAsSent(request);
      transcript.add(ChatMessage.assistant("answer " + round, List.of()));
      transcript.add(ChatMessage.user("question " + round));
    }
  }

  private static void assertEncodedAsSent(List<ChatMessage> messages) throws Exception {
    JsonNode body = Json.parse(ChatCompletionsRequestEncoder.encode(ENDPOINT,
        new ChatRequest(messages, TOOLS, null)).utf8String());
    List<JsonNode> expected = new ArrayList<>();
    for (ChatMessage m : messages) expected.add(ChatCompletionsRequestEncoder.message(m));
    List<JsonNode> sent = new ArrayList<>();
    body.get("messages").forEach(sent::add);
    assertEquals(expected, sent);
  }

  @Test
  void aCapIsSentAsMaxCompletionTokensAndAnEmptyToolListSendsNoToolKeys() throws Exception {
    List<ChatMessage> messages = List.of(ChatMessage.system("summarise"), ChatMessage.user("transcript"));
    JsonNode capped = Json.parse(ChatCompletionsRequestEncoder.encode(ENDPOINT,
        new ChatRequest(messages, List.of(), null, 4096)).utf8String());
    assertEquals(4096, capped.get("max_completion_tokens").intValue());
    assertFalse(capped.has("tools"));
    assertFalse(capped.has("tool_choice"));
    assertFalse(capped.has("reasoning"));
    assertEquals(2, capped.get("messages").size());

    ChatRequest uncapped = new ChatRequest(messages, TOOLS, null);
    assertNull(uncapped.maxCompletionTokens());
    JsonNode body = Json.parse(ChatCompletionsRequestEncoder.encode(ENDPOINT, uncapped).utf8String());
    assertFalse(body.has("max_completion_tokens"));
    assertTrue(body.has("tools"));
    assertThrows(IllegalArgumentException.class, () -> new ChatRequest(messages, List.of(), null, 0));
  }

  @Test
  void theNodesToolListPassesThroughARequestAsTheSameInstance() {
    assertSame(TOOLS, new ChatRequest(List.of(), TOOLS, null).tools());
  }
}
