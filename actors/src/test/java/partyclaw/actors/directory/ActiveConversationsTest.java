package partyclaw.actors.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import java.time.Duration;
import com.typesafe.config.ConfigFactory;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ActiveConversationsTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void acknowledgesOnlyAfterPersistingAndSurvivesARestart() {
    EventSourcedBehaviorTestKit<ActiveConversations.Command, ActiveConversations.Event, ActiveConversations.State> kit =
        EventSourcedBehaviorTestKit.create(testKit.system(), ActiveConversations.create());
    TestProbe<StatusReply<String>> ack = testKit.createTestProbe();

    var first = kit.runCommand(new ActiveConversations.MarkActive<>("cli:a", ack.ref(), "accepted"));
    assertEquals(new ActiveConversations.ConversationActivated("cli:a"), first.event());
    assertEquals("accepted", ack.receiveMessage().getValue());

    var again = kit.runCommand(new ActiveConversations.MarkActive<>("cli:a", ack.ref(), "again"));
    assertEquals(0, again.events().size(), "an active conversation is acknowledged without a write");
    assertEquals("again", ack.receiveMessage().getValue());

    kit.runCommand(new ActiveConversations.MarkActive<>("tg:-5", null, null));
    kit.runCommand(new ActiveConversations.MarkIdle("cli:a"));
    kit.restart();
    assertEquals(Set.of("tg:-5"), kit.getState().active());
    TestProbe<Set<String>> probe = testKit.createTestProbe();
    kit.runCommand(new ActiveConversations.GetActive(probe.ref()));
    assertEquals(Set.of("tg:-5"), probe.receiveMessage());
  }

  @Test
  void aJournalFailureRestartsTheDirectoryInsteadOfStoppingIt() {
    // Its own actor system: its own in-memory journal, untouched by the other test's events.
    ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
    try {
      journalFailureRestarts(testKit);
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private static void journalFailureRestarts(ActorTestKit testKit) {
    ActorRef<ActiveConversations.Command> directory = testKit.spawn(ActiveConversations.create());
    TestProbe<StatusReply<String>> ack = testKit.createTestProbe();
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    journal.failNextPersisted();
    directory.tell(new ActiveConversations.MarkActive<>("cli:lost", ack.ref(), "first"));
    ack.expectNoMessage(Duration.ofMillis(300)); // not persisted, so not acknowledged

    // After the backoff it serves again; the channel's redelivery of the first message is acknowledged too.
    ack.awaitAssert(Duration.ofSeconds(10), () -> {
      directory.tell(new ActiveConversations.MarkActive<>("cli:next", ack.ref(), "next"));
      assertEquals("next", ack.receiveMessage(Duration.ofMillis(500)).getValue());
      return null;
    });
    TestProbe<Set<String>> probe = testKit.createTestProbe();
    directory.tell(new ActiveConversations.GetActive(probe.ref()));
    assertEquals(Set.of("cli:next"), probe.receiveMessage());
  }
}
