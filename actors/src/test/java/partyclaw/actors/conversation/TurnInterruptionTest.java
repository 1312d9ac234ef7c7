package partyclaw.actors.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.actors.outbox.Deliver;
import partyclaw.core.tool.TurnSignal;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;
import partyclaw.core.transcript.ToolCall;

/** Queue modes, yielding at safe boundaries, /stop, /continue, settings commands and snapshots. */
class TurnInterruptionTest {
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
    f = new EntityFixture(testKit, workdir, 10);
  }

  @Test
  void steerYieldsTheWaitAndTheModelSeesPartialResultThenTheMessage() {
    f.chat.calls(new ToolCall("w", "wait", "{}")).text("adapted");
    f.send("run the long job");
    f.await("wait running", f::toolRunning);
    long sent = System.nanoTime();
    f.send("actually, stop after step one");
    f.awaitRequests(2);
    long tookMs = (System.nanoTime() - sent) / 1_000_000;
    assertTrue(tookMs < 1000, "the follow-up reached the model after " + tookMs + " ms");
    List<ChatMessage> msgs = f.request(1);
    ChatMessage toolResult = msgs.get(msgs.size() - 2);
    ChatMessage followUp = msgs.get(msgs.size() - 1);
    assertEquals("w", toolResult.toolCallId());
    assertTrue(toolResult.content().contains("\"interrupted\" : true"), toolResult.content());
    assertEquals(Role.USER, followUp.role());
    assertEquals("[Interrupted Follow-up]\nactually, stop after step one", followUp.content());
    assertEquals(List.of(TurnSignal.Level.INTERRUPTED), f.testTools.waitEndings, "yield, not cancel");
    assertEquals("adapted", f.nextDelivery().text());
  }

  @Test
  void followupModeAnswersTheMessageAfterTheTurn() {
    f.send("/queue followup");
    assertTrue(f.nextDelivery().text().contains("followup"));
    f.chat.calls(new ToolCall("s", "sleep1", "{}")).text("first answer").text("second answer");
    f.send("first");
    f.await("tool running", f::toolRunning);
    f.send("second");
    assertEquals("first answer", f.nextDelivery().text());
    assertEquals("second answer", f.nextDelivery().text());
    List<ChatMessage> last = f.request(2);
    assertEquals("second", last.get(last.size() - 1).content(), "no interruption marker in followup mode");
    assertEquals(3, f.chat.requests.size());
  }

  @Test
  void collectModeTurnsQuickMessagesIntoOneFollowUp() {
    f.send("/queue collect");
    f.nextDelivery();
    f.chat.calls(new ToolCall("s", "sleep1", "{}")).text("first answer").text("collected answer");
    f.send("start");
    f.await("tool running", f::toolRunning);
    for (int i = 1; i <= 5; i++) f.send("update " + i);
    assertEquals("first answer", f.nextDelivery().text());
    assertEquals("collected answer", f.nextDelivery().text());
    List<ChatMessage> last = f.request(2);
    ChatMessage collected = last.get(last.size() - 1);
    assertTrue(collected.content().startsWith("[Queued User Updates]"), collected.content());
    for (int i = 1; i <= 5; i++) assertTrue(collected.content().contains("update " + i));
    assertEquals(Role.ASSISTANT, last.get(last.size() - 2).role(), "one user message for the five");
  }

  @Test
  void interruptModeCancelsTheRunningTools() {
    f.send("/queue interrupt");
    f.nextDelivery();
    f.chat.calls(new ToolCall("w", "wait", "{}")).text("new turn answer");
    f.send("long job");
    f.await("wait running", f::toolRunning);
    f.send("forget it, do this instead");
    assertEquals("new turn answer", f.nextDelivery().text());
    f.await("wait ended", s -> !f.testTools.waitEndings.isEmpty());
    assertEquals(List.of(TurnSignal.Level.CANCELLED), f.testTools.waitEndings);
    List<ChatMessage> last = f.request(1);
    assertTrue(last.get(last.size() - 2).content().contains("\"cancelled\" : true"));
    assertEquals("forget it, do this instead", last.get(last.size() - 1).content());
  }

  @Test
  void stopCancelsTheTurnAndNoLaterModelCallIsMade() throws Exception {
    f.chat.calls(new ToolCall("w", "wait", "{\"exec_id\":\"abc\"}")).text("must not be asked");
    f.send("long job");
    f.await("wait running", f::toolRunning);
    f.send("/stop");
    Deliver notice = f.nextDelivery();
    assertTrue(notice.text().startsWith("Stopped: wait (abc)"), notice.text());
    f.await("wait cancelled", s -> !f.testTools.waitEndings.isEmpty());
    assertEquals(List.of(TurnSignal.Level.CANCELLED), f.testTools.waitEndings);
    Thread.sleep(500); // room for a wrong model call to show up; the stop itself was awaited above
    assertEquals(1, f.chat.requests.size());
    assertEquals(TurnOutcome.STOPPED, f.entity.getState().lastOutcome());

    f.send("/continue");
    assertEquals("must not be asked", f.nextDelivery().text());
    List<ChatMessage> resumed = f.request(1);
    assertTrue(resumed.get(resumed.size() - 1).content().contains("cancelled"));
    f.send("/continue");
    assertTrue(f.nextDelivery().text().contains("no interrupted turn"));
  }

  @Test
  void aCrashInTheMiddleOfAYieldLeavesAValidConversationThatContinues() {
    f.chat.calls(new ToolCall("w", "wait", "{}"));
    f.send("long job");
    f.await("wait running", f::toolRunning);
    f.send("follow-up during the wait");
    f.entity.restart(); // the yield had not reached its boundary yet
    f.chat.text("continued after the crash");
    // After recovery the call is lost, the follow-up enters at the boundary, the model decides.
    f.awaitRequests(2);
    List<ChatMessage> msgs = f.request(1);
    assertTrue(msgs.get(msgs.size() - 2).content().contains("\"lost\" : true"), msgs.toString());
    assertEquals("[Interrupted Follow-up]\nfollow-up during the wait", msgs.get(msgs.size() - 1).content());
    assertEquals("continued after the crash", f.nextDelivery().text());
  }

  @Test
  void twentyMessagesInABurstAllReachTheModel() {
    f.chat.calls(new ToolCall("s", "sleep1", "{}")).text("one").text("two").text("three");
    for (int i = 1; i <= 20; i++) f.send("burst " + i);
    f.nextDelivery();
    f.await("quiet", s -> s.turn() == null && s.inbox().isEmpty());
    long accepted = f.events().stream()
        .filter(e -> e instanceof ConversationEntity.InboundAccepted).count();
    assertEquals(20, accepted);
    // The last request holds the whole transcript: each message must be in it exactly once, as a whole message.
    List<String> userTexts = f.chat.lastMessages().stream().filter(m -> m.role() == Role.USER)
        .map(m -> m.content().replace(UserMessages.INTERRUPTED_FOLLOW_UP + "\n", "")).toList();
    for (int i = 1; i <= 20; i++) {
      String text = "burst " + i;
      assertEquals(1, userTexts.stream().filter(text::equals).count(), text + " in " + userTexts);
    }
    assertEquals(20, userTexts.stream().filter(t -> t.startsWith("burst ")).count(), userTexts.toString());
  }

  @Test
  void settingsCommandsAreJournaledAndNeverReachTheModel() {
    f.send("/think high");
    assertTrue(f.nextDelivery().text().contains("`high`"));
    f.send("/agent other");
    assertEquals("Conversation model updated to `other`.", f.nextDelivery().text());
    f.send("/agent nope");
    assertTrue(f.nextDelivery().text().startsWith("Unknown model `nope`"));
    f.send("/frobnicate");
    String unknown = f.nextDelivery().text();
    assertTrue(unknown.startsWith("Unknown command. Use `/help` to see available commands.")
        && unknown.contains("/snapsave"), unknown);
    f.send("/help");
    assertTrue(f.nextDelivery().text().contains("/stop"));
    f.send("/mount");
    assertTrue(f.nextDelivery().text().startsWith("No folders are mounted."));
    f.await("all delivered", ConversationState::quiet);
    f.entity.restart();
    f.chat.text("hi");
    f.send("hello");
    assertEquals("hi", f.nextDelivery().text());
    assertEquals("high", f.chat.requests.get(0).reasoningEffort());
    assertTrue(f.request(0).get(0).content().contains("Current model profile: other"));
    assertEquals(List.of(Role.SYSTEM, Role.USER), f.request(0).stream().map(ChatMessage::role).toList(),
        "commands are not part of the transcript");
    f.send("/status");
    String status = f.nextDelivery().text();
    assertTrue(status.contains("Queue mode: steer") && status.contains("Model: other (gpt-4o-mini)"), status);
  }

  @Test
  void snapshotLoadRestoresTheTranscriptAtSaveTime() {
    f.chat.text("a1").text("b1").text("after load");
    f.send("question a");
    f.nextDelivery();
    f.await("quiet", ConversationState::quiet);
    List<ChatMessage> atSave = List.copyOf(f.entity.getState().transcript());
    f.send("/snapsave a");
    assertTrue(f.nextDelivery().text().startsWith("Saved snapshot `a` of this conversation"));
    f.send("question b");
    f.nextDelivery();
    f.send("/snaplist");
    assertTrue(f.nextDelivery().text().contains("`a`"));
    f.send("/snapload a");
    assertTrue(f.nextDelivery().text().startsWith("Loaded snapshot `a`"));
    f.send("after");
    assertEquals("after load", f.nextDelivery().text());
    List<ChatMessage> req = f.request(2);
    assertEquals(atSave, req.subList(1, req.size() - 1));
    assertEquals("after", req.get(req.size() - 1).content());
    f.send("/snapsave ..");
    assertTrue(f.nextDelivery().text().startsWith("Invalid snapshot name"));
    assertFalse(f.entity.getState().workspaceId().isEmpty());
  }
}
