package partyclaw.core.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import partyclaw.core.json.Json;
import partyclaw.core.llm.ToolSpec;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;
import partyclaw.core.transcript.ToolCall;

class TokenEstimatorTest {
  private static final String O200K = "o200k_base";
  private static final String CL100K = "cl100k_base";

  @Test
  void theEncodingFollowsTheModelFamilyIgnoringProviderPrefixAndCase() {
    Map<String, String> expected = new TreeMap<>();
    for (String id : List.of("gpt-4o", "openai/gpt-4o-mini", "gpt-4.1-mini", "gpt-5", "openai/gpt-5-codex", "o1",
        "o3-mini", "openai/o4-mini", "codex-mini-latest", "openai/gpt-oss-120b", "GPT-4O", "some-new-model", "",
        "openrouter/auto")) {
      expected.put(id, O200K);
    }
    for (String id : List.of("gpt-4", "gpt-4-turbo", "openai/gpt-4-0613", "gpt-3.5-turbo",
        "anthropic/claude-3.5-sonnet", "ANTHROPIC/CLAUDE-OPUS-4", "google/gemini-2.5-pro", "qwen/qwen3-coder",
        "deepseek/deepseek-chat", "mistralai/mistral-large", "meta-llama/llama-3.1-70b-instruct", "z-ai/glm-4.6",
        "moonshotai/kimi-k2", "x-ai/grok-4", "openrouter/anthropic/claude-sonnet-4")) {
      expected.put(id, CL100K);
    }
    Map<String, String> actual = new TreeMap<>();
    for (String id : expected.keySet()) actual.put(id, TokenEstimator.forModel(id).encodingName());
    assertEquals(expected, actual);
    assertEquals(O200K, TokenEstimator.forModel(null).encodingName());
  }

  @Test
  void oneSharedEstimatorPerEncoding() {
    assertSame(TokenEstimator.forModel("gpt-4o"), TokenEstimator.forModel("openai/gpt-5"));
    assertSame(TokenEstimator.forModel("claude-3-haiku"), TokenEstimator.forModel("qwen/qwen3-coder"));
  }

  @Test
  void knownStringsCountTheSameAsTiktokenInBothEncodings() {
    for (String model : List.of("gpt-4o", "claude-3-haiku")) {
      TokenEstimator est = TokenEstimator.forModel(model);
      assertEquals(2, est.textTokens("hello world"), model);
      assertEquals(5, est.textTokens("<|assistant|>"), model);
      assertEquals(0, est.textTokens(""), model);
      assertEquals(0, est.textTokens(null), model);
      // "<|user|>hello world": the role header costs 5 tokens on top of the text
      assertEquals(7, est.messageTokens(ChatMessage.user("hello world")), model);
    }
  }

  @Test
  void theMessageRenderingHasHeaderTextAndEveryToolCall() {
    TokenEstimator est = TokenEstimator.forModel("gpt-4o");
    ToolCall call = new ToolCall("call_1", "echo", "{\"text\":\"hi\"}");
    ChatMessage withCall = ChatMessage.assistant("hello world", List.of(call));
    assertEquals("<|assistant|>hello world<|tool_call call_1 echo function|>{\"text\":\"hi\"}",
        TokenEstimator.render(withCall));
    assertEquals(est.textTokens(TokenEstimator.render(withCall)), est.messageTokens(withCall));
    assertTrue(est.messageTokens(withCall) > est.messageTokens(ChatMessage.assistant("hello world", List.of())));
    assertEquals("<|tool echo call_1|>ok", TokenEstimator.render(ChatMessage.toolResult(call, "ok")));
    ChatMessage nullContent = new ChatMessage(Role.USER, null, null, null, null);
    assertEquals("<|user|>", TokenEstimator.render(nullContent));
    assertEquals(est.textTokens("<|user|>"), est.messageTokens(nullContent));
  }

  @Test
  void specialTokenTextInUserContentIsCountedAsOrdinaryText() {
    TokenEstimator est = TokenEstimator.forModel("gpt-4o");
    assertEquals(7, est.textTokens("<|endoftext|>"));
    assertEquals(est.textTokens("<|user|>before <|endoftext|><|im_start|> after"),
        est.messageTokens(ChatMessage.user("before <|endoftext|><|im_start|> after")));
  }

  @Test
  void theToolsAreCountedAsTheirRequestJson() {
    TokenEstimator est = TokenEstimator.forModel("gpt-4o");
    List<ToolSpec> tools = List.of(new ToolSpec("echo", "Echo.", Json.object().put("type", "object")));
    assertEquals(0, est.toolsTokens(List.of()));
    assertEquals(est.textTokens(
            "[{\"type\":\"function\",\"function\":{\"name\":\"echo\",\"description\":\"Echo.\","
                + "\"parameters\":{\"type\":\"object\"}}}]"),
        est.toolsTokens(tools));
    assertEquals(est.toolsTokens(tools), est.toolsTokens(List.copyOf(new ArrayList<>(tools))));
  }

  @Test
  void theEstimateIsToolsPlusEveryMessagePlusTheAssistantPrimer() {
    TokenEstimator est = TokenEstimator.forModel("anthropic/claude-sonnet-4");
    List<ToolSpec> tools = List.of(new ToolSpec("echo", "Echo.", Json.object().put("type", "object")));
    ToolCall call = new ToolCall("c1", "echo", "{}");
    List<ChatMessage> messages = List.of(ChatMessage.system("be brief"), ChatMessage.user("hello world"),
        ChatMessage.assistant(null, List.of(call)), ChatMessage.toolResult(call, "{\"ok\":true}"));
    long sum = 0;
    for (ChatMessage m : messages) sum += est.messageTokens(m);
    assertEquals(est.toolsTokens(tools) + sum + 5, est.estimate(messages, tools));
    assertEquals(5, est.estimate(List.of(), List.of()));
  }

  @Test
  void aHundredKilobyteMessageIsCountedQuickly() {
    StringBuilder text = new StringBuilder();
    Random random = new Random(7);
    while (text.length() < 100_000) text.append("word").append(random.nextInt(1000)).append(' ');
    TokenEstimator est = TokenEstimator.forModel("gpt-4o");
    long tokens = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> est.estimate(List.of(ChatMessage.user(text.toString()), ChatMessage.user("x".repeat(100_000))),
            List.of()));
    assertTrue(tokens > 25_000 && tokens < 60_000, "tokens " + tokens);
  }

  @Test
  void inlineMediaCountFixedBytesOverFour() {
    TokenEstimator est = TokenEstimator.forModel("gpt-4o");
    partyclaw.core.transcript.ChatMessage plain = partyclaw.core.transcript.ChatMessage.user("look");
    partyclaw.core.transcript.ChatMessage withMedia = partyclaw.core.transcript.ChatMessage.user("look",
        java.util.List.of(partyclaw.core.transcript.ContentPart.image("a.png"),
            partyclaw.core.transcript.ContentPart.pdf("b.pdf"), partyclaw.core.transcript.ContentPart.audio("c.ogg")));
    assertEquals(est.messageTokens(plain) + (7_373 + 12_000 + 16_000) / 4, est.messageTokens(withMedia));
  }
}
