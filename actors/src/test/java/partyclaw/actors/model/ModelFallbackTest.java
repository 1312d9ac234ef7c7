package partyclaw.actors.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import partyclaw.core.llm.ChatRequest;
import partyclaw.core.llm.LlmEndpoint;
import partyclaw.core.llm.OpenAiChatClient;
import partyclaw.core.llm.RetryPolicy;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.Step;

/** fallback_models: the next model answers when one keeps failing after its retries; the user is told once. */
class ModelFallbackTest {
  private static final RetryPolicy FAST = new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(30));
  private static final ChatRequest HELLO = new ChatRequest(List.of(ChatMessage.user("hello")), List.of(), null);

  private static ActorTestKit testKit;
  private static FakeLlmServer server;
  private static OpenAiChatClient client;

  @BeforeAll
  static void startAll() {
    testKit = ActorTestKit.create("model-fallback-test",
        ConfigFactory.parseString("akka.loglevel = WARNING\nakka.log-dead-letters = off")
            .withFallback(ConfigFactory.load()));
    server = FakeLlmServer.start();
    server.setDefault(r -> "primary-model".equals(r.model())
        ? Step.httpError(503, "{\"error\":{\"message\":\"overloaded\"}}") : Step.text("backup says hi"));
    client = new OpenAiChatClient(testKit.system());
    ModelFallbacks.install(testKit.system(), Map.of("main", List.of(endpoint("backup", "backup-model"))));
  }

  @AfterAll
  static void stopAll() {
    server.close();
    testKit.shutdownTestKit();
  }

  private static LlmEndpoint endpoint(String alias, String model) {
    return new LlmEndpoint(alias, server.chatCompletionsUrl(), model, null, Map.of(), Duration.ofSeconds(5), FAST,
        null);
  }

  private static ModelCall.Outcome call() {
    TestProbe<ModelCall.Outcome> probe = testKit.createTestProbe();
    testKit.spawn(ModelCall.create(client, endpoint("main", "primary-model"), HELLO, probe.ref(), o -> o,
        Throwable::toString));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  @Test
  void theFallbackAnswersOnceThePrimaryGaveUpAndTheUserIsToldOnce() {
    ModelCall.Outcome first = call();

    assertNull(first.error());
    String text = first.response().message().content();
    assertTrue(text.startsWith("(Model 'main' failed after 3 attempts: HTTP 503"), text);
    assertTrue(text.endsWith(" — model 'backup' answered instead.)\n\nbackup says hi"), text);
    assertEquals(3, server.requests().stream().filter(r -> "primary-model".equals(r.model())).count());
    assertEquals(1, server.requests().stream().filter(r -> "backup-model".equals(r.model())).count());

    // within the cool-down the failing model is not waited for again, and nothing more is said about it
    ModelCall.Outcome second = call();
    assertEquals("backup says hi", second.response().message().content());
    assertEquals(3, server.requests().stream().filter(r -> "primary-model".equals(r.model())).count());
  }
}
