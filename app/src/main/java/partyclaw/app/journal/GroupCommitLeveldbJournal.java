package partyclaw.app.journal;

import akka.actor.typed.javadsl.Adapter;
import akka.japi.pf.ReceiveBuilder;
import akka.persistence.AtomicWrite;
import akka.persistence.PersistentRepr;
import akka.persistence.journal.Tagged;
import akka.persistence.journal.leveldb.LeveldbJournal;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import partyclaw.actors.SyncOptional;
import partyclaw.actors.metrics.RuntimeMetrics;
import partyclaw.actors.metrics.RuntimeMetricsExtension;
import scala.Function1;
import scala.PartialFunction;
import scala.collection.immutable.Seq;
import scala.concurrent.Future;
import scala.concurrent.Promise;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * Akka's LevelDB journal with group commit: the writes of every persistent actor that are waiting in the journal's
 * mailbox go to LevelDB as one batch with one fsync, instead of one fsync each.
 *
 * <p>How: a write is staged into the pending batch and answered only when that batch is on disk. The first staged
 * write sends the journal a {@link Flush} message, which queues behind every write already in the mailbox; when it
 * is processed those writes have all been staged, and one {@code write(batch, sync)} commits them. Under load the
 * batch grows by itself (writes queue up while the previous fsync runs); a lone write costs one extra message.
 * Every read, delete and the shutdown flushes first, so nothing ever reads around a staged write. If the batch
 * cannot be written, every write in it fails (its persistent actor sees a persist failure and restarts from the
 * journal), exactly as a failed single write would.
 *
 * <p>A batch of nothing but {@link SyncOptional} events (delivery confirmations) is written without the sync: it
 * reaches the operating system all the same, so only a power failure could lose it, and then a reply is sent twice.
 *
 * <p>Each commit is timed for {@code partyclaw_journal_write_seconds}. Configured as
 * {@code akka.persistence.journal.leveldb.class}.
 */
public final class GroupCommitLeveldbJournal extends LeveldbJournal {

  /** Commits the staged batch; sent to itself by the first write staged since the last commit. */
  enum Flush { INSTANCE }

  private record Staged(Promise<Seq<Try<BoxedUnit>>> answer, Future<Seq<Try<BoxedUnit>>> result) {}

  private static final WriteOptions UNSYNCED = new WriteOptions().sync(false).snapshot(false);

  private WriteBatch pending;
  /** Whether the pending batch holds an event that must be on disk before it is acknowledged. */
  private boolean pendingMustSync;
  private final List<Staged> staged = new ArrayList<>();
  /** True only while the parent stages a write: its {@link #withBatch} must not write by itself then. */
  private boolean staging;

  public GroupCommitLeveldbJournal(Config cfg) {
    super(cfg);
  }

  @Override
  public Future<Seq<Try<BoxedUnit>>> asyncWriteMessages(Seq<AtomicWrite> messages) {
    Future<Seq<Try<BoxedUnit>>> result;
    staging = true;
    try {
      result = super.asyncWriteMessages(messages);
    } finally {
      staging = false;
    }
    if (mustSync(messages)) pendingMustSync = true;
    Promise<Seq<Try<BoxedUnit>>> answer = Promise.apply();
    if (staged.isEmpty()) self().tell(Flush.INSTANCE, self());
    staged.add(new Staged(answer, result));
    return answer.future();
  }

  @Override
  public <R> R withBatch(Function1<WriteBatch, R> body) {
    if (!staging) {
      commit(); // a delete's batch must not overtake staged writes
      return super.withBatch(body);
    }
    if (pending == null) pending = leveldb().createWriteBatch();
    return body.apply(pending);
  }

  @Override
  public PartialFunction<Object, BoxedUnit> receivePluginInternal() {
    return ReceiveBuilder.create().match(Flush.class, f -> commit()).build().onMessage()
        .orElse(super.receivePluginInternal());
  }

  @Override
  public Future<Object> asyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
    commit();
    return super.asyncReadHighestSequenceNr(persistenceId, fromSequenceNr);
  }

  @Override
  public Future<BoxedUnit> asyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr, long max,
      Function1<PersistentRepr, BoxedUnit> replayCallback) {
    commit();
    return super.asyncReplayMessages(persistenceId, fromSequenceNr, toSequenceNr, max, replayCallback);
  }

  @Override
  public void postStop() {
    commit();
    super.postStop();
  }

  /** Writes the staged batch with one sync and answers every write in it. */
  private void commit() {
    if (staged.isEmpty()) return;
    List<Staged> writes = List.copyOf(staged);
    staged.clear();
    WriteBatch batch = pending;
    pending = null;
    WriteOptions options = pendingMustSync ? leveldbWriteOptions() : UNSYNCED;
    pendingMustSync = false;
    long start = System.nanoTime();
    Throwable failure = null;
    try {
      if (batch != null) leveldb().write(batch, options);
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      closeQuietly(batch);
    }
    metrics().journalWrite(Duration.ofNanos(System.nanoTime() - start), failure == null);
    for (Staged s : writes) {
      if (failure != null) s.answer().failure(failure);
      else s.answer().completeWith(s.result());
    }
  }

  /** False only when every event written is {@link SyncOptional}. */
  static boolean mustSync(Seq<AtomicWrite> writes) {
    for (AtomicWrite write : CollectionConverters.asJava(writes)) {
      for (PersistentRepr repr : CollectionConverters.asJava(write.payload())) {
        Object event = repr.payload() instanceof Tagged t ? t.payload() : repr.payload();
        if (!(event instanceof SyncOptional)) return true;
      }
    }
    return false;
  }

  private RuntimeMetrics metrics() {
    // Looked up per commit: the app installs the metrics after the actor system (and possibly this journal) exists.
    return RuntimeMetricsExtension.of(Adapter.toTyped(context().system()));
  }

  private static void closeQuietly(WriteBatch batch) {
    if (batch == null) return;
    try {
      batch.close();
    } catch (java.io.IOException | RuntimeException ignored) {
      // closing frees native memory; a failure here changes nothing about what was written
    }
  }
}
