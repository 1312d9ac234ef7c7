package partyclaw.actors.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.actors.ModelCatalog;
import partyclaw.actors.agents.AgentLoop.Bounds;
import partyclaw.actors.agents.AgentLoop.Cancel;
import partyclaw.actors.agents.AgentLoop.Finished;
import partyclaw.actors.agents.AgentLoop.Outcome;
import partyclaw.actors.agents.AgentLoop.Progress;
import partyclaw.actors.agents.AgentLoop.Report;
import partyclaw.actors.agents.AgentLoop.RoundCompleted;
import partyclaw.actors.agents.AgentLoop.Spec;
import partyclaw.actors.tool.ToolActor;
import partyclaw.core.json.Json;
import partyclaw.core.llm.ChatResponse;
import partyclaw.core.llm.LlmEndpoint;
import partyclaw.core.llm.RetryPolicy;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolInvoker;
import partyclaw.core.tool.TurnSignal;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;
import partyclaw.core.transcript.ToolCall;
import partyclaw.core.transcript.Usage;

/** One agent's round loop against a scripted model: rounds, pairing, bounds, cancel, resume, failures. */
class AgentLoopTest {
  private static final Duration REPORT_WAIT = Duration.ofSeconds(5);
  private static final String SYSTEM = "You are a sub-agent. Stay narrow.";
  private static final ModelCatalog.Entry MODEL = new ModelCatalog.Entry("main",
      new LlmEndpoint("main", "http://127.0.0.1:9/unused", "fake-model", null, Map.of(), Duration.ofSeconds(30),
          RetryPolicy.NONE, null), "test model", 100_000, Duration.ofMinutes(5));
  private static final Bounds ROOMY = new Bounds(20, 1_000_000, Duration.ofSeconds(30));

  private static ActorTestKit testKit;
  private static ExecutorService toolPool;
  private static ExecutorService controlPool;

  @TempDir
  Path workspace;
  private final ScriptedAgentChat chat = new ScriptedAgentChat();
  private final AgentTestTools tools = new AgentTestTools();

