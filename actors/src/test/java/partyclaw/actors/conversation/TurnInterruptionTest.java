package partyclaw.actors.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.ModelCatalog;
import partyclaw.actors.ResourcesRegistry;
import partyclaw.actors.directory.ActiveConversations;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryRouter;
import partyclaw.core.llm.LlmEndpoint;
import partyclaw.core.llm.RetryPolicy;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.TurnSignal;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;
import partyclaw.core.transcript.ToolCall;

/** Queue modes, yielding at safe boundaries, /stop, /continue, settings commands and snapshots. */
class TurnInterruptionTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  @TempDir Path workdir;
  String id;
  ScriptedChatClient chat;
  TestProbe<ChannelMessage> channel;
  EventSourcedBehaviorTestKit<ConversationEntity.Command, ConversationEntity.Event, ConversationState> entity;
  int messageNo;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    chat = new ScriptedChatClient();
    channel = testKit.createTestProbe(ChannelMessage.class);
    DeliveryRouter router = new DeliveryRouter();
    router.register("cli", channel.ref());
    Map<String, Tool> tools = Map.of("wait", TestTools.WAIT, "sleep1", TestTools.SLEEP1, "echo", TestTools.ECHO);
    LlmEndpoint endpoint = new LlmEndpoint("main", "http://127.0.0.1:1/v1/chat/completions", "m", null, Map.of(),
        Duration.ofSeconds(30), RetryPolicy.NONE, null);
    LlmEndpoint other = new LlmEndpoint("other", "http://127.0.0.1:1/v1/chat/completions", "o", null, Map.of(),
        Duration.ofSeconds(30), RetryPolicy.NONE, null);
    ModelCatalog models = new ModelCatalog(Map.of(
        "main", new ModelCatalog.Entry("main", endpoint, "", 128000),
        "other", new ModelCatalog.Entry("other", other, "", 128000)), List.of("main", "other"), "main");
    ConversationRuntime rt = new ConversationRuntime(chat, models, tools, ConversationRuntime.specsOf(tools), workdir,
        Map.of(), 10, "en", router, new ResourcesRegistry(), Duration.ofMinutes(2), "steer", Duration.ofMillis(300), 50,
        "subprocess");
    ActorRef<ActiveConversations.Command> directory = testKit.spawn(ActiveConversations.create());
    id = "cli:t-" + System.nanoTime();
    entity = EventSourcedBehaviorTestKit.create(testKit.system(), ConversationEntity.create(id, rt, directory, null));
    TestTools.WAIT_ENDINGS.clear();
  }

  private void send(String text) {
    TestProbe<StatusReply<ConversationEntity.Accepted>> ack = testKit.createTestProbe();
    entity.runCommand(new ConversationEntity.SubmitUserMessage("m" + (++messageNo), "u", "User", text, ack.ref()));
    assertTrue(ack.receiveMessage(Duration.ofSeconds(5)).isSuccess());
  }

  private Deliver nextDelivery() {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      ChannelMessage m = channel.receiveMessage(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (m instanceof Deliver d) {
        d.confirmTo().tell(new ConversationEntity.ConfirmDelivery(d.outboundId()));
        return d;
      }
    }
  }

  private void await(String what, Predicate<ConversationState> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.test(entity.getState())) {
      if (System.nanoTime() > deadline) throw new AssertionError(what + " not reached: " + entity.getState());
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private void awaitRequests(int n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (chat.requests.size() < n) {
      if (System.nanoTime() > deadline) throw new AssertionError("only " + chat.requests.size() + " model requests");
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private boolean toolRunning(ConversationState s) {
    return s.turn() != null && !s.turn().awaitingModel();
  }

  private List<ChatMessage> request(int index) {
    return chat.requests.get(index).messages();
  }

  @Test
  void steerYieldsTheWaitAndTheModelSeesPartialResultThenTheMessage() {
    chat.calls(new ToolCall("w", "wait", "{}")).text("adapted");
    send("run the long job");
    await("wait running", this::toolRunning);
    long sent = System.nanoTime();
    send("actually, stop after step one");
    awaitRequests(2);
    long tookMs = (System.nanoTime() - sent) / 1_000_000;
    assertTrue(tookMs < 1000, "the follow-up reached the model after " + tookMs + " ms");
    List<ChatMessage> msgs = request(1);
    ChatMessage toolResult = msgs.get(msgs.size() - 2);
    ChatMessage followUp = msgs.get(msgs.size() - 1);
    assertEquals("w", toolResult.toolCallId());
    assertTrue(toolResult.content().contains("\"interrupted\" : true"), toolResult.content());
    assertEquals(Role.USER, followUp.role());
    assertEquals("[Interrupted Follow-up]\nactually, stop after step one", followUp.content());
    assertEquals(List.of(TurnSignal.Level.INTERRUPTED), TestTools.WAIT_ENDINGS, "yield, not cancel");
    assertEquals("adapted", nextDelivery().text());
  }

  @Test
  void followupModeAnswersTheMessageAfterTheTurn() {
    send("/queue followup");
    assertTrue(nextDelivery().text().contains("followup"));
    chat.calls(new ToolCall("s", "sleep1", "{}")).text("first answer").text("second answer");
    send("first");
    await("tool running", this::toolRunning);
    send("second");
    assertEquals("first answer", nextDelivery().text());
    assertEquals("second answer", nextDelivery().text());
    List<ChatMessage> last = request(2);
    assertEquals("second", last.get(last.size() - 1).content(), "no interruption marker in followup mode");
    assertEquals(3, chat.requests.size());
  }

  @Test
  void collectModeTurnsQuickMessagesIntoOneFollowUp() {
    send("/queue collect");
    nextDelivery();
    chat.calls(new ToolCall("s", "sleep1", "{}")).text("first answer").text("collected answer");
    send("start");
    await("tool running", this::toolRunning);
    for (int i = 1; i <= 5; i++) send("update " + i);
    assertEquals("first answer", nextDelivery().text());
    assertEquals("collected answer", nextDelivery().text());
    List<ChatMessage> last = request(2);
    ChatMessage collected = last.get(last.size() - 1);
    assertTrue(collected.content().startsWith("[Queued User Updates]"), collected.content());
    for (int i = 1; i <= 5; i++) assertTrue(collected.content().contains("update " + i));
    assertEquals(Role.ASSISTANT, last.get(last.size() - 2).role(), "one user message for the five");
  }

  @Test
  void interruptModeCancelsTheRunningTools() {
    send("/queue interrupt");
    nextDelivery();
    chat.calls(new ToolCall("w", "wait", "{}")).text("new turn answer");
    send("long job");
    await("wait running", this::toolRunning);
    send("forget it, do this instead");
    assertEquals("new turn answer", nextDelivery().text());
    await("wait ended", s -> !TestTools.WAIT_ENDINGS.isEmpty());
    assertEquals(List.of(TurnSignal.Level.CANCELLED), TestTools.WAIT_ENDINGS);
    List<ChatMessage> last = request(1);
    assertTrue(last.get(last.size() - 2).content().contains("\"cancelled\" : true"));
    assertEquals("forget it, do this instead", last.get(last.size() - 1).content());
  }

  @Test
  void stopCancelsTheTurnAndNoLaterModelCallIsMade() throws Exception {
    chat.calls(new ToolCall("w", "wait", "{\"exec_id\":\"abc\"}")).text("must not be asked");
    send("long job");
    await("wait running", this::toolRunning);
    send("/stop");
    Deliver notice = nextDelivery();
    assertTrue(notice.text().startsWith("Stopped: wait (abc)"), notice.text());
    await("wait cancelled", s -> !TestTools.WAIT_ENDINGS.isEmpty());
    assertEquals(List.of(TurnSignal.Level.CANCELLED), TestTools.WAIT_ENDINGS);
    Thread.sleep(500);
    assertEquals(1, chat.requests.size());
    assertEquals("stopped", entity.getState().lastOutcome());

    send("/continue");
    assertEquals("must not be asked", nextDelivery().text());
    List<ChatMessage> resumed = request(1);
    assertTrue(resumed.get(resumed.size() - 1).content().contains("cancelled"));
    send("/continue");
    assertTrue(nextDelivery().text().contains("no interrupted turn"));
  }

  @Test
  void aCrashInTheMiddleOfAYieldLeavesAValidConversationThatContinues() {
    chat.calls(new ToolCall("w", "wait", "{}"));
    send("long job");
    await("wait running", this::toolRunning);
    send("follow-up during the wait");
    entity.restart(); // the yield had not reached its boundary yet
    chat.text("continued after the crash");
    // After recovery the call is lost, the follow-up enters at the boundary, the model decides.
    awaitRequests(2);
    List<ChatMessage> msgs = request(1);
    assertTrue(msgs.get(msgs.size() - 2).content().contains("\"lost\" : true"), msgs.toString());
    assertEquals("[Interrupted Follow-up]\nfollow-up during the wait", msgs.get(msgs.size() - 1).content());
    assertEquals("continued after the crash", nextDelivery().text());
  }

  @Test
  void twentyMessagesInABurstAllReachTheModel() {
    chat.calls(new ToolCall("s", "sleep1", "{}")).text("one").text("two").text("three");
    for (int i = 1; i <= 20; i++) send("burst " + i);
    nextDelivery();
    await("quiet", s -> s.turn() == null && s.inbox().isEmpty());
    long accepted = PersistenceTestKit.create(testKit.system()).persistedInStorage("conversation|" + id).stream()
        .filter(e -> e instanceof ConversationEntity.InboundAccepted).count();
    assertEquals(20, accepted);
    String everything = chat.requests.stream().flatMap(r -> r.messages().stream())
        .map(m -> m.content() == null ? "" : m.content()).collect(Collectors.joining("\n"));
    for (int i = 1; i <= 20; i++) assertTrue(everything.contains("burst " + i + "\n") || everything.endsWith("burst " + i)
        || everything.contains("burst " + i), "burst " + i);
  }

  @Test
  void settingsCommandsAreJournaledAndNeverReachTheModel() {
    send("/think high");
    assertTrue(nextDelivery().text().contains("`high`"));
    send("/agent other");
    assertEquals("Conversation model updated to `other`.", nextDelivery().text());
    send("/agent nope");
    assertTrue(nextDelivery().text().startsWith("Unknown model `nope`"));
    send("/frobnicate");
    assertEquals("Unknown command. Use `/help` to see available commands.", nextDelivery().text());
    send("/help");
    assertTrue(nextDelivery().text().contains("/stop"));
    send("/compact");
    assertTrue(nextDelivery().text().contains("not available"));
    entity.restart();
    chat.text("hi");
    send("hello");
    assertEquals("hi", nextDelivery().text());
    assertEquals("high", chat.requests.get(0).reasoningEffort());
    assertTrue(request(0).get(0).content().contains("Current model profile: other"));
    assertEquals(List.of(Role.SYSTEM, Role.USER), request(0).stream().map(ChatMessage::role).toList(),
        "commands are not part of the transcript");
    send("/status");
    String status = nextDelivery().text();
    assertTrue(status.contains("Queue mode: steer") && status.contains("Model: other (o)"), status);
  }

  @Test
  void snapshotLoadRestoresTheTranscriptAtSaveTime() {
    chat.text("a1").text("b1").text("after load");
    send("question a");
    nextDelivery();
    await("quiet", ConversationState::quiet);
    List<ChatMessage> atSave = List.copyOf(entity.getState().transcript());
    send("/snapsave a");
    assertTrue(nextDelivery().text().startsWith("Saved global snapshot `a`"));
    send("question b");
    nextDelivery();
    send("/snaplist");
    assertTrue(nextDelivery().text().contains("`a`"));
    send("/snapload a");
    assertTrue(nextDelivery().text().startsWith("Loaded snapshot `a`"));
    send("after");
    assertEquals("after load", nextDelivery().text());
    List<ChatMessage> req = request(2);
    assertEquals(atSave, req.subList(1, req.size() - 1));
    assertEquals("after", req.get(req.size() - 1).content());
    send("/snapsave ..");
    assertTrue(nextDelivery().text().startsWith("Invalid snapshot name"));
    assertFalse(entity.getState().workspaceId().isEmpty());
  }
}
