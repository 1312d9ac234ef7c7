package partyclaw.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.RecordedRequest;
import partyclaw.testkit.Step;
import partyclaw.testkit.ToolCallSpec;

/** {@code openrouter-resp} models through the fake Responses server (runtime.md §3.3, §3.5). */
class ResponsesClientTest {

  private static ActorSystem<Void> system;
  private static FakeLlmServer server;
  private static OpenAiChatClient client;

  @BeforeAll
  static void startAll() {
    system = ActorSystem.create(Behaviors.empty(), "responses-client-test",
        ConfigFactory.parseString("akka.loglevel = WARNING\nakka.log-dead-letters = off")
            .withFallback(ConfigFactory.load()));
    server = FakeLlmServer.start();
    client = new OpenAiChatClient(system, alias -> switch (alias) {
      case "resp" -> new ModelTraits(ModelTraits.RESPONSES, Set.of("chat"), Map.of(), "24h");
      case "native" -> new ModelTraits(ModelTraits.RESPONSES, Set.of("chat", "image_out"), Map.of(), null,
          Json.array().add(Json.object().put("type", "image_generation")), null);
      default -> null;
    });
  }

  @AfterAll
  static void stopAll() {
    server.close();
    system.terminate();
  }

  @BeforeEach
  void resetServer() {
    server.reset();
  }

  private static LlmEndpoint endpoint(String alias, String model) {
    return new LlmEndpoint(alias, server.baseUrl() + "/responses", model, "sk-resp", Map.of(),
        Duration.ofSeconds(5), RetryPolicy.NONE, null);
  }

  private static ChatResponse call(LlmEndpoint endpoint, List<ChatMessage> messages, List<ToolSpec> tools)
      throws Exception {
    return client.attempt(endpoint, new ChatRequest(messages, tools, null), d -> {}).result()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aSecondTurnContinuesThePreviousResponseWithOnlyTheNewMessages() throws Exception {
    LlmEndpoint endpoint = endpoint("resp", "model-a");
    server.enqueue(Step.text("first answer"), Step.text("second answer"));
    List<ChatMessage> transcript = new ArrayList<>(List.of(ChatMessage.system("be brief"),
        ChatMessage.user("one")));

    ChatResponse first = call(endpoint, transcript, List.of());
    assertEquals("first answer", first.message().content());
    transcript.add(first.message());
    transcript.add(ChatMessage.system("[runtime notice]"));
    transcript.add(ChatMessage.user("two"));
    ChatResponse second = call(endpoint, transcript, List.of());

    assertEquals("second answer", second.message().content());
    List<RecordedRequest> requests = server.requests();
    assertEquals(2, requests.size());
    RecordedRequest a = requests.get(0);
    assertTrue(a.responses());
    assertNull(a.previousResponseId());
    assertEquals("be brief", a.body().path("instructions").asText());
    assertEquals("[{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"one\"}]}]",
        a.body().path("input").toString());
    assertEquals(false, a.body().path("store").asBoolean(true));
    assertEquals("24h", a.body().path("prompt_cache_retention").asText());
    RecordedRequest b = requests.get(1);
    assertEquals(first.responseId(), b.previousResponseId());
    assertEquals("be brief\n\n[runtime notice]", b.body().path("instructions").asText());
    String cacheKey = a.body().path("prompt_cache_key").asText();
    assertTrue(cacheKey.matches("pc-[0-9a-f]{32}"), cacheKey);
    assertEquals(cacheKey, b.body().path("prompt_cache_key").asText(), "one key for the whole conversation");
    assertEquals("[{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"two\"}]}]",
        b.body().path("input").toString());
  }

  @Test
  void toolCallsAndTheirResultsTravelAsFunctionItems() throws Exception {
    LlmEndpoint endpoint = endpoint("resp", "model-b");
    server.enqueue(Step.toolCalls(new ToolCallSpec("call_1", "ls", "{\"path\":\".\"}")), Step.text("done"));
    ToolSpec ls = new ToolSpec("ls", "list", Json.object().put("type", "object"));
    List<ChatMessage> transcript = new ArrayList<>(List.of(ChatMessage.user("list")));

    ChatResponse first = call(endpoint, transcript, List.of(ls));
    assertEquals(List.of(new ToolCall("call_1", "ls", "{\"path\":\".\"}")), first.message().toolCalls());
    transcript.add(first.message());
    transcript.add(ChatMessage.toolResult(first.message().toolCalls().get(0), "a.txt"));
    assertEquals("done", call(endpoint, transcript, List.of(ls)).message().content());

    RecordedRequest a = server.requests().get(0);
    assertEquals("[{\"type\":\"function\",\"name\":\"ls\",\"description\":\"list\",\"parameters\":{\"type\":\"object\"}}]",
        a.body().path("tools").toString());
    assertEquals(true, a.body().path("parallel_tool_calls").asBoolean());
    JsonNode input = server.requests().get(1).body().path("input");
    assertEquals(first.responseId(), server.requests().get(1).previousResponseId());
    assertEquals("[{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"a.txt\"}]", input.toString());
  }

  @Test
  void aRefusedContinuationIsResentInFull() throws Exception {
    LlmEndpoint endpoint = endpoint("resp", "model-c");
    server.enqueue(Step.text("first"),
        Step.httpError(400, "{\"error\":{\"message\":\"Previous response with id 'x' not found.\"}}"),
        Step.text("second"));
    List<ChatMessage> transcript = new ArrayList<>(List.of(ChatMessage.user("one")));
    ChatResponse first = call(endpoint, transcript, List.of());
    transcript.add(first.message());
    transcript.add(ChatMessage.user("two"));

    assertEquals("second", call(endpoint, transcript, List.of()).message().content());

    List<RecordedRequest> requests = server.requests();
    assertEquals(3, requests.size());
    assertEquals(first.responseId(), requests.get(1).previousResponseId());
    assertNull(requests.get(2).previousResponseId());
    assertEquals(3, requests.get(2).input().size());
  }

  @Test
  void nativelyGeneratedImagesAreSavedAndAttachedToTheReply(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root)
      throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 7};
    server.enqueue(Step.generatedImage(java.util.Base64.getEncoder().encodeToString(png), "Here it is."));

    ChatResponse reply = client.attempt(endpoint("native", "model-n"),
        new ChatRequest(List.of(ChatMessage.user("draw")), List.of(), null).withMediaRoot(root), d -> {}).result()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertEquals("[{\"type\":\"image_generation\"}]", server.requests().get(0).body().path("tools").toString());
    String text = reply.message().content();
    assertTrue(text.matches("Here it is\\.\n\n<attachment>generated/generated-[0-9a-f-]{36}\\.png</attachment>"), text);
    String relative = text.substring(text.indexOf("<attachment>") + 12, text.indexOf("</attachment>"));
    org.junit.jupiter.api.Assertions.assertArrayEquals(png, java.nio.file.Files.readAllBytes(root.resolve(relative)));
  }

}
