package partyclaw.app.console;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.ActorContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import partyclaw.actors.agents.AgentSlots;
import partyclaw.actors.directory.ActiveConversations;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.DeliveryRouter;
import partyclaw.app.management.Readiness;
import partyclaw.core.config.PartyclawConfig;

/** Starts the console of a daemon: the {@code console} channel and the socket in the workdir. */
public final class Console {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Console.class);

  private Console() {}

  public static void start(ActorContext<?> ctx, PartyclawConfig cfg, Path workdir, DeliveryRouter router,
      Readiness readiness, ActorRef<ActiveConversations.Command> directory, AgentSlots subAgents,
      AgentSlots backgroundAgents, partyclaw.actors.ResourcesRegistry resources) {
    if (cfg.channels().stream().anyMatch(c -> c.id().equals(ConsoleChannel.CHANNEL_ID))) {
      LOG.error("a configured channel uses the id '{}', which partyclaw chat needs for its own conversations; "
          + "rename that channel to use partyclaw chat and partyclaw status", ConsoleChannel.CHANNEL_ID);
      return;
    }
    AttachedTerminals terminals = new AttachedTerminals();
    ActorRef<ChannelMessage> channel = ctx.spawn(ConsoleChannel.create(router, terminals),
        "channel-" + ConsoleChannel.CHANNEL_ID);
    router.register(ConsoleChannel.CHANNEL_ID, channel);
    router.channelStarted(ConsoleChannel.CHANNEL_ID);
    java.util.concurrent.Executor blocking = ctx.getSystem().dispatchers()
        .lookup(DispatcherSelector.fromConfig("partyclaw.blocking-dispatcher"));
    DaemonConsole backend = new DaemonConsole(new DaemonConsole.Parts(ctx.getSystem(), cfg, workdir, router,
        readiness, directory, subAgents, backgroundAgents, resources, ConsoleSocket.pathOf(workdir), terminals, channel,
        blocking));
    ConsoleSocket socket;
    try {
      socket = ConsoleSocket.start(workdir, backend, terminals);
    } catch (IOException | RuntimeException e) {
      LOG.error("the console socket could not start, so partyclaw chat and partyclaw status cannot reach this "
          + "daemon: {}", e.getMessage());
      return;
    }
    CoordinatedShutdown.get(ctx.getSystem()).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "console-socket-close",
        () -> {
          socket.close();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
  }
}
