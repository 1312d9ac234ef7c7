package partyclaw.app.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.actors.metrics.RuntimeMetrics;
import partyclaw.actors.metrics.RuntimeMetricsExtension;

/** Group commit on the real LevelDB journal: many writers, fewer commits, everything there after a restart. */
class GroupCommitLeveldbJournalTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  /** Appends the strings it is told, acknowledging each once journaled; its state is what it appended. */
  static final class Appender extends EventSourcedBehavior<Appender.Command, String, List<String>> {
    sealed interface Command {}

    record Append(String text, ActorRef<List<String>> replyTo) implements Command {}

    record Get(ActorRef<List<String>> replyTo) implements Command {}

    Appender(String id) {
      super(PersistenceId.ofUniqueId(id));
    }

    @Override
    public List<String> emptyState() {
      return List.of();
    }

    @Override
    public CommandHandler<Command, String, List<String>> commandHandler() {
      return newCommandHandlerBuilder().forAnyState()
          .onCommand(Append.class, (s, c) -> Effect().persist(c.text()).thenReply(c.replyTo(), st -> st))
          .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s))
          .build();
    }

    @Override
    public EventHandler<List<String>, String> eventHandler() {
      return newEventHandlerBuilder().forAnyState().onAnyEvent((s, e) -> {
        List<String> next = new ArrayList<>(s);
        next.add(e);
        return List.copyOf(next);
      });
    }

    static Behavior<Command> create(String id) {
      return new Appender(id);
    }
  }

  Config config() {
    return ConfigFactory.parseString(String.join("\n",
        "akka.actor.provider = local",
        "akka.persistence.journal.plugin = \"akka.persistence.journal.leveldb\"",
        "akka.persistence.journal.leveldb.class = \"" + GroupCommitLeveldbJournal.class.getName() + "\"",
        "akka.persistence.journal.leveldb.dir = \"" + dir.resolve("journal") + "\"",
        "akka.persistence.journal.leveldb.native = on",
        "akka.persistence.journal.leveldb.fsync = on",
        "akka.persistence.snapshot-store.plugin = \"akka.persistence.snapshot-store.local\"",
        "akka.persistence.snapshot-store.local.dir = \"" + dir.resolve("snapshots") + "\""))
        .withFallback(ConfigFactory.load());
  }

  /** Counts the journal's commits (each is timed once). */
  static RuntimeMetrics countingCommits(AtomicInteger commits) {
    return (RuntimeMetrics) Proxy.newProxyInstance(RuntimeMetrics.class.getClassLoader(),
        new Class<?>[] {RuntimeMetrics.class}, (proxy, method, args) -> {
          if (method.getName().equals("journalWrite")) commits.incrementAndGet();
          return null;
        });
  }

  @Test
  void concurrentWritersShareCommitsAndEveryEventIsThereAfterARestart() {
    int writers = 200;
    AtomicInteger commits = new AtomicInteger();
    ActorTestKit kit = ActorTestKit.create("group-commit", config());
    try {
      RuntimeMetricsExtension.install(kit.system(), countingCommits(commits));
      List<ActorRef<Appender.Command>> refs = new ArrayList<>();
      for (int i = 0; i < writers; i++) refs.add(kit.spawn(Appender.create("writer-" + i)));
      TestProbe<List<String>> acks = kit.createTestProbe();
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < writers; i++) refs.get(i).tell(new Appender.Append("w" + i + "-r" + round, acks.ref()));
        for (int i = 0; i < writers; i++) acks.receiveMessage(WAIT);
      }
      int writes = 3 * writers;
      assertTrue(commits.get() <= writes / 2, commits.get() + " commits for " + writes + " writes");
    } finally {
      kit.shutdownTestKit();
    }

    ActorTestKit again = ActorTestKit.create("group-commit-again", config());
    try {
      TestProbe<List<String>> state = again.createTestProbe();
      for (int i = 0; i < writers; i++) {
        again.spawn(Appender.create("writer-" + i)).tell(new Appender.Get(state.ref()));
        assertEquals(List.of("w" + i + "-r0", "w" + i + "-r1", "w" + i + "-r2"), state.receiveMessage(WAIT));
      }
    } finally {
      again.shutdownTestKit();
    }
  }

  record Confirmation(String id) implements partyclaw.actors.SyncOptional {}

  @Test
  void onlyABatchOfSyncOptionalEventsIsCommittedWithoutWaitingForTheDisk() {
    assertFalse(GroupCommitLeveldbJournal.mustSync(writes(new Confirmation("a"), new Confirmation("b"))));
    assertFalse(GroupCommitLeveldbJournal.mustSync(writes(
        new akka.persistence.journal.Tagged(new Confirmation("c"), scala.collection.immutable.Set$.MODULE$.empty()))));
    assertTrue(GroupCommitLeveldbJournal.mustSync(writes(new Confirmation("a"), "an event that must be on disk")));
    assertTrue(GroupCommitLeveldbJournal.mustSync(writes("an event that must be on disk")));
  }

  private static scala.collection.immutable.Seq<akka.persistence.AtomicWrite> writes(Object... events) {
    List<akka.persistence.AtomicWrite> out = new ArrayList<>();
    long seqNr = 0;
    for (Object e : events) {
      out.add(akka.persistence.AtomicWrite.apply(akka.persistence.PersistentRepr.apply(e, ++seqNr, "p", "", false,
          null, "writer")));
    }
    return scala.jdk.javaapi.CollectionConverters.asScala(out).toList();
  }

  @Test
  void aLoneWriterIsAnsweredAndReadsSeeWhatWasJustWritten() {
    ActorTestKit kit = ActorTestKit.create("group-commit-lone", config());
    try {
      TestProbe<List<String>> probe = kit.createTestProbe();
      ActorRef<Appender.Command> a = kit.spawn(Appender.create("lone"));
      for (int i = 0; i < 20; i++) {
        a.tell(new Appender.Append("e" + i, probe.ref()));
        assertEquals(i + 1, probe.receiveMessage(WAIT).size());
      }
      kit.stop(a);
      // A new incarnation replays at once: the replay must not read around a staged write.
      kit.spawn(Appender.create("lone")).tell(new Appender.Get(probe.ref()));
      assertEquals(20, probe.receiveMessage(WAIT).size());
    } finally {
      kit.shutdownTestKit();
    }
  }
}
