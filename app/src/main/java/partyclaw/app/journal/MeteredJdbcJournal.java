package partyclaw.app.journal;

import akka.actor.typed.javadsl.Adapter;
import akka.persistence.AtomicWrite;
import akka.persistence.jdbc.journal.JdbcAsyncWriteJournal;
import com.typesafe.config.Config;
import java.time.Duration;
import partyclaw.actors.metrics.RuntimeMetricsExtension;
import scala.collection.immutable.Seq;
import scala.concurrent.Future;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * The cluster's PostgreSQL journal (akka-persistence-jdbc), timing each batch of writes for {@code /metrics}
 * ({@code partyclaw_journal_write_seconds}) as the single node's LevelDB journal does: the figure an operator watches
 * when the database becomes the bottleneck.
 */
public final class MeteredJdbcJournal extends JdbcAsyncWriteJournal {
  public MeteredJdbcJournal(Config config) {
    super(config);
  }

  @Override
  public Future<Seq<Try<BoxedUnit>>> asyncWriteMessages(Seq<AtomicWrite> messages) {
    long start = System.nanoTime();
    akka.actor.ActorSystem system = context().system(); // read on the actor's thread, used on the future's
    Future<Seq<Try<BoxedUnit>>> result = super.asyncWriteMessages(messages);
    result.onComplete(outcome -> {
      // A write that failed as a whole fails the future; rejected events come back as failed Trys inside it.
      boolean ok = outcome.isSuccess() && outcome.get().forall(Try::isSuccess);
      // Looked up per write: the app installs the metrics after the actor system (and possibly this journal) exists.
      RuntimeMetricsExtension.of(Adapter.toTyped(system))
          .journalWrite(Duration.ofNanos(System.nanoTime() - start), ok);
      return BoxedUnit.UNIT;
    }, context().dispatcher());
    return result;
  }
}
