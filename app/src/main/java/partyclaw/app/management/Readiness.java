package partyclaw.app.management;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * When the node is ready to serve: the journal recovered (the directory of conversations with unfinished work
 * answered and those conversations were woken), this node is an Up member so sharding can place conversations,
 * and every configured channel started. Read by {@code /ready} from any thread.
 */
public final class Readiness {
  private volatile boolean recovered;
  /** A cluster node first waits for its journal's database; a single node's LevelDB is always there. */
  private volatile boolean databaseReachable = true;
  private final BooleanSupplier clusterUp;
  private final Supplier<List<String>> channelsNotStarted;

  public Readiness(BooleanSupplier clusterUp, Supplier<List<String>> channelsNotStarted) {
    this.clusterUp = clusterUp;
    this.channelsNotStarted = channelsNotStarted;
  }

  /** A cluster node: /ready is 503 until {@link #databaseReached()}. */
  public void awaitDatabase() {
    databaseReachable = false;
  }

  public void databaseReached() {
    databaseReachable = true;
  }

  public void journalRecovered() {
    recovered = true;
  }

  /** What the node still waits for; empty when it is ready. */
  public List<String> waitingFor() {
    List<String> out = new ArrayList<>();
    if (!databaseReachable) out.add("journal database (PostgreSQL)");
    if (!recovered) out.add("journal recovery");
    if (!clusterUp.getAsBoolean()) out.add("cluster membership (sharding)");
    List<String> channels = channelsNotStarted.get();
    if (!channels.isEmpty()) out.add("channels " + String.join(", ", channels));
    return out;
  }
}
