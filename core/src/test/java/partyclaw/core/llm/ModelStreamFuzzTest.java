package partyclaw.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;
import partyclaw.testkit.ChaosReport;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.FuzzInputs;

/**
 * Malformed model streams (cut SSE, invalid JSON chunks, tool-call fragments out of order, wrong indexes, missing
 * ids, huge arguments, invalid UTF-8, wrong content types) through the real client over HTTP: every call ends, in
 * time, either with a reply the conversation can record (every tool call has a non-empty id of its own, so its
 * result can be paired with it) or with an {@link AttemptFailure}: never a hang, never another exception.
 * {@code -Dchaos.fuzz.streams=N} (default 100), {@code -Dchaos.seed=S}; {@code scripts/chaos fuzz} runs 1,000.
 */
class ModelStreamFuzzTest {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  private static ActorSystem<Void> system;
  private static FakeLlmServer server;
  private static OpenAiChatClient client;

  @BeforeAll
  static void startAll() {
    system = ActorSystem.create(Behaviors.empty(), "model-stream-fuzz",
        ConfigFactory.parseString("akka.loglevel = ERROR\nakka.log-dead-letters = off").withFallback(ConfigFactory.load()));
    server = FakeLlmServer.start();
    client = new OpenAiChatClient(system);
  }

  @AfterAll
  static void stopAll() {
    server.close();
    system.terminate();
  }

  @Test
  void everyMalformedStreamEndsInARecordableReplyOrAClearError() throws Exception {
    long seed = ChaosReport.seed();
    int count = ChaosReport.count("chaos.fuzz.streams", 100);
    ChaosReport report = new ChaosReport("model-stream-fuzz");
    report.line("seed %d, %d malformed model streams (reproduce: -Dchaos.seed=%d -Dchaos.fuzz.streams=%d)",
        seed, count, seed, count);
    LlmEndpoint endpoint = new LlmEndpoint("main", server.chatCompletionsUrl(), "fuzz-model", "sk-fuzz", Map.of(),
        CALL_TIMEOUT, RetryPolicy.NONE, null);
    ChatRequest request = new ChatRequest(List.of(ChatMessage.system("fuzz"), ChatMessage.user("hello")), List.of(), null);
    Random random = new Random(seed);
    List<String> failures = new ArrayList<>();
    int replies = 0;
    int errors = 0;
    int toolCalls = 0;
    long slowestMs = 0;
    for (int i = 0; i < count; i++) {
      FuzzInputs.FuzzStream fuzz = FuzzInputs.modelStream(random);
      server.reset();
      server.enqueue(fuzz.step());
      String why = null;
      long start = System.nanoTime();
      try {
        ChatResponse response = client.attempt(endpoint, request, delta -> {}).result().toCompletableFuture()
            .get(CALL_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
        replies++;
        why = unrecordable(response);
        toolCalls += response.message().toolCalls().size();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof AttemptFailure) errors++;
        else why = "failed with " + e.getCause();
      } catch (TimeoutException e) {
        why = "no result within " + (CALL_TIMEOUT.toSeconds() + 10) + " s";
      } catch (RuntimeException e) {
        why = "threw " + e;
      }
      slowestMs = Math.max(slowestMs, (System.nanoTime() - start) / 1_000_000);
      if (why != null) failures.add("#" + i + " (" + fuzz.kinds() + ", saved as " + save(i, fuzz) + "): " + why);
    }
    report.line("streams: %d, replies: %d (%d tool calls), clear errors: %d, bad outcomes: %d, slowest: %d ms",
        count, replies, toolCalls, errors, failures.size(), slowestMs);
    failures.stream().limit(20).forEach(f -> report.line("FAILED %s", f));
    assertEquals(List.of(), failures.stream().limit(20).toList(), "seed " + seed);
  }

  /** Null when the reply can go into a transcript: each tool call with an id of its own and a name. */
  private static String unrecordable(ChatResponse response) {
    if (response.message() == null) return "no message";
    Set<String> ids = new HashSet<>();
    for (ToolCall call : response.message().toolCalls()) {
      if (call.id() == null || call.id().isEmpty()) return "a tool call without an id: " + call;
      if (!ids.add(call.id())) return "two tool calls share the id " + call.id() + ": their results cannot be paired";
      if (call.name() == null || call.arguments() == null) return "a tool call without a name or arguments: " + call;
    }
    return null;
  }

  private static String save(int i, FuzzInputs.FuzzStream fuzz) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "chaos-fuzz", "streams"));
      Path file = dir.resolve("stream-" + i + ".sse");
      Files.write(file, fuzz.body());
      return file.toAbsolutePath().toString();
    } catch (IOException e) {
      return "<not saved: " + e.getMessage() + ">";
    }
  }
}
