package partyclaw.app.console;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;
import partyclaw.actors.agents.AgentSlots;
import partyclaw.actors.conversation.ConversationEntity;
import partyclaw.actors.directory.ActiveConversations;
import partyclaw.actors.metrics.RuntimeMetricsExtension;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.DeliveryRouter;
import partyclaw.app.logging.RecentProblems;
import partyclaw.app.management.Readiness;
import partyclaw.core.config.ChannelConfig;
import partyclaw.core.config.PartyclawConfig;

/** The running daemon as the console socket sees it. */
public final class DaemonConsole implements ConsoleBackend {
  private static final Duration ASK = Duration.ofSeconds(3);
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DaemonConsole.class);

  /** What {@code partyclaw status} reports on; built by the daemon once everything it names exists. */
  public record Parts(ActorSystem<?> system, PartyclawConfig config, Path workdir, DeliveryRouter router,
      Readiness readiness, ActorRef<ActiveConversations.Command> directory, AgentSlots subAgents,
      AgentSlots backgroundAgents, partyclaw.actors.ResourcesRegistry resources, Path socket,
      AttachedTerminals terminals, ActorRef<ChannelMessage> consoleChannel, java.util.concurrent.Executor blocking) {}

  private final Parts p;
  private final ClusterSharding sharding;

  public DaemonConsole(Parts parts) {
    this.p = parts;
    this.sharding = ClusterSharding.get(parts.system());
  }

  @Override
  public CompletionStage<Boolean> submit(String conversationId, String messageId, String user, String text) {
    return sharding.entityRefFor(ConversationEntity.TYPE_KEY, conversationId)
        .<ConversationEntity.Accepted>askWithStatus(
            replyTo -> new ConversationEntity.SubmitUserMessage(messageId, user, user, text, replyTo),
            Duration.ofSeconds(20))
        .thenApply(accepted -> {
          if (!accepted.duplicate() && ConsoleChannel.owns(conversationId)) {
            RuntimeMetricsExtension.of(p.system()).messageReceived(ConsoleChannel.CHANNEL_ID);
          }
          return true;
        });
  }

  @Override
  public CompletionStage<Boolean> quiet(String conversationId) {
    return conversationStatus(conversationId).thenApply(ConversationEntity.Status::quiet);
  }

  @Override
  public void attached(String conversationId) {
    if (!ConsoleChannel.owns(conversationId)) p.router().observe(conversationId, p.consoleChannel());
    LOG.info("a terminal attached to conversation {}", conversationId);
  }

  @Override
  public void detached(String conversationId) {
    if (!ConsoleChannel.owns(conversationId)) p.router().unobserve(conversationId, p.consoleChannel());
    LOG.info("the last terminal left conversation {}", conversationId);
  }

  private CompletionStage<ConversationEntity.Status> conversationStatus(String conversationId) {
    return sharding.entityRefFor(ConversationEntity.TYPE_KEY, conversationId)
        .askWithStatus(ConversationEntity.GetStatus::new, ASK);
  }

  @Override
  public CompletionStage<ObjectNode> status() {
    CompletionStage<Set<String>> running = AskPattern
        .<akka.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
            sharding.shardState(), replyTo -> new GetShardRegionState(ConversationEntity.TYPE_KEY, replyTo), ASK,
            p.system().scheduler())
        .thenApply(state -> {
          Set<String> ids = new java.util.TreeSet<>();
          state.getShards().forEach(s -> ids.addAll(s.getEntityIds()));
          return ids;
        });
    CompletionStage<Set<String>> unfinished = AskPattern.<ActiveConversations.Command, Set<String>>ask(
        p.directory(), ActiveConversations.GetActive::new, ASK, p.system().scheduler());
    CompletableFuture<Long> journalBytes = CompletableFuture.supplyAsync(this::journalBytes, p.blocking());
    return running.thenCompose(ids -> {
      List<CompletableFuture<Object[]>> asks = new ArrayList<>();
      for (String id : ids) {
        CompletableFuture<Integer> cron = sharding.entityRefFor(ConversationEntity.TYPE_KEY, id)
            .<List<partyclaw.core.cron.CronTask>>askWithStatus(replyTo -> new ConversationEntity.ManageCron(
                new ConversationEntity.ManageCron.ListTasks(), replyTo), ASK)
            .toCompletableFuture()
            .handle((tasks, err) -> tasks == null ? -1 : (int) tasks.stream().filter(t -> t.enabled()).count());
        asks.add(conversationStatus(id).toCompletableFuture()
            .handle((s, err) -> s)
            .thenCombine(cron, (s, c) -> new Object[] {id, s, c}));
      }
      return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v -> {
        List<Object[]> all = asks.stream().map(CompletableFuture::join).toList();
        return all;
      });
    }).thenCombine(unfinished.exceptionally(e -> null), (all, active) -> render(all, active, journalBytes.join()));
  }

  private ObjectNode render(List<Object[]> statuses, Set<String> unfinished, long journalBytes) {
    ObjectNode out = JsonLines.JSON.createObjectNode();
    long startMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    out.put("state", "up");
    out.put("pid", ProcessHandle.current().pid());
    out.put("workdir", p.workdir().toString());
    out.put("started_at", Instant.ofEpochMilli(startMillis).toString());
    out.put("uptime_seconds", Math.max(0, (System.currentTimeMillis() - startMillis) / 1000));
    List<String> waiting = p.readiness().waitingFor();
    out.put("ready", waiting.isEmpty());
    ArrayNode waitingFor = out.putArray("waiting_for");
    waiting.forEach(waitingFor::add);

    ArrayNode channels = out.putArray("channels");
    for (ChannelConfig c : p.config().channels()) {
      ObjectNode ch = channels.addObject();
      ch.put("id", c.id());
      ch.put("kind", c.kind());
      boolean registered = p.router().isRegistered(c.id());
      ch.put("health", p.router().isStarted(c.id()) ? "serving" : registered ? "starting" : "not running");
    }
    ObjectNode console = out.putObject("console");
    console.put("socket", p.socket().toString());
    console.put("terminals_attached", p.terminals().count());

    ObjectNode conv = out.putObject("conversations");
    int busy = 0, queued = 0, undelivered = 0, unanswered = 0;
    long undeliverable = 0;
    ArrayNode busyIds = JsonLines.JSON.createArrayNode();
    int cronTasks = 0;
    for (Object[] entry : statuses) {
      if ((Integer) entry[2] > 0) cronTasks += (Integer) entry[2];
      ConversationEntity.Status s = (ConversationEntity.Status) entry[1];
      if (s == null) {
        unanswered++;
        continue;
      }
      if (s.turnRunning()) {
        busy++;
        busyIds.add((String) entry[0]);
      }
      queued += s.queuedMessages();
      undelivered += s.undelivered();
      undeliverable += s.undeliverable();
    }
    conv.put("running", statuses.size());
    if (unfinished != null) conv.put("with_unfinished_work", unfinished.size());
    conv.put("busy", busy);
    conv.set("busy_ids", busyIds);
    conv.put("queued_messages", queued);
    conv.put("undelivered_replies", undelivered);
    conv.put("undeliverable_replies", undeliverable);
    if (unanswered > 0) conv.put("did_not_answer", unanswered);

    ObjectNode agents = out.putObject("agents");
    agents.put("sub_agents_running", p.subAgents().inUse());
    agents.put("sub_agents_max", p.subAgents().maxGlobal());
    agents.put("background_agents_running", p.backgroundAgents().inUse());
    agents.put("background_agents_max", p.backgroundAgents().maxGlobal());

    long processes = 0;
    long downloads = 0;
    for (partyclaw.core.tool.ConversationResources r : p.resources().snapshot().values()) {
      processes += r.find(partyclaw.tools.exec.ExecRegistry.class).map(e -> e.runningCount()).orElse(0L);
      downloads += r.find(partyclaw.tools.download.DownloadRegistry.class).map(d -> (long) d.describeRunning().size())
          .orElse(0L);
    }
    ObjectNode tasks = out.putObject("tasks");
    tasks.put("exec_processes_running", processes);
    tasks.put("downloads_running", downloads);
    tasks.put("cron_tasks_enabled", cronTasks);

    ObjectNode journal = out.putObject("journal");
    journal.put("kind", "leveldb");
    journal.put("recovered", !waiting.contains("journal recovery"));
    journal.put("path", p.workdir().resolve("journal").toString());
    journal.put("size_bytes", journalBytes);

    ArrayNode problems = out.putArray("last_errors");
    for (RecentProblems.Problem pr : RecentProblems.last()) {
      problems.addObject().put("at", pr.at().toString()).put("level", pr.level()).put("logger", pr.logger())
          .put("message", pr.message());
    }
    return out;
  }

  private long journalBytes() {
    Path dir = p.workdir().resolve("journal");
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
  }
}
