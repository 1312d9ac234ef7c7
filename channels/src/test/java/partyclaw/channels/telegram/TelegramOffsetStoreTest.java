package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.Done;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The offset store survives journal failures, and so does the poller that uses it. */
class TelegramOffsetStoreTest extends TelegramTestSupport {
  static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void aJournalFailureRestartsTheStoreWithItsOffsetInsteadOfStoppingItForGood() {
    PersistenceTestKit journal = PersistenceTestKit.create(kit.system());
    ActorRef<TelegramOffsetStore.Command> store = kit.spawn(TelegramOffsetStore.create(channelId));
    TestProbe<StatusReply<Done>> saved = kit.createTestProbe();
    store.tell(new TelegramOffsetStore.SaveOffset(5, saved.ref()));
    saved.expectMessage(StatusReply.ack());

    journal.failNextPersisted();
    store.tell(new TelegramOffsetStore.SaveOffset(6, saved.ref()));
    saved.expectNoMessage(Duration.ofMillis(300)); // the failed write is never acknowledged
    // Asked again, as the poller does, until the restarted store acknowledges.
    saved.awaitAssert(Duration.ofSeconds(10), Duration.ofMillis(500), () -> {
      store.tell(new TelegramOffsetStore.SaveOffset(7, saved.ref()));
      assertEquals(StatusReply.ack(), saved.receiveMessage(Duration.ofMillis(400)));
      return null;
    });
    TestProbe<Long> offset = kit.createTestProbe();
    store.tell(new TelegramOffsetStore.GetOffset(offset.ref()));
    assertEquals(7L, offset.receiveMessage());
  }

  @Test
  void thePollerGoesOnAfterTheStoreFailedToWrite() throws Exception {
    PersistenceTestKit journal = PersistenceTestKit.create(kit.system());
    startChannel();
    long first = fake.injectMessage(601, "private", 601, "before");
    conversations.await(conv(601), 1, WAIT);
    fake.await(() -> fake.confirmedOffset() > first ? true : null, WAIT, () -> "offset past " + first);

    journal.failNextPersisted();
    long second = fake.injectMessage(601, "private", 601, "while the journal fails");
    long third = fake.injectMessage(601, "private", 601, "after");
    assertEquals(3, conversations.await(conv(601), 3, WAIT).size());
    fake.await(() -> fake.confirmedOffset() > third ? true : null, WAIT,
        () -> "offset past " + second + " and " + third + ", confirmed " + fake.confirmedOffset());
  }
}
