package partyclaw.actors.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.core.llm.ChatRequest;
import partyclaw.core.llm.ChatResponse;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;
import partyclaw.core.transcript.ToolCall;
import partyclaw.core.transcript.Usage;

/** Sub-agents: several rounds each, in parallel, joined with their answers; /stop kills them; a restart fails them. */
class SubAgentTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  @TempDir Path workdir;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static ChatResponse reply(String text, ToolCall... calls) {
    return new ChatResponse(ChatMessage.assistant(text, List.of(calls)), new Usage(0, 1, 0, 1),
        calls.length > 0 ? "tool_calls" : "stop");
  }

  static boolean fromSubAgent(ChatRequest r) {
    return r.messages().get(0).content().startsWith("[partyclaw Sub-Agent]");
  }

  static String task(ChatRequest r) {
    return r.messages().get(1).content().lines().findFirst().orElse("");
  }

  static List<String> results(ChatRequest r, String field) {
    List<String> out = new ArrayList<>();
    for (ChatMessage m : r.messages()) {
      if (m.role() != Role.TOOL) continue;
      try {
        JsonNode n = Json.parse(m.content());
        if (n.has(field)) out.add(n.get(field).asText());
      } catch (Exception e) {
        // not JSON: not a result of interest
      }
    }
    return out;
  }

  /**
   * The main agent starts three sub-agents, then joins them; each sub-agent echoes twice (two tool rounds), then
   * answers with its task's name.
   */
  @Test
  void threeSubAgentsRunSeveralRoundsAndTheirAnswersArePairedWithTheJoins() {
    EntityFixture f = new EntityFixture(testKit, workdir, 10);
    f.chat.fallback = r -> {
      if (fromSubAgent(r)) {
        long echoes = r.messages().stream().filter(m -> m.role() == Role.TOOL).count();
        return echoes < 2 ? reply(null, new ToolCall("e" + echoes, "echo", "{\"text\":\"step\"}"))
            : reply("answer of " + task(r));
      }
      List<String> started = results(r, "agent_id");
      if (started.isEmpty()) {
        return reply(null, new ToolCall("s1", "subagent_start", "{\"description\":\"alpha\"}"),
            new ToolCall("s2", "subagent_start", "{\"description\":\"beta\"}"),
            new ToolCall("s3", "subagent_start", "{\"description\":\"gamma\"}"));
      }
      if (results(r, "completed").isEmpty()) {
        return reply(null, started.stream().limit(3).map(id -> new ToolCall("j-" + id, "subagent_join",
            "{\"agent_id\":\"" + id + "\"}")).toArray(ToolCall[]::new));
      }
      return reply("all three reported: " + String.join(" | ", results(r, "text")));
    };
    f.send("delegate");
    String answer = f.nextDelivery(java.time.Duration.ofSeconds(30)).text();
    assertEquals("all three reported: answer of alpha | answer of beta | answer of gamma", answer);
    long subRequests = f.chat.requests.stream().filter(SubAgentTest::fromSubAgent).count();
    assertEquals(9, subRequests, "three rounds (two with tools, one answer) for each of three sub-agents");
    ConversationState s = f.await("quiet", ConversationState::quiet);
    assertEquals(List.of(), s.subAgents(), "joined sub-agents are forgotten");
    List<ChatRequest> sub = f.chat.requests.stream().filter(SubAgentTest::fromSubAgent).toList();
    assertTrue(sub.stream().noneMatch(r -> r.tools().stream().anyMatch(t -> t.name().startsWith("subagent_"))),
        "no nested sub-agents");
  }

  @Test
  void stopDuringAJoinCancelsTheSubAgentsAndTheirTools() {
    EntityFixture f = new EntityFixture(testKit, workdir, 10);
    f.chat.fallback = r -> {
      if (fromSubAgent(r)) return reply(null, new ToolCall("w", "wait", "{}"));
      List<String> started = results(r, "agent_id");
      if (started.isEmpty()) return reply(null, new ToolCall("s1", "subagent_start", "{\"description\":\"long\"}"));
      return reply(null, new ToolCall("j1", "subagent_join", "{\"agent_id\":\"" + started.get(0) + "\"}"));
    };
    f.send("delegate");
    f.await("joining", s -> s.turn() != null && s.turn().calls().stream()
        .anyMatch(c -> c.name().equals("subagent_join")));
    long stopAt = System.nanoTime();
    f.send("/stop");
    while (f.events().stream().noneMatch(e -> e instanceof ConversationEntity.SubAgentFinished fin
        && fin.state().equals("cancelled"))) {
      assertTrue(System.nanoTime() - stopAt < 1_000_000_000L, "the sub-agent was not cancelled within 1 s");
      Thread.onSpinWait();
    }
    f.await("turn stopped", st -> st.turn() == null);
    awaitTrue(() -> f.testTools.waitEndings.contains(partyclaw.core.tool.TurnSignal.Level.CANCELLED));
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("the sub-agent's tool never saw the cancellation");
      Thread.onSpinWait();
    }
  }

  @Test
  void aSubAgentRunningWhenTheDaemonDiedIsRecordedAsFailed() {
    EntityFixture f = new EntityFixture(testKit, workdir, 10);
    f.chat.fallback = r -> fromSubAgent(r) ? reply(null, new ToolCall("w", "wait", "{}"))
        : results(r, "agent_id").isEmpty() ? reply(null, new ToolCall("s1", "subagent_start", "{\"description\":\"x\"}"))
        : reply("started it");
    f.send("delegate");
    assertEquals("started it", f.nextDelivery().text());
    f.await("running", s -> s.subAgents().size() == 1 && s.subAgents().get(0).running());
    f.entity.restart();
    ConversationState s = f.await("settled", st -> !st.subAgents().get(0).running());
    assertEquals("failed", s.subAgents().get(0).state());
    assertTrue(s.subAgents().get(0).text().startsWith("partyclaw restarted while this sub-agent ran"));
  }
}
