package partyclaw.actors.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import partyclaw.actors.outbox.TurnActivity;
import partyclaw.actors.outbox.DeliveryRouter;
import partyclaw.core.llm.LlmEndpoint;
import partyclaw.core.llm.RetryPolicy;
import partyclaw.core.tool.Tool;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;
import partyclaw.core.transcript.ToolCall;

class ConversationEntityTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  @TempDir Path workdir;
  String id;
  final List<ChannelMessage> activities = new java.util.concurrent.CopyOnWriteArrayList<>();
  ScriptedChatClient chat;
  TestProbe<ChannelMessage> channel;
  EventSourcedBehaviorTestKit<ConversationEntity.Command, ConversationEntity.Event, ConversationState> entity;

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
    Map<String, Tool> tools = Map.of("echo", TestTools.ECHO, "wait", TestTools.WAIT, "slow", TestTools.SLOW, "sleep1", TestTools.SLEEP1);
    LlmEndpoint endpoint = new LlmEndpoint("main", "http://127.0.0.1:1/v1/chat/completions", "m", null, Map.of(),
        Duration.ofSeconds(5), RetryPolicy.NONE, null);
    ModelCatalog models = new ModelCatalog(Map.of("main", new ModelCatalog.Entry("main", endpoint, "", 128000)),
        List.of("main"), "main");
    ConversationRuntime rt = new ConversationRuntime(chat, models, tools, ConversationRuntime.specsOf(tools), workdir,
        Map.of(), 3, "en", router, new ResourcesRegistry(), Duration.ofMinutes(2), "steer", Duration.ofMillis(300), 50,
        "subprocess");
    ActorRef<ActiveConversations.Command> directory = testKit.spawn(ActiveConversations.create());
    id = "cli:local-" + System.nanoTime();
    entity = EventSourcedBehaviorTestKit.create(testKit.system(), ConversationEntity.create(id, rt, directory, null));
  }

  private TestProbe<StatusReply<ConversationEntity.Accepted>> submit(String messageId, String text) {
    TestProbe<StatusReply<ConversationEntity.Accepted>> ack = testKit.createTestProbe();
    entity.runCommand(new ConversationEntity.SubmitUserMessage(messageId, "u1", "User", text, ack.ref()));
    return ack;
  }

  private List<Object> events() {
    return PersistenceTestKit.create(testKit.system()).persistedInStorage("conversation|" + id);
  }

  private Deliver expectDelivery() {
    return expectDelivery(Duration.ofSeconds(10));
  }

  /** The next outbox delivery, skipping turn activity. */
  private Deliver expectDelivery(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
      ChannelMessage m = channel.receiveMessage(left);
      if (m instanceof Deliver d) return d;
      activities.add(m);
    }
  }

  private ConversationState awaitState(Predicate<ConversationState> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      ConversationState s = entity.getState();
      if (condition.test(s)) return s;
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("condition not reached; state: " + entity.getState());
  }

  @Test
  void acceptedMessageIsAnsweredThroughTheOutbox() {
    chat.text("hi there");
    var ack = submit("m1", "hello");
    assertEquals(new ConversationEntity.Accepted(false), ack.receiveMessage(Duration.ofSeconds(5)).getValue());
    Deliver d = expectDelivery();
    assertEquals("hi there", d.text());
    assertEquals("reply", d.kind());
    d.confirmTo().tell(new ConversationEntity.ConfirmDelivery(d.outboundId()));
    ConversationState s = awaitState(ConversationState::quiet);
    assertEquals(List.of(Role.USER, Role.ASSISTANT), s.transcript().stream().map(ChatMessage::role).toList());
    assertEquals(1, s.turnCount());
    ChatMessage system = chat.requests.get(0).messages().get(0);
    assertEquals(Role.SYSTEM, system.role());
    assertTrue(system.content().contains(workdir.toString()));
  }

  @Test
  void redeliveredMessageIsAcceptedOnceOnly() {
    chat.text("one answer");
    submit("dup", "hello").receiveMessage(Duration.ofSeconds(5));
    var second = submit("dup", "hello");
    assertEquals(new ConversationEntity.Accepted(true), second.receiveMessage(Duration.ofSeconds(5)).getValue());
    expectDelivery();
    long inbound = events().stream().filter(e -> e instanceof ConversationEntity.InboundAccepted).count();
    assertEquals(1, inbound);
    assertEquals(1, chat.requests.size());
  }

  @Test
  void toolResultsEnterTheTranscriptInCallOrder() {
    chat.calls(new ToolCall("a", "slow", "{}"), new ToolCall("b", "echo", "{\"text\":\"x\"}"))
        .text("done");
    submit("m1", "go");
    // The first call (slow) finishes last; results must still follow call order.
    Deliver d = expectDelivery(Duration.ofSeconds(30));
    assertEquals("done", d.text());
    assertTrue(activities.stream().anyMatch(a -> a instanceof TurnActivity t && t.phase() == TurnActivity.Phase.TOOLS
        && t.tools().size() == 2), activities.toString());
    List<ChatMessage> sent = chat.lastMessages();
    int n = sent.size();
    assertEquals("a", sent.get(n - 2).toolCallId());
    assertEquals("b", sent.get(n - 1).toolCallId());
    assertTrue(sent.get(n - 1).content().contains("\"echo\" : \"x\""), sent.get(n - 1).content());
  }

  @Test
  void unknownToolAndBadArgumentsAreToldToTheModel() {
    chat.calls(new ToolCall("a", "nope", "{}"), new ToolCall("b", "echo", "{broken")).text("ok");
    submit("m1", "go");
    assertEquals("ok", expectDelivery().text());
    List<ChatMessage> sent = chat.lastMessages();
    int n = sent.size();
    assertTrue(sent.get(n - 2).content().contains("unknown tool: nope"));
    assertTrue(sent.get(n - 1).content().contains("invalid tool arguments"));
  }

  @Test
  void callsCutOffByACrashGetALostResultAndTheTurnResumes() {
    chat.calls(new ToolCall("w", "wait", "{}"));
    submit("m1", "start a long wait");
    awaitState(s -> s.turn() != null && !s.turn().awaitingModel());
    chat.text("resumed");
    entity.restart();
    Deliver d = expectDelivery();
    assertEquals("resumed", d.text());
    ChatMessage last = chat.lastMessages().get(chat.lastMessages().size() - 1);
    assertEquals("w", last.toolCallId());
    assertTrue(last.content().contains("\"lost\" : true"), last.content());
    assertTrue(events().stream().anyMatch(e ->
        e instanceof ConversationEntity.ToolResultRecorded r && r.status().equals("lost")));
  }

  @Test
  void aModelCallInterruptedByACrashIsMadeAgain() {
    chat.hang();
    submit("m1", "question");
    awaitState(s -> s.turn() != null);
    chat.text("answer after restart");
    entity.restart();
    assertEquals("answer after restart", expectDelivery().text());
  }

  @Test
  void undeliveredRepliesAreSentAgainAfterARestart() {
    chat.text("important");
    submit("m1", "q");
    Deliver first = expectDelivery();
    entity.restart(); // never confirmed
    Deliver again = expectDelivery();
    assertEquals(first.outboundId(), again.outboundId());
    assertEquals("important", again.text());
  }

  @Test
  void failedModelCallIsReportedAndTheConversationGoesOn() {
    chat.failure("model 'main' failed after 4 attempts: HTTP 500");
    submit("m1", "q");
    Deliver d = expectDelivery();
    assertEquals("error", d.kind());
    assertTrue(d.text().contains("HTTP 500"));
    d.confirmTo().tell(new ConversationEntity.ConfirmDelivery(d.outboundId()));
    chat.text("back");
    submit("m2", "again");
    assertEquals("back", expectDelivery().text());
  }

  @Test
  void maxToolRoundsEndsTheTurnWithANotice() {
    for (int i = 0; i < 3; i++) chat.calls(new ToolCall("c" + i, "echo", "{}"));
    submit("m1", "loop");
    Deliver d = expectDelivery();
    assertEquals("notice", d.kind());
    assertTrue(d.text().contains("3 tool rounds"), d.text());
    assertEquals(3, chat.requests.size());
  }

  @Test
  void emptyReplyIsNudgedOnceThenReported() {
    chat.text("").text("final");
    submit("m1", "q");
    assertEquals("final", expectDelivery().text());
    assertTrue(chat.lastMessages().get(chat.lastMessages().size() - 1).content().contains("empty"));
  }

  @Test
  void userTellIsQueuedAndDeliveredAtOnce() {
    TestProbe<StatusReply<akka.Done>> probe = testKit.createTestProbe();
    entity.runCommand(new ConversationEntity.TellUser("working on it", probe.ref()));
    assertTrue(probe.receiveMessage().isSuccess());
    Deliver d = expectDelivery();
    assertEquals("tell", d.kind());
    assertEquals("working on it", d.text());
  }
}
