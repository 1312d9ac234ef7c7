package partyclaw.actors.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.actors.agents.AgentReport;
import partyclaw.core.llm.ChatRequest;
import partyclaw.core.llm.ChatResponse;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;
import partyclaw.core.transcript.ToolCall;
import partyclaw.core.transcript.Usage;

/**
 * Background agents: they outlive the turn, resume from their journaled rounds after a restart, and their reports
 * reach each target of their sink exactly once.
 */
class BackgroundAgentTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  @TempDir Path workdir;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static ChatResponse reply(String text, ToolCall... calls) {
    return new ChatResponse(ChatMessage.assistant(text, List.of(calls)), new Usage(10, 1, 0, 1),
        calls.length > 0 ? "tool_calls" : "stop");
  }

  static boolean fromBackground(ChatRequest r) {
    return r.messages().get(0).content().startsWith("[partyclaw Main Background Agent]");
  }

  static long toolResults(ChatRequest r) {
    return r.messages().stream().filter(m -> m.role() == Role.TOOL).count();
  }

  static boolean started(ChatRequest r) {
    return r.messages().stream().anyMatch(m -> m.role() == Role.TOOL && m.content().contains("\"agent_id\""));
  }

  /** The main turn starts one background agent with {@code args} and ends; the agent echoes twice, then answers. */
  static void script(EntityFixture f, String args) {
    f.chat.fallback = r -> {
      if (fromBackground(r)) {
        return toolResults(r) < 2 ? reply(null, new ToolCall("e" + toolResults(r), "echo", "{\"text\":\"step\"}"))
            : reply("the survey found 3 files");
      }
      return started(r) ? reply("started it")
          : reply(null, new ToolCall("b1", "start_background_agent", args));
    };
  }

  /**
   * The turn's reply and the agent's report, in either order (a quick agent may report before the turn that started
   * it has answered): exactly one of the two deliveries is the reply; returns the other.
   */
  static String replyThenReport(EntityFixture f) {
    List<String> texts = List.of(f.nextDelivery(Duration.ofSeconds(20)).text(),
        f.nextDelivery(Duration.ofSeconds(20)).text());
    assertEquals(1, texts.stream().filter("started it"::equals).count(), texts.toString());
    return texts.stream().filter(t -> !t.equals("started it")).findFirst().orElseThrow();
  }

  static <T> List<T> events(EntityFixture f, Class<T> type) {
    return f.events().stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void aBackgroundAgentReportsAfterTheTurnEndedIntoTheChatAndTheContext() {
    EntityFixture f = new EntityFixture(testKit, workdir, 10);
    script(f, "{\"task\":\"survey the workspace\"}");
    f.send("go");
    String report = replyThenReport(f);
    assertTrue(report.startsWith("[Background agent background-"), report);
    assertTrue(report.endsWith("finished]\nTask: survey the workspace\n\nthe survey found 3 files"), report);
    ConversationState s = f.await("quiet", ConversationState::quiet);
    ChatMessage last = s.transcript().get(s.transcript().size() - 1);
    assertEquals(Role.ASSISTANT, last.role());
    assertEquals(report, last.content());
    BackgroundAgentRecord agent = s.background().agents().get(0);
    assertEquals("completed", agent.state());
    assertEquals(3, agent.rounds());
    assertEquals(List.of(f.id), agent.deliveredTo());
    assertEquals(List.of(), agent.transcript(), "a finished agent keeps only its answer");
    assertEquals(3, events(f, ConversationEntity.BackgroundAgentAdvanced.class).size(),
        "every round is journaled, the answer's too");
    assertEquals(1, events(f, ConversationEntity.AgentReportReceived.class).size());
    List<ChatRequest> bg = f.chat.requests.stream().filter(BackgroundAgentTest::fromBackground).toList();
    assertEquals(3, bg.size());
    assertTrue(bg.get(0).tools().stream().anyMatch(t -> t.name().equals("terminate")));
    assertTrue(bg.get(0).tools().stream().noneMatch(t -> t.name().equals("start_background_agent")));
    ChatRequest main = f.chat.requests.get(0);
    assertTrue(main.tools().stream().noneMatch(t -> t.name().equals("terminate")), "terminate is background-only");
  }

  @Test
  void afterARestartARunningAgentResumesFromItsLastRoundAndReportsOnce() {
    EntityFixture f = new EntityFixture(testKit, workdir, 10);
    AtomicBoolean restarted = new AtomicBoolean();
    f.chat.fallback = r -> {
      if (fromBackground(r)) {
        if (toolResults(r) == 0) return reply(null, new ToolCall("e0", "echo", "{\"text\":\"first\"}"));
        if (!restarted.get()) return reply(null, new ToolCall("w1", "wait", "{}"));
        return reply("resumed and done");
      }
      return started(r) ? reply("started it") : reply(null, new ToolCall("b1", "start_background_agent",
          "{\"task\":\"long job\"}"));
    };
    f.send("go");
    assertEquals("started it", f.nextDelivery().text());
    f.await("round one journaled", s -> !s.background().agents().isEmpty()
        && s.background().agents().get(0).rounds() == 1);
    f.awaitRequests(4); // main, main, bg round 1, bg round 2 (now waiting)
    restarted.set(true);
    f.entity.restart();
    String report = f.nextDelivery(Duration.ofSeconds(20)).text();
    assertTrue(report.endsWith("\n\nresumed and done"), report);
    ChatRequest resumed = f.chat.requests.get(f.chat.requests.size() - 1);
    assertTrue(fromBackground(resumed));
    assertEquals(1, toolResults(resumed), "resumed after the journaled round, the lost one asked again");
    f.await("quiet", ConversationState::quiet);
    assertEquals(1, events(f, ConversationEntity.AgentReportReceived.class).size());
    assertEquals(1, events(f, ConversationEntity.BackgroundAgentFinished.class).size());
  }

  @Test
  void aBroadcastReachesEverySubscribedConversationOnce() {
    EntityFixture f = new EntityFixture(testKit, workdir, 10);
    f.reports.subscribe("tg:a", "news", true);
    f.reports.subscribe("tg:b", "news", true);
    script(f, "{\"task\":\"collect news\",\"sink\":\"broadcast:news\"}");
    f.send("go");
    assertEquals("started it", f.nextDelivery().text());
    ConversationState s = f.await("delivered", st -> !st.background().agents().isEmpty()
        && st.background().agents().get(0).deliveredTo().size() == 2);
    assertEquals(List.of("tg:a", "tg:b"), s.background().agents().get(0).deliveredTo());
    assertEquals(1, f.reports.deliveriesTo("tg:a"));
    assertEquals(1, f.reports.deliveriesTo("tg:b"));
    assertEquals(2, f.reports.deliveries.size());
    AgentReport sent = f.reports.deliveries.get(0).report();
    assertEquals("news", sent.topic());
    assertEquals("the survey found 3 files", sent.text());
    assertEquals(0, events(f, ConversationEntity.AgentReportReceived.class).size(), "not to this conversation");
  }

  @Test
  void aMultiSinkReachesEachTargetAndAFailedDeliveryIsRetried() {
    EntityFixture f = new EntityFixture(testKit, workdir, 10);
    f.reports.subscribe("tg:c", "ops", true);
    f.reports.failNext.set(1);
    script(f, "{\"task\":\"t\",\"sink\":\"multi:this,topic:ops\"}");
    f.send("go");
    assertTrue(replyThenReport(f).endsWith("the survey found 3 files"));
    ConversationState s = f.await("delivered to both", st -> !st.background().agents().isEmpty()
        && st.background().agents().get(0).deliveredTo().size() == 2);
    assertEquals(Set.of(f.id, "tg:c"), Set.copyOf(s.background().agents().get(0).deliveredTo()));
    assertEquals(1, f.reports.deliveriesTo("tg:c"), "the failed attempt was retried once it could succeed");
    assertEquals(2, events(f, ConversationEntity.BackgroundReportDelivered.class).size());
  }

  @Test
  void aTopicWithoutSubscribersSendsTheReportHome() {
    EntityFixture f = new EntityFixture(testKit, workdir, 10);
    script(f, "{\"task\":\"t\",\"sink\":\"broadcast:nobody\"}");
    f.send("go");
    assertTrue(replyThenReport(f).endsWith("the survey found 3 files"));
    assertEquals(List.of(f.id), f.await("delivered", st -> !st.background().agents().isEmpty()
        && !st.background().agents().get(0).deliveredTo().isEmpty()).background().agents().get(0).deliveredTo());
  }

  @Test
  void aChatMayNotNameAnotherConversationDirectly() {
    EntityFixture f = new EntityFixture(testKit, workdir, 10, Duration.ofMinutes(10), "tg");
    script(f, "{\"task\":\"t\",\"sink\":\"multi:conversation:tg:other\"}");
    f.chat.fallback = r -> f.chat.requests.size() == 1
        ? reply(null, new ToolCall("b1", "start_background_agent", "{\"task\":\"t\",\"sink\":\"multi:conversation:tg:9\"}"))
        : reply("refused");
    f.send("go");
    assertEquals("refused", f.nextDelivery().text());
    assertTrue(f.lastToolResult().contains("only an operator conversation may send reports to another conversation"),
        f.lastToolResult());
    assertEquals(List.of(), f.entity.getState().background().agents());
  }

  @Test
  void terminateEndsTheAgentSilently() {
    EntityFixture f = new EntityFixture(testKit, workdir, 10);
    f.chat.fallback = r -> {
      if (fromBackground(r)) return reply(null, new ToolCall("t1", "terminate", "{}"));
      return started(r) ? reply("started it") : reply(null, new ToolCall("b1", "start_background_agent",
          "{\"task\":\"maybe nothing\"}"));
    };
    f.send("go");
    assertEquals("started it", f.nextDelivery().text());
    ConversationState s = f.await("terminated", st -> !st.background().agents().isEmpty()
        && st.background().agents().get(0).state().equals("terminated"));
    f.await("quiet", ConversationState::quiet);
    assertFalse(s.background().agents().get(0).reportPending());
    f.channel.expectNoMessage(Duration.ofMillis(500));
    assertEquals(0, events(f, ConversationEntity.AgentReportReceived.class).size());
    assertEquals(1, f.chat.requests.stream().filter(BackgroundAgentTest::fromBackground).count(),
        "the agent asked nothing after terminate");
  }

  @Test
  void aReportArrivingDuringATurnJoinsTheTranscriptWhenTheTurnEndsAndOnlyOnce() {
    EntityFixture f = new EntityFixture(testKit, workdir, 10);
    f.chat.fallback = r -> toolResults(r) == 0 ? reply(null, new ToolCall("w1", "wait", "{}")) : reply("done waiting");
    f.send("work");
    f.await("waiting", f::toolRunning);
    AgentReport report = new AgentReport("tg:x/background-1", "tg:x", "background-1", "news", "completed", "headline",
        "news", Instant.now());
    TestProbe<StatusReply<Done>> ack = testKit.createTestProbe();
    f.entity.runCommand(new ConversationEntity.ReceiveAgentReport(report, ack.ref()));
    assertTrue(ack.receiveMessage().isSuccess());
    f.entity.runCommand(new ConversationEntity.ReceiveAgentReport(report, ack.ref()));
    assertTrue(ack.receiveMessage().isSuccess(), "a repeated delivery is acknowledged");
    String text = f.nextDelivery().text();
    assertEquals("[Background agent background-1 from conversation tg:x (topic news) finished]\nTask: news\n\nheadline",
        text);
    assertEquals(1, f.entity.getState().background().heldReports().size(), "held while the tool call is open");
    f.send("/stop");
    ConversationState s = f.await("turn over", st -> st.turn() == null);
    assertEquals(text, s.transcript().get(s.transcript().size() - 1).content());
    assertEquals(List.of(), s.background().heldReports());
    assertEquals(1, events(f, ConversationEntity.AgentReportReceived.class).size());
  }

  @Test
  void subscribeAndBackgroundCommands() {
    EntityFixture f = new EntityFixture(testKit, workdir, 10);
    f.send("/subscribe news");
    assertEquals("Subscribed to `news`: reports broadcast to it will arrive here.", f.nextDelivery().text());
    assertEquals(Set.of(f.id), f.reports.topics.get("news"));
    f.send("/subscribe bad topic!");
    assertTrue(f.nextDelivery().text().startsWith("invalid topic 'bad topic!'"));
    f.send("/unsubscribe news");
    assertEquals("Unsubscribed from `news`.", f.nextDelivery().text());
    assertEquals(Set.of(), f.reports.topics.get("news"));
    assertEquals(List.of(), f.entity.getState().background().topics());

    f.chat.fallback = r -> fromBackground(r) ? reply(null, new ToolCall("w", "wait", "{}"))
        : started(r) ? reply("started it")
        : reply(null, new ToolCall("b1", "start_background_agent", "{\"task\":\"forever\"}"));
    f.send("go");
    assertEquals("started it", f.nextDelivery().text());
    String id = f.await("running", s -> !s.background().agents().isEmpty()).background().agents().get(0).id();
    f.send("/background");
    assertEquals("Background agents:\n- " + id + " running (round 0): forever", f.nextDelivery().text());
    f.send("/background stop all");
    assertEquals("Stopped 1 background agent(s): " + id + ". Nothing will be reported for them.",
        f.nextDelivery().text());
    f.await("quiet", ConversationState::quiet);
    awaitTrue(() -> f.testTools.waitEndings.contains(partyclaw.core.tool.TurnSignal.Level.CANCELLED));
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not reached");
      Thread.onSpinWait();
    }
  }

  @Test
  void closingTheConversationStopsItsAgentsAndDisablesItsCronTasks() {
    EntityFixture f = new EntityFixture(testKit, workdir, 10);
    f.chat.fallback = r -> fromBackground(r) ? reply(null, new ToolCall("w", "wait", "{}"))
        : started(r) ? reply("started it")
        : reply(null, new ToolCall("b1", "start_background_agent", "{\"task\":\"forever\"}"));
    f.send("go");
    assertEquals("started it", f.nextDelivery().text());
    f.await("running", s -> !s.background().agents().isEmpty() && s.background().agents().get(0).running());
    partyclaw.core.cron.CronTask task = f.resources.of(f.id).find(partyclaw.core.cron.CronTasks.class).orElseThrow()
        .create(f.id, new partyclaw.core.cron.CronTask.Draft("n", "d", new partyclaw.core.cron.CronFields("0", "0",
            "9", "*", "*", "*", null), "UTC", "p", "main", true, null, null));
    TestProbe<StatusReply<Done>> ack = testKit.createTestProbe();
    f.entity.runCommand(new ConversationEntity.CloseConversation("telegram bot was removed from the chat", ack.ref()));
    assertTrue(ack.receiveMessage().isSuccess());
    ConversationState s = f.await("quiet", ConversationState::dormant);
    assertEquals("terminated", s.background().agents().get(0).state());
    assertEquals("the conversation was closed: telegram bot was removed from the chat",
        s.background().agents().get(0).text());
    assertFalse(s.cronTasks().stream().filter(t -> t.id().equals(task.id())).findFirst().orElseThrow().enabled());
    awaitTrue(() -> f.testTools.waitEndings.contains(partyclaw.core.tool.TurnSignal.Level.CANCELLED));
  }
}
