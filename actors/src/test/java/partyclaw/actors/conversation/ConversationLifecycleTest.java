package partyclaw.actors.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.core.llm.ChatResponse;
import partyclaw.core.transcript.ToolCall;

/** Passivation, the active-conversation directory, undeliverable replies, hung tools, snapshot scoping. */
class ConversationLifecycleTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  @TempDir Path workdir;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void aStopThatArrivesMidTurnWaitsForTheTurnToFinishThenStops() {
    EntityFixture f = new EntityFixture(testKit, workdir, 3);
    CompletableFuture<ChatResponse> answer = f.chat.later();
    // A plain actor (the testkit's one could not be watched) under an id of its own: two live entities sharing the
    // fixture's id would race on its journal, the fixture's replaying this message and taking the scripted answer.
    ActorRef<ConversationEntity.Command> entity =
        testKit.spawn(ConversationEntity.create("cli:stop-" + System.nanoTime(), f.rt, f.directory, null));
    TestProbe<StatusReply<ConversationEntity.Accepted>> ack = testKit.createTestProbe();
    entity.tell(new ConversationEntity.SubmitUserMessage("m1", "u1", "User", "hello", ack.ref()));
    assertTrue(ack.receiveMessage(Duration.ofSeconds(5)).isSuccess());
    f.awaitRequests(1);

    // Sharding's stop message after a passivation that raced the message: the turn must still be answered.
    entity.tell(new ConversationEntity.Stop());
    answer.complete(ScriptedChatClient.answer("answered anyway"));
    Deliver d = f.expectDelivery();
    assertEquals("answered anyway", d.text());
    d.reportTo().tell(new DeliveryReport.Delivered(d.outboundId()));

    TestProbe<Object> watcher = testKit.createTestProbe();
    watcher.expectTerminated(entity, Duration.ofSeconds(10));
  }

  @Test
  void aQuietConversationWokenAfterACrashLeavesTheActiveSet() {
    EntityFixture f = new EntityFixture(testKit, workdir, 3);
    f.chat.text("done");
    f.send("hello");
    f.nextDelivery();
    f.await("quiet", ConversationState::quiet);
    assertEquals(1, f.activeConversations().stream().filter(f.id::equals).count());

    f.entity.restart(); // what a restarted daemon does with every conversation the directory lists
    awaitTrue("directory shrinks", () -> !f.activeConversations().contains(f.id));
  }

  @Test
  void anUndeliverableReplyLeavesTheOutboxAndShowsInStatus() {
    EntityFixture f = new EntityFixture(testKit, workdir, 3);
    f.chat.text("nobody will read this");
    f.send("hello");
    Deliver d = f.expectDelivery();
    d.reportTo().tell(new DeliveryReport.Undeliverable(d.outboundId(), "Forbidden: bot was kicked from the group"));
    ConversationState s = f.await("quiet", ConversationState::quiet);
    assertEquals(1, s.undeliverable());
    assertEquals(1, f.events().stream().filter(e -> e instanceof ConversationEntity.OutboundUndeliverable).count());

    f.send("/status");
    String status = f.nextDelivery().text();
    assertTrue(status.lines().anyMatch(
        "Replies the platform refused: 1 (last: Forbidden: bot was kicked from the group)"::equals), status);
  }

  @Test
  void aHungImmediateToolIsAbandonedWithAnErrorAndTheTurnGoesOn() {
    EntityFixture f = new EntityFixture(testKit, workdir, 3, Duration.ofMillis(300), "cli");
    f.chat.calls(new ToolCall("h", "sleep1", "{}")).text("went on");
    f.send("run the slow tool");
    assertEquals("went on", f.nextDelivery().text());
    String result = f.request(1).get(f.request(1).size() - 1).content();
    assertTrue(result.contains("\"error\" : \"tool sleep1 did not finish within 300 ms and was abandoned\""), result);
    assertEquals(1, f.events().stream().filter(e -> e instanceof ConversationEntity.ToolResultRecorded r
        && r.status() == ResultStatus.ERROR).count());
  }

  @Test
  void snapshotsBelongToTheirConversation() {
    EntityFixture owner = new EntityFixture(testKit, workdir, 3, Duration.ofMinutes(1), "tg");
    EntityFixture other = new EntityFixture(testKit, workdir, 3, Duration.ofMinutes(1), "tg");
    EntityFixture operator = new EntityFixture(testKit, workdir, 3);
    owner.chat.text("secret plans");
    owner.send("tell me the plan");
    owner.nextDelivery();
    owner.send("/snapsave plans");
    assertTrue(owner.nextDelivery().text().startsWith("Saved snapshot `plans` of this conversation"));

    other.send("/snaplist");
    assertEquals("There are no saved snapshots yet. Use `/snapsave <name>` first.", other.nextDelivery().text());
    other.send("/snapload plans");
    assertTrue(other.nextDelivery().text().startsWith("Could not load snapshot `plans`: there is no snapshot"));
    other.send("/snapload plans from " + owner.id);
    assertEquals("Only an operator may load another conversation's snapshot.", other.nextDelivery().text());
    other.send("/snaplist all");
    assertEquals("Only an operator may list the snapshots of every conversation.", other.nextDelivery().text());
    assertEquals(List.of(), other.await("quiet", ConversationState::quiet).transcript(), "nothing was loaded");

    operator.send("/snaplist all");
    String all = operator.nextDelivery().text();
    assertTrue(all.lines().anyMatch(l -> l.startsWith("- `plans` (") && l.endsWith(", from `" + owner.id + "`)")), all);
    operator.send("/snapload plans from " + owner.id);
    assertTrue(operator.nextDelivery().text().startsWith("Loaded snapshot `plans`"));
    assertEquals(owner.entity.getState().transcript(), operator.await("loaded", s -> !s.transcript().isEmpty())
        .transcript());
    assertFalse(operator.entity.getState().transcript().isEmpty());
  }

  private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError(what + ": not reached");
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
