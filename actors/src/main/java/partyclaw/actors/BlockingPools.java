package partyclaw.actors;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import java.util.concurrent.Executor;

/**
 * The node's pools for blocking work (configured in {@code reference.conf}), kept apart so that one kind of
 * blocking work can never starve another.
 */
public final class BlockingPools {
  private BlockingPools() {}

  /** Tool calls: a thread may be held for as long as a tool runs. */
  public static Executor tools(ActorSystem<?> system) {
    return lookup(system, "partyclaw.tool-dispatcher");
  }

  /** Short blocking steps of the runtime: killing processes, snapshot and workspace file I/O. */
  public static Executor runtime(ActorSystem<?> system) {
    return lookup(system, "partyclaw.blocking-dispatcher");
  }

  /** Channel I/O: file downloads and uploads, reading attachments. */
  public static Executor channelIo(ActorSystem<?> system) {
    return lookup(system, "partyclaw.channel-io-dispatcher");
  }

  private static Executor lookup(ActorSystem<?> system, String path) {
    return system.dispatchers().lookup(DispatcherSelector.fromConfig(path));
  }
}