  @BeforeAll
  static void startAll() {
    testKit = ActorTestKit.create("agent-loop-test",
        ConfigFactory.parseString("akka.loglevel = WARNING\nakka.log-dead-letters = off")
            .withFallback(ConfigFactory.load()));
    toolPool = Executors.newCachedThreadPool();
    controlPool = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stopAll() {
    testKit.shutdownTestKit();
    toolPool.shutdownNow();
    controlPool.shutdownNow();
  }

  // ---- rounds and pairing ----

  @Test
  void runsRoundsWithToolsUntilTheModelAnswersAndPairsEveryCall() {
    chat.script("alpha")
        .calls(call("c1", "echo", "one"))
        // a missing id and one repeated from round 1: both get fresh ids
        .calls(call(null, "echo", "two"), call("c1", "echo", "three"))
        .text("  All done: one, two, three.  ");
    Run run = start(fresh("alpha", ROOMY));

    List<Report> reports = reportsUntilFinished(run.probe());

    assertEquals(new Finished("alpha", Outcome.COMPLETED, "All done: one, two, three.", 3, times(ScriptedAgentChat.USAGE, 3)),
        last(reports));
    assertEquals(List.of("one", "three", "two"), tools.echoed.stream().sorted().toList());
    List<ChatMessage> lastRequest = chat.script("alpha").lastMessages();
    assertEquals(List.of(
        ChatMessage.system(SYSTEM),
        ChatMessage.user(task("alpha")),
        ChatMessage.assistant(null, List.of(call("c1", "echo", "one"))),
        ChatMessage.toolResult(call("c1", "echo", "one"), echoResult("one")),
        ChatMessage.assistant(null, List.of(call("call_agent_2_0", "echo", "two"), call("call_agent_2_1", "echo", "three"))),
        ChatMessage.toolResult(call("call_agent_2_0", "echo", "two"), echoResult("two")),
        ChatMessage.toolResult(call("call_agent_2_1", "echo", "three"), echoResult("three"))), lastRequest);
    assertPaired(lastRequest);
  }

  @Test
  void roundReportsAddUpToTheFinalTranscript() {
    chat.script("beta").calls(call("b1", "echo", "x")).calls(call("b2", "echo", "y"), call("b3", "echo", "z"))
        .text("beta done");
    Run run = start(fresh("beta", ROOMY));

    List<Report> reports = reportsUntilFinished(run.probe());

    Finished finished = last(reports);
    List<RoundCompleted> rounds = roundsOf(reports);
    assertEquals(finished.rounds(), rounds.size());
    assertEquals(List.of(1, 2, 3), rounds.stream().map(RoundCompleted::round).toList());
    rounds.forEach(r -> assertEquals(ScriptedAgentChat.USAGE, r.usage()));
    List<ChatMessage> finalTranscript = new ArrayList<>(chat.script("beta").lastMessages());
    finalTranscript.remove(0); // the system prompt
    finalTranscript.add(ChatMessage.assistant("beta done", List.of()));
    List<ChatMessage> reported = new ArrayList<>(List.of(ChatMessage.user(task("beta"))));
    rounds.forEach(r -> reported.addAll(r.appended()));
    assertEquals(finalTranscript, reported);
  }

  // ---- concurrency ----

  @Test
  void threeAgentsCallTheirModelsAtTheSameTime() throws Exception {
    List<String> keys = List.of("gamma", "delta", "epsilon");
    Map<String, CompletableFuture<ChatResponse>> held = new HashMap<>();
    keys.forEach(k -> held.put(k, chat.script(k).later()));
    List<Run> runs = keys.stream().map(k -> start(fresh(k, ROOMY))).toList();

    // every answer is held until all three requests are in: serialised agents would never get there
    assertTrue(chat.arrived.tryAcquire(3, 5, TimeUnit.SECONDS), "three model calls in flight at once");
    keys.forEach(k -> held.get(k).complete(ScriptedAgentChat.answer("answer of " + k)));

    for (int i = 0; i < keys.size(); i++) {
      assertEquals(new Finished(keys.get(i), Outcome.COMPLETED, "answer of " + keys.get(i), 1, ScriptedAgentChat.USAGE),
          last(reportsUntilFinished(runs.get(i).probe())));
    }
  }

  // ---- cancel and bounds ----

  @Test
  void cancelDuringALongToolEndsWithinASecondAndCancelsTheTool() throws Exception {
    chat.script("zeta").calls(call("w1", "wait", ""));
    Run run = start(fresh("zeta", ROOMY));
    assertTrue(tools.waitStarted.await(5, TimeUnit.SECONDS), "the wait tool started");

    run.agent().tell(new Cancel("the user stopped it"));

    assertEquals(new Finished("zeta", Outcome.CANCELLED, "the user stopped it", 0, ScriptedAgentChat.USAGE),
        run.probe().receiveMessage(Duration.ofSeconds(1)));
    assertEquals(TurnSignal.Level.CANCELLED, tools.waitEnded.get(1, TimeUnit.SECONDS));
    run.probe().expectTerminated(run.agent(), Duration.ofSeconds(1));
  }

  @Test
  void roundLimitEndsTheAgentBounded() {
    chat.script("eta").calls(call("e1", "echo", "1")).calls(call("e2", "echo", "2")).calls(call("e3", "echo", "3"));
    Run run = start(fresh("eta", new Bounds(2, 1_000_000, Duration.ofSeconds(30))));

    List<Report> reports = reportsUntilFinished(run.probe());

    assertEquals(new Finished("eta", Outcome.BOUNDED, "no final answer after 2 rounds (round limit 2); stopped", 2,
        times(ScriptedAgentChat.USAGE, 2)), last(reports));
    assertEquals(2, roundsOf(reports).size());
    assertEquals(2, chat.requests.size());
  }

  @Test
  void wallTimeEndsTheAgentBoundedAndCancelsItsTools() throws Exception {
    chat.script("theta").calls(call("w1", "wait", ""));
    Run run = start(fresh("theta", new Bounds(20, 1_000_000, Duration.ofMillis(300))));

    assertEquals(new Finished("theta", Outcome.BOUNDED, "no final answer within 300 ms (time limit); stopped", 0,
        ScriptedAgentChat.USAGE), run.probe().receiveMessage(REPORT_WAIT));
    assertEquals(TurnSignal.Level.CANCELLED, tools.waitEnded.get(2, TimeUnit.SECONDS));
    run.probe().expectTerminated(run.agent(), Duration.ofSeconds(1));
  }

  @Test
  void promptTokensOverTheLimitEndTheAgentBeforeItsTools() {
    chat.script("iota").calls(new Usage(1500, 5, 0, 1), call("i1", "echo", "never"));
    Run run = start(fresh("iota", new Bounds(20, 1000, Duration.ofSeconds(30))));

    assertEquals(new Finished("iota", Outcome.BOUNDED, "the context reached 1500 prompt tokens, over the limit of"
        + " 1000; stopped before the tool calls of round 1", 0, new Usage(1500, 5, 0, 1)),
        run.probe().receiveMessage(REPORT_WAIT));
    run.probe().expectTerminated(run.agent(), Duration.ofSeconds(1));
    assertEquals(List.of(), tools.echoed);
  }

  // ---- resume ----

  @Test
  void resumesFromAJournaledTranscript() {
    List<ChatMessage> journaled = List.of(
        ChatMessage.user(task("kappa")),
        ChatMessage.assistant(null, List.of(call("c1", "echo", "before"))),
        ChatMessage.toolResult(call("c1", "echo", "before"), echoResult("before")));
    chat.script("kappa").calls(call("c1", "echo", "after")).text("resumed and done");
    Run run = start(spec("kappa", journaled, new Progress(1, ScriptedAgentChat.USAGE), ROOMY, contexts()));

    List<Report> reports = reportsUntilFinished(run.probe());

    List<ChatMessage> firstRequest = new ArrayList<>(List.of(ChatMessage.system(SYSTEM)));
    firstRequest.addAll(journaled);
    assertEquals(firstRequest, chat.script("kappa").requests.get(0).messages());
    assertEquals(List.of(2, 3), roundsOf(reports).stream().map(RoundCompleted::round).toList());
    assertEquals(List.of(ChatMessage.assistant(null, List.of(call("call_agent_2_0", "echo", "after"))),
        ChatMessage.toolResult(call("call_agent_2_0", "echo", "after"), echoResult("after"))),
        roundsOf(reports).get(0).appended());
    assertEquals(new Finished("kappa", Outcome.COMPLETED, "resumed and done", 3, times(ScriptedAgentChat.USAGE, 3)),
        last(reports));
  }

  @Test
  void resumingATranscriptCutMidRoundGivesTheUnansweredCallALostResult() {
    ToolCall answered = call("c1", "echo", "one");
    ToolCall cut = call("c2", "echo", "two");
    List<ChatMessage> journaled = List.of(ChatMessage.user(task("lambda")),
        ChatMessage.assistant(null, List.of(answered, cut)), ChatMessage.toolResult(answered, echoResult("one")));
    chat.script("lambda").text("checked and done");
    Run run = start(spec("lambda", journaled, new Progress(1, Usage.ZERO), ROOMY, contexts()));

    List<Report> reports = reportsUntilFinished(run.probe());

    ChatMessage lost = ChatMessage.toolResult(cut, AgentTranscript.lostResult(cut));
    assertEquals(lost, chat.script("lambda").lastMessages().get(4));
    assertPaired(chat.script("lambda").lastMessages());
    assertEquals(List.of(new RoundCompleted("lambda", 2,
        List.of(lost, ChatMessage.assistant("checked and done", List.of())), ScriptedAgentChat.USAGE)),
        roundsOf(reports));
    assertEquals(Outcome.COMPLETED, last(reports).outcome());
  }

  // ---- failures ----

  @Test
  void aThrowingToolIsAnErrorResultAndTheLoopGoesOn() {
    chat.script("mu").calls(call("b1", "boom", "")).calls(call("e1", "echo", "still here")).text("survived");
    Run run = start(fresh("mu", ROOMY));

    List<Report> reports = reportsUntilFinished(run.probe());

    assertEquals(new Finished("mu", Outcome.COMPLETED, "survived", 3, times(ScriptedAgentChat.USAGE, 3)), last(reports));
    assertEquals(ChatMessage.toolResult(call("b1", "boom", ""), ToolInvoker.error("boom",
        "internal error in tool boom: java.lang.IllegalStateException: boom exploded").content()),
        roundsOf(reports).get(0).appended().get(1));
    assertEquals(List.of("still here"), tools.echoed);
  }

  @Test
  void aToolContextThatCannotBeBuiltIsAnErrorResultForThatCall() {
    chat.script("nu").calls(call("e1", "echo", "x")).text("could not run it");
    Function<TurnSignal, ToolContext> broken = signal -> {
      throw new IllegalStateException("workspace /w/nu is not writable");
    };
    Run run = start(spec("nu", List.of(ChatMessage.user(task("nu"))), Progress.NONE, ROOMY, broken));

    List<Report> reports = reportsUntilFinished(run.probe());

    assertEquals(ChatMessage.toolResult(call("e1", "echo", "x"), ToolInvoker.error("echo",
        "tool echo failed: cannot prepare the tool context: workspace /w/nu is not writable").content()),
        roundsOf(reports).get(0).appended().get(1));
    assertEquals(new Finished("nu", Outcome.COMPLETED, "could not run it", 2, times(ScriptedAgentChat.USAGE, 2)),
        last(reports));
    assertEquals(List.of(), tools.echoed);
  }

  @Test
  void anEmptyReplyIsNudgedOnceThenTheAgentFails() {
    chat.script("xi").empty().empty();
    Run run = start(fresh("xi", ROOMY));

    List<Report> reports = reportsUntilFinished(run.probe());

    ChatMessage nudge = ChatMessage.user(AgentTranscript.EMPTY_REPLY_NUDGE);
    assertEquals(List.of(new RoundCompleted("xi", 1, List.of(nudge), ScriptedAgentChat.USAGE)), roundsOf(reports));
    assertEquals(new Finished("xi", Outcome.FAILED, "the model returned an empty reply twice in a row", 1,
        times(ScriptedAgentChat.USAGE, 2)), last(reports));
    assertEquals(List.of(ChatMessage.system(SYSTEM), ChatMessage.user(task("xi")), nudge),
        chat.script("xi").lastMessages());
  }

  @Test
  void anAnswerAfterTheNudgeCompletes() {
    chat.script("omicron").empty().text("sorry, here it is");
    Run run = start(fresh("omicron", ROOMY));

    assertEquals(new Finished("omicron", Outcome.COMPLETED, "sorry, here it is", 2, times(ScriptedAgentChat.USAGE, 2)),
        last(reportsUntilFinished(run.probe())));
  }

  @Test
  void aFailedModelCallFailsTheAgentWithItsReason() {
    chat.script("pi").calls(call("p1", "echo", "a")).failure("HTTP 400: context too long");
    Run run = start(fresh("pi", ROOMY));

    List<Report> reports = reportsUntilFinished(run.probe());

    assertEquals(new Finished("pi", Outcome.FAILED, "model 'main' (fake-model) failed: HTTP 400: context too long", 1,
        ScriptedAgentChat.USAGE), last(reports));
    assertEquals(1, roundsOf(reports).size());
  }

  // ---- helpers ----

  private record Run(ActorRef<AgentLoop.Command> agent, TestProbe<Report> probe) {}

  private Run start(Spec spec) {
    TestProbe<Report> probe = testKit.createTestProbe();
    ActorRef<AgentLoop.Command> agent = testKit.spawn(AgentLoop.create(spec, probe.ref(), r -> r));
    return new Run(agent, probe);
  }

  private Spec fresh(String key, Bounds bounds) {
    return spec(key, List.of(ChatMessage.user(task(key))), Progress.NONE, bounds, contexts());
  }

  private Spec spec(String key, List<ChatMessage> transcript, Progress progress, Bounds bounds,
      Function<TurnSignal, ToolContext> contexts) {
    return new Spec(key, AgentTier.SUB_AGENT, SYSTEM, transcript, progress, MODEL, null, tools.all(), tools.specs(),
        bounds, contexts, chat, new ToolActor.Pools(toolPool, controlPool, Duration.ofSeconds(10)));
  }

  private Function<TurnSignal, ToolContext> contexts() {
    Path root = workspace;
    return signal -> new AgentTestTools.Context(root, signal);
  }

  private static String task(String key) {
    return "Task " + key + ": look around and report.";
  }

  private static ToolCall call(String id, String name, String text) {
    return new ToolCall(id, name, text.isEmpty() ? "{}" : Json.write(Json.object().put("text", text)));
  }

  private static String echoResult(String text) {
    return Json.pretty(Json.object().put("echo", text));
  }

  private static Usage times(Usage usage, int n) {
    Usage total = Usage.ZERO;
    for (int i = 0; i < n; i++) total = total.plus(usage);
    return total;
  }

  private static List<Report> reportsUntilFinished(TestProbe<Report> probe) {
    List<Report> reports = new ArrayList<>();
    while (true) {
      Report report = probe.receiveMessage(REPORT_WAIT);
      reports.add(report);
      if (report instanceof Finished) {
        probe.expectNoMessage(Duration.ofMillis(100));
        return reports;
      }
    }
  }

  private static Finished last(List<Report> reports) {
    return assertInstanceOf(Finished.class, reports.get(reports.size() - 1));
  }

  private static List<RoundCompleted> roundsOf(List<Report> reports) {
    return reports.stream().filter(RoundCompleted.class::isInstance).map(RoundCompleted.class::cast).toList();
  }

  /** Every call has exactly one result, right after its assistant message, and no id is used twice. */
  private static void assertPaired(List<ChatMessage> messages) {
    List<String> callIds = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage m = messages.get(i);
      if (!m.hasToolCalls()) continue;
      List<String> ids = m.toolCalls().stream().map(ToolCall::id).toList();
      List<String> results = new ArrayList<>();
      for (int j = i + 1; j < messages.size() && messages.get(j).role() == Role.TOOL; j++) {
        results.add(messages.get(j).toolCallId());
      }
      assertEquals(ids, results, "results of the calls of message " + i);
      callIds.addAll(ids);
    }
    assertEquals(callIds.stream().distinct().count(), callIds.size(), "unique call ids: " + callIds);
  }
}
