package partyclaw.actors.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.TurnActivity;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;
import partyclaw.core.transcript.ToolCall;

class ConversationEntityTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  @TempDir Path workdir;
  EntityFixture f;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    f = new EntityFixture(testKit, workdir, 3);
  }

  @Test
  void acceptedMessageIsAnsweredThroughTheOutbox() {
    f.chat.text("hi there");
    var ack = f.submit("m1", "hello");
    assertEquals(new ConversationEntity.Accepted(false), ack.receiveMessage(Duration.ofSeconds(5)).getValue());
    Deliver d = f.expectDelivery();
    assertEquals("hi there", d.text());
    assertEquals("reply", d.kind());
    d.reportTo().tell(new partyclaw.actors.outbox.DeliveryReport.Delivered(d.outboundId()));
    ConversationState s = f.await("state", ConversationState::quiet);
    assertEquals(List.of(Role.USER, Role.ASSISTANT), s.transcript().stream().map(ChatMessage::role).toList());
    assertEquals(1, s.turnCount());
    ChatMessage system = f.chat.requests.get(0).messages().get(0);
    assertEquals(Role.SYSTEM, system.role());
    assertTrue(system.content().contains(workdir.toString()));
  }

  @Test
  void redeliveredMessageIsAcceptedOnceOnly() {
    f.chat.text("one answer");
    f.submit("dup", "hello").receiveMessage(Duration.ofSeconds(5));
    var second = f.submit("dup", "hello");
    assertEquals(new ConversationEntity.Accepted(true), second.receiveMessage(Duration.ofSeconds(5)).getValue());
    f.expectDelivery();
    long inbound = f.events().stream().filter(e -> e instanceof ConversationEntity.InboundAccepted).count();
    assertEquals(1, inbound);
    assertEquals(1, f.chat.requests.size());
  }

  @Test
  void toolResultsEnterTheTranscriptInCallOrder() {
    f.chat.calls(new ToolCall("a", "slow", "{}"), new ToolCall("b", "echo", "{\"text\":\"x\"}"))
        .text("done");
    f.submit("m1", "go");
    // The first call (slow) finishes last; results must still follow call order.
    Deliver d = f.expectDelivery(Duration.ofSeconds(30));
    assertEquals("done", d.text());
    assertTrue(f.activities.stream().anyMatch(a -> a instanceof TurnActivity t && t.phase() == TurnActivity.Phase.TOOLS
        && t.tools().size() == 2), f.activities.toString());
    List<ChatMessage> sent = f.chat.lastMessages();
    int n = sent.size();
    assertEquals("a", sent.get(n - 2).toolCallId());
    assertEquals("b", sent.get(n - 1).toolCallId());
    assertTrue(sent.get(n - 1).content().contains("\"echo\" : \"x\""), sent.get(n - 1).content());
  }

  @Test
  void toolCallsSharingAnIdGetIdsOfTheirOwnSoEachHasExactlyOneResult() {
    f.chat.calls(new ToolCall("same", "echo", "{\"text\":\"1\"}"), new ToolCall("same", "echo", "{\"text\":\"2\"}"),
        new ToolCall("", "echo", "{\"text\":\"3\"}")).text("done");
    f.submit("m1", "go");
    assertEquals("done", f.nextDelivery().text());
    // a later turn whose model reuses an id of an earlier turn
    f.chat.calls(new ToolCall("same", "echo", "{\"text\":\"4\"}")).text("done again");
    f.submit("m2", "again");
    assertEquals("done again", f.nextDelivery().text());
    List<ChatMessage> sent = f.chat.lastMessages();
    List<String> callIds = sent.stream().filter(ChatMessage::hasToolCalls)
        .flatMap(m -> m.toolCalls().stream()).map(ToolCall::id).toList();
    assertEquals(4, callIds.size());
    assertEquals(4, callIds.stream().distinct().count(), callIds.toString());
    for (String id : callIds) {
      assertEquals(1, sent.stream().filter(m -> id.equals(m.toolCallId())).count(), "results of " + id);
    }
  }

  @Test
  void unknownToolAndBadArgumentsAreToldToTheModel() {
    f.chat.calls(new ToolCall("a", "nope", "{}"), new ToolCall("b", "echo", "{broken")).text("ok");
    f.submit("m1", "go");
    assertEquals("ok", f.expectDelivery().text());
    List<ChatMessage> sent = f.chat.lastMessages();
    int n = sent.size();
    assertTrue(sent.get(n - 2).content().contains("unknown tool: nope"));
    assertTrue(sent.get(n - 1).content().contains("invalid tool arguments"));
  }

  @Test
  void callsCutOffByACrashGetALostResultAndTheTurnResumes() {
    f.chat.calls(new ToolCall("w", "wait", "{}"));
    f.submit("m1", "start a long wait");
    f.await("state", s -> s.turn() != null && !s.turn().awaitingModel());
    f.chat.text("resumed");
    f.entity.restart();
    Deliver d = f.expectDelivery();
    assertEquals("resumed", d.text());
    ChatMessage last = f.chat.lastMessages().get(f.chat.lastMessages().size() - 1);
    assertEquals("w", last.toolCallId());
    assertTrue(last.content().contains("\"lost\" : true"), last.content());
    assertTrue(f.events().stream().anyMatch(e ->
        e instanceof ConversationEntity.ToolResultRecorded r && r.status() == ResultStatus.LOST));
  }

  @Test
  void afterAProcessRestartTheModelIsToldOnceThatOldProcessesAreGone() {
    f.chat.text("first");
    f.send("hello");
    f.nextDelivery();
    f.await("quiet", ConversationState::quiet);
    f.resources.close(); // the process and its resources are gone
    f.entity.restart();
    f.chat.text("second").text("third");
    f.send("again");
    assertEquals("second", f.nextDelivery().text());
    List<ChatMessage> sent = f.request(1);
    assertEquals(Role.SYSTEM, sent.get(sent.size() - 1).role(), sent.toString());
    assertTrue(sent.get(sent.size() - 1).content().startsWith("[System Restarted"));
    f.send("and again");
    f.nextDelivery();
    assertTrue(f.request(2).stream().noneMatch(m -> m.content() != null
        && m.content().startsWith("[System Restarted")), "the notice is sent once and never stored");
  }

  @Test
  void aModelCallInterruptedByACrashIsMadeAgain() {
    f.chat.hang();
    f.submit("m1", "question");
    f.awaitRequests(1);
    f.chat.text("answer after restart");
    f.entity.restart();
    assertEquals("answer after restart", f.expectDelivery().text());
  }

  @Test
  void undeliveredRepliesAreSentAgainAfterARestart() {
    f.chat.text("important");
    f.submit("m1", "q");
    Deliver first = f.expectDelivery();
    f.entity.restart(); // never confirmed
    Deliver again = f.expectDelivery();
    assertEquals(first.outboundId(), again.outboundId());
    assertEquals("important", again.text());
  }

  @Test
  void failedModelCallIsReportedAndTheConversationGoesOn() {
    f.chat.failure("model 'main' failed after 4 attempts: HTTP 500");
    f.submit("m1", "q");
    Deliver d = f.expectDelivery();
    assertEquals("error", d.kind());
    assertTrue(d.text().contains("HTTP 500"));
    d.reportTo().tell(new partyclaw.actors.outbox.DeliveryReport.Delivered(d.outboundId()));
    f.chat.text("back");
    f.submit("m2", "again");
    assertEquals("back", f.expectDelivery().text());
  }

  @Test
  void maxToolRoundsEndsTheTurnWithANotice() {
    for (int i = 0; i < 3; i++) f.chat.calls(new ToolCall("c" + i, "echo", "{}"));
    f.submit("m1", "loop");
    Deliver d = f.expectDelivery();
    assertEquals("notice", d.kind());
    assertTrue(d.text().contains("3 tool rounds"), d.text());
    assertEquals(3, f.chat.requests.size());
  }

  @Test
  void emptyReplyIsNudgedOnceThenReported() {
    f.chat.text("").text("final");
    f.submit("m1", "q");
    assertEquals("final", f.expectDelivery().text());
    assertTrue(f.chat.lastMessages().get(f.chat.lastMessages().size() - 1).content().contains("empty"));
  }

  @Test
  void userTellIsQueuedAndDeliveredAtOnce() {
    TestProbe<StatusReply<akka.Done>> probe = testKit.createTestProbe();
    f.entity.runCommand(new ConversationEntity.TellUser("working on it", probe.ref()));
    assertTrue(probe.receiveMessage().isSuccess());
    Deliver d = f.expectDelivery();
    assertEquals("tell", d.kind());
    assertEquals("working on it", d.text());
  }
}
