package partyclaw.app.management;

import akka.actor.typed.javadsl.Adapter;
import akka.persistence.AtomicWrite;
import akka.persistence.journal.leveldb.LeveldbJournal;
import com.typesafe.config.Config;
import java.time.Duration;
import partyclaw.actors.metrics.RuntimeMetricsExtension;
import scala.collection.immutable.Seq;
import scala.concurrent.Future;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * The LevelDB journal, timing each batch of writes for {@code partyclaw_journal_write_seconds}. Timing here rather
 * than around the entities' persist effects: it covers every persistent actor, measures the write itself (LevelDB
 * batch plus fsync), and leaves the entities alone. Configured as {@code akka.persistence.journal.leveldb.class}.
 */
public final class MeteredLeveldbJournal extends LeveldbJournal {

  public MeteredLeveldbJournal(Config cfg) {
    super(cfg);
  }

  @Override
  public Future<Seq<Try<BoxedUnit>>> asyncWriteMessages(Seq<AtomicWrite> messages) {
    long start = System.nanoTime();
    // Looked up per batch: the app installs the metrics after the actor system (and possibly this journal) exists.
    var metrics = RuntimeMetricsExtension.of(Adapter.toTyped(context().system()));
    Future<Seq<Try<BoxedUnit>>> written = super.asyncWriteMessages(messages);
    written.onComplete(result -> {
      metrics.journalWrite(Duration.ofNanos(System.nanoTime() - start), result.isSuccess());
      return BoxedUnit.UNIT;
    }, context().dispatcher());
    return written;
  }
}
