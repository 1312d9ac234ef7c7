package partyclaw.app;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import akka.cluster.ClusterEvent;
import akka.actor.typed.SupervisorStrategy;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.Join;
import akka.cluster.typed.SingletonActor;
import java.util.Optional;
import partyclaw.actors.directory.ClusterActiveConversations;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.app.cluster.ClusterStart;
import partyclaw.app.cluster.JournalSchema;
import partyclaw.core.config.ClusterConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.context.ContextPolicy;
import partyclaw.actors.ResourcesRegistry;
import partyclaw.actors.agents.AgentSlots;
import partyclaw.actors.agents.AgentTier;
import partyclaw.actors.SandboxPolicy;
import partyclaw.actors.conversation.ConversationEntity;
import partyclaw.actors.conversation.QueueMode;
import partyclaw.actors.conversation.TurnPolicy;
import partyclaw.actors.directory.ActiveConversations;
import partyclaw.actors.outbox.DeliveryRouter;
import partyclaw.app.management.Management;
import partyclaw.app.management.Readiness;
import partyclaw.channels.cli.CommandLineChannel;
import partyclaw.channels.dingtalk.DingtalkChannel;
import partyclaw.channels.dingtalk.DingtalkRobotChannel;
import partyclaw.channels.telegram.TelegramChannel;
import partyclaw.core.config.ChannelConfig;
import partyclaw.core.config.CommandLineChannelConfig;
import partyclaw.core.config.DingtalkChannelConfig;
import partyclaw.core.config.DingtalkRobotChannelConfig;
import partyclaw.core.config.Environment;
import partyclaw.core.config.MainAgentConfig;
import partyclaw.core.config.PartyclawConfig;
import partyclaw.core.config.TelegramChannelConfig;
import partyclaw.core.config.WebChannelConfig;
import partyclaw.channels.web.WebChannel;
import partyclaw.core.llm.OpenAiChatClient;
import partyclaw.core.tool.Tool;
import partyclaw.core.workspace.WorkspaceRegistry;
import partyclaw.core.workdir.Workdir;
import partyclaw.tools.BuiltinTools;
import partyclaw.actors.agents.ToolTiers;
import partyclaw.actors.conversation.ShardedReportRouter;
import partyclaw.actors.directory.TopicSubscriptions;
import partyclaw.tools.WebTooling;
import partyclaw.tools.exec.ExecRun;
import partyclaw.tools.web.WebSearchBackends;

/**
 * The guardian of a node: joins the (single-node) cluster, starts conversation sharding, wakes conversations with
 * unfinished work, and starts the channels.
 */
final class Daemon {
  private Daemon() {}

  /** Most messages entering a turn at once; the rest follow at the next boundary, never dropped. */
  private static final int FOLLOW_UP_CAP = 50;

  /** An immediate tool (file, grep, patch…) still running after this is abandoned with an error for the model. */
  private static final Duration IMMEDIATE_TOOL_TIMEOUT = Duration.ofMinutes(10);

  /** {@code main_agent.timeout_seconds} bounds a sub-agent's run (≤ 0: 300 s, as the reference); absent: 30 min. */
  static Duration subAgentWallTime(PartyclawConfig cfg) {
    Double seconds = cfg.mainAgent().timeoutSeconds();
    if (seconds == null) return TurnPolicy.DEFAULT_SUB_AGENT_WALL_TIME;
    return seconds <= 0 ? Duration.ofSeconds(300) : Duration.ofMillis(Math.round(seconds * 1000));
  }

  /** The local command line is the daemon's operator: the person at the terminal owns the workdir anyway. */
  private static Set<String> operatorChannels(PartyclawConfig cfg) {
    // So are terminals attached through the console socket, which only the daemon's own user can open.
    return java.util.stream.Stream.concat(
            cfg.channels().stream().filter(c -> c instanceof CommandLineChannelConfig).map(ChannelConfig::id),
            java.util.stream.Stream.of(partyclaw.app.console.ConsoleChannel.CHANNEL_ID))
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /** The reference runs background agents without any bound (runtime.md §9.28). */
  static final int MAX_BACKGROUND_AGENTS = 16;
  static final int MAX_BACKGROUND_AGENTS_PER_CONVERSATION = 4;

  sealed interface Command {}

  private record ChannelFinished(CommandLineChannel.Finished finished) implements Command {}

  private record Woken(int count) implements Command {}

  /** The directory of active conversations did not answer: asked again, and /ready stays 503 until it does. */
  private record WakeFailed() implements Command {}

  private record RetryWake() implements Command {}

  private record DatabaseReady() implements Command {}

  /** {@code reason} is the driver's message, never the URL (it may hold the password). */
  private record DatabaseFailed(String reason) implements Command {}

  private record RetryDatabase() implements Command {}

  private static final Duration DATABASE_RETRY = Duration.ofSeconds(3);

  /** A cluster node was removed (left, or downed by the split-brain resolver). */
  private record MemberGone(ClusterEvent.MemberRemoved removed) implements Command {}

  /** Used from the archiving timer's thread, which must not touch the actor context. */
  private static final org.slf4j.Logger ARCHIVE_LOG = org.slf4j.LoggerFactory.getLogger("partyclaw.workspaces");
  private static final org.slf4j.Logger DOWNLOAD_LOG = org.slf4j.LoggerFactory.getLogger("partyclaw.downloads");

  private static void flushWorkspaceTouches(ConversationRuntime runtime) {
    try {
      WorkspaceRegistry.shared(runtime.layout()).flush();
    } catch (RuntimeException e) {
      ARCHIVE_LOG.warn("saving workspace touches at shutdown failed: {}", e.toString());
    }
  }

  static Behavior<Command> create(PartyclawConfig cfg, Environment env, Path workdir, ExecRun execRun,
      SandboxPolicy sandbox) {
    partyclaw.app.logging.LogSecrets.register(cfg, env); // before anything can log a URI holding one
    return Behaviors.setup(ctx -> {
      Cluster cluster = Cluster.get(ctx.getSystem());
      DeliveryRouter router = new DeliveryRouter();
      List<String> servedChannels = cfg.channels().stream()
          .filter(c -> c instanceof CommandLineChannelConfig || c instanceof TelegramChannelConfig
              || c instanceof DingtalkChannelConfig || c instanceof DingtalkRobotChannelConfig
              || (c instanceof WebChannelConfig w && webToken(w, env).isPresent()))
          .map(ChannelConfig::id).toList();
      Readiness readiness = new Readiness(
          () -> cluster.selfMember().status() == akka.cluster.MemberStatus.up(),
          () -> servedChannels.stream().filter(id -> !router.isStarted(id)).toList());
      // Before anything that counts runs: the metrics are installed here.
      cfg.managementEndpoint().ifPresent(m -> Management.start(ctx.getSystem(), m, readiness));
      Optional<ClusterConfig> clusterCfg = cfg.clusterMode();
      if (clusterCfg.isEmpty()) {
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        return serving(ctx, cfg, env, workdir, execRun, sandbox, router, readiness, false);
      }
      // A cluster node joins only once its journal's database answers: hosting conversations without it is useless.
      readiness.awaitDatabase();
      String jdbcUrl = env.get(clusterCfg.get().postgresUrlEnv()).orElseThrow();
      return awaitingDatabase(ctx, jdbcUrl, () -> {
        readiness.databaseReached();
        ClusterStart.join(ctx.getSystem(), clusterCfg.get());
        return serving(ctx, cfg, env, clusterCfg.get().sharedDir(), execRun, sandbox, router, readiness, true);
      });
    });
  }

  /** Creates the journal's tables if missing, retrying every few seconds until the database answers. */
  private static Behavior<Command> awaitingDatabase(ActorContext<Command> ctx, String jdbcUrl,
      java.util.function.Supplier<Behavior<Command>> then) {
    java.util.concurrent.Executor blocking = ctx.getSystem().dispatchers().lookup(
        akka.actor.typed.DispatcherSelector.fromConfig("partyclaw.blocking-dispatcher"));
    Runnable attempt = () -> ctx.pipeToSelf(CompletableFuture.runAsync(() -> {
      try {
        JournalSchema.ensure(jdbcUrl);
      } catch (java.sql.SQLException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, blocking), (ok, err) -> err == null ? new DatabaseReady() : new DatabaseFailed(JournalSchema.describe(err)));
    attempt.run();
    return Behaviors.receive(Command.class)
        .onMessage(DatabaseReady.class, r -> {
          ctx.getLog().info("journal database reached; its schema is in place");
          return then.get();
        })
        .onMessage(DatabaseFailed.class, f -> {
          ctx.getLog().error("journal database (cluster.postgres_url_env) cannot be used: {}; /ready stays 503, "
              + "trying again in {} s", f.reason(), DATABASE_RETRY.toSeconds());
          ctx.scheduleOnce(DATABASE_RETRY, ctx.getSelf(), new RetryDatabase());
          return Behaviors.same();
        })
        .onMessage(RetryDatabase.class, r -> {
          attempt.run();
          return Behaviors.same();
        })
        .build();
  }

  /**
   * The node at work: conversation sharding, the directory of unfinished conversations, the channels. {@code dataDir}
   * holds workspaces, uploads and snapshots: the workdir of a single node, the shared directory of a cluster.
   */
  private static Behavior<Command> serving(ActorContext<Command> ctx, PartyclawConfig cfg, Environment env,
      Path workdir, ExecRun execRun, SandboxPolicy sandbox, DeliveryRouter router, Readiness readiness,
      boolean clustered) {
    {
      ResourcesRegistry resources = new ResourcesRegistry();
      WebTooling web = WebTooling.create(WebSearchBackends.of(cfg, env));
      java.util.Map<String, Tool> tools = BuiltinTools.byName(execRun,
          MainAgentConfig.MEMORY_LAYERED.equals(cfg.mainAgent().memorySystem()), web,
          partyclaw.tools.dsl.DslModels.of(cfg, env), MediaToolings.of(cfg, env));
      // One writer per persistence id: in a cluster the index is a singleton, reached from every node.
      ActorRef<TopicSubscriptions.Command> topics = clustered
          ? ClusterSingleton.get(ctx.getSystem()).init(SingletonActor.of(TopicSubscriptions.create(), "topic-subscriptions"))
          : ctx.spawn(TopicSubscriptions.create(), "topic-subscriptions");
      AgentSlots subAgents = new AgentSlots(AgentTier.SUB_AGENT, Math.max(1, cfg.maxGlobalSubAgents()),
          "max_global_sub_agents", Math.max(1, cfg.maxGlobalSubAgents()));
      AgentSlots backgroundAgents = new AgentSlots(AgentTier.BACKGROUND, MAX_BACKGROUND_AGENTS, null,
          MAX_BACKGROUND_AGENTS_PER_CONVERSATION);
      partyclaw.actors.ModelCatalog catalog = ModelCatalogs.of(cfg, env);
      partyclaw.actors.model.ModelFallbacks.install(ctx.getSystem(), ModelCatalogs.fallbacks(cfg, catalog));
      ConversationRuntime runtime = new ConversationRuntime(
          new OpenAiChatClient(ctx.getSystem(), ModelCatalogs.traits(cfg)::get),
          catalog,
          tools,
          ConversationRuntime.specsOf(ToolTiers.foreground(tools)),
          workdir,
          ToolEnvironment.of(System.getenv(), cfg, env, execRun.id()),
          cfg.mainAgent().language(),
          router,
          resources,
          Duration.ofMinutes(2),
          new TurnPolicy(cfg.mainAgent().maxToolRoundtrips(),
              QueueMode.parse(cfg.mainAgent().queueMode()).orElse(QueueMode.STEER),
              Duration.ofMillis(cfg.mainAgent().debounceMs()), FOLLOW_UP_CAP, IMMEDIATE_TOOL_TIMEOUT,
              subAgentWallTime(cfg)),
          sandbox,
          operatorChannels(cfg),
          ContextPolicy.of(cfg.mainAgent()),
          subAgents,
          backgroundAgents,
          new ShardedReportRouter(ctx.getSystem(), topics));

      // Workspaces nobody changed for 30 days are archived (hidden from workspaces_list); using one revives it.
      ctx.getSystem().scheduler().scheduleAtFixedRate(Duration.ofMinutes(1), Duration.ofHours(24), () -> {
        try {
          List<String> archived = WorkspaceRegistry.shared(runtime.layout()).archiveUnused(Duration.ofDays(30), Set.of());
          if (!archived.isEmpty()) ARCHIVE_LOG.info("archived {} unused workspaces: {}", archived.size(), archived);
        } catch (RuntimeException e) {
          ARCHIVE_LOG.warn("archiving unused workspaces failed: {}", e.toString());
        }
      }, ctx.getSystem().dispatchers().lookup(
          akka.actor.typed.DispatcherSelector.fromConfig("partyclaw.blocking-dispatcher")));

      CoordinatedShutdown.get(ctx.getSystem()).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
          "close-conversation-resources", () -> {
            resources.close(); // pauses downloads: their .part files and records stay for the next start
            flushWorkspaceTouches(runtime);
            web.close();
            return CompletableFuture.completedFuture(Done.getInstance());
          });

      ActorRef<ActiveConversations.Command> directory = clustered
          ? ctx.spawn(ClusterActiveConversations.front(ctx.getSystem()), "active-conversations")
          : ctx.spawn(ActiveConversations.create(), "active-conversations");
      ConversationEntity.init(ctx.getSystem(), runtime, directory);
      wakeUnfinished(ctx, directory);
      if (clustered) {
        // A node that died left its conversations with unfinished work behind: wake them (sharding starts them
        // on a surviving node). Every node does it; a Wake to a running conversation changes nothing.
        Cluster.get(ctx.getSystem()).subscriptions().tell(akka.cluster.typed.Subscribe.create(
            ctx.messageAdapter(ClusterEvent.MemberRemoved.class, MemberGone::new), ClusterEvent.MemberRemoved.class));
      }
      resumeDownloads(ctx, web, workdir, resources);
      // partyclaw chat and partyclaw status reach this daemon through a socket in the workdir.
      partyclaw.app.console.Console.start(ctx, cfg, workdir, router, readiness, directory, subAgents,
          backgroundAgents, resources);
      if (clustered) warmTokenizers(ctx, cfg);

      List<ChannelConfig> channels = cfg.channels();
      int started = 0;
      for (ChannelConfig channel : channels) {
        if (channel instanceof CommandLineChannelConfig cli) {
          ctx.spawn(CommandLineChannel.create(cli.id(), cli.prompt(), System.in, System.out, router,
              ctx.messageAdapter(CommandLineChannel.Finished.class, ChannelFinished::new)), "channel-" + cli.id());
          started++;
        } else if (channel instanceof TelegramChannelConfig tg) {
          // ConfigLoader already refused a config without a token; an empty one here would only mean a bug.
          String token = env.resolve(tg.botToken(), tg.botTokenEnv()).orElseThrow(() -> new IllegalStateException(
              "telegram channel " + tg.id() + " requires bot_token or env " + tg.botTokenEnv()));
          spawnChannel(ctx, clustered, tg.id(), TelegramChannel.create(tg, token, router), router);
          started++;
        } else if (channel instanceof DingtalkChannelConfig dt) {
          // ConfigLoader already refused a config without these; a missing one here would only mean a bug.
          String clientId = env.resolve(dt.clientId(), dt.clientIdEnv()).orElseThrow(() -> new IllegalStateException(
              "dingtalk channel " + dt.id() + " requires client_id or env " + dt.clientIdEnv()));
          String clientSecret = env.resolve(dt.clientSecret(), dt.clientSecretEnv()).orElseThrow(() ->
              new IllegalStateException("dingtalk channel " + dt.id() + " requires client_secret or env "
                  + dt.clientSecretEnv()));
          spawnChannel(ctx, clustered, dt.id(), DingtalkChannel.create(dt, clientId, clientSecret, router), router);
          started++;
        } else if (channel instanceof DingtalkRobotChannelConfig robot) {
          String webhook = env.resolve(robot.webhookUrl(), robot.webhookUrlEnv()).orElseThrow(() ->
              new IllegalStateException("dingtalk_robot channel " + robot.id() + " requires webhook_url or env "
                  + robot.webhookUrlEnv()));
          DingtalkRobotChannel.Secrets secrets = new DingtalkRobotChannel.Secrets(webhook,
              robot.resolveAppKey(env).orElse(null), robot.resolveAppSecret(env).orElse(null));
          spawnChannel(ctx, clustered, robot.id(), DingtalkRobotChannel.create(robot, secrets, router, clustered),
              router);
          // In a cluster sending is the singleton's; callbacks are served by every node, whichever the platform calls.
          if (clustered) ctx.spawn(DingtalkRobotChannel.callbacks(robot, secrets), "robot-callbacks-" + robot.id());
          started++;
        } else if (channel instanceof WebChannelConfig webCfg) {
          java.util.Optional<String> token = webToken(webCfg, env);
          if (token.isEmpty()) {
            // spec 2.5: no token, no channel (an open web UI would hand the agent's tools to anyone who can connect)
            ctx.getLog().warn("web_channel_disabled_missing_auth: web channel {} is not started: set auth_token or"
                + " the environment variable {} to the bearer token clients must send", webCfg.id(),
                webCfg.authTokenEnv());
            continue;
          }
          ctx.spawn(WebChannel.create(webCfg, token.get(), router, workdir, cfg.availableModels(), clustered),
              "channel-" + webCfg.id(),
              akka.actor.typed.DispatcherSelector.fromConfig("partyclaw.channel-io-dispatcher"));
          started++;
        } else {
          ctx.getLog().error("channel '{}' of kind '{}' is not available in this build yet; it is skipped",
              channel.id(), channel.kind());
        }
      }
      if (started == 0) {
        System.err.println("partyclaw: none of the configured channels can run in this build; nothing to serve");
        CoordinatedShutdown.get(ctx.getSystem()).run(CoordinatedShutdown.unknownReason());
      }
      ctx.getLog().info("partyclaw started: workdir {}, {} channel(s), models {}", workdir, started,
          cfg.availableModels());
      int onlyChannels = started;
      return Behaviors.receive(Command.class)
          .onMessage(ChannelFinished.class, f -> {
            // stdin ended and everything pending is delivered: with no other channel there is nothing left to serve.
            if (onlyChannels == 1) CoordinatedShutdown.get(ctx.getSystem()).run(CoordinatedShutdown.unknownReason());
            return Behaviors.same();
          })
          .onMessage(Woken.class, w -> {
            readiness.journalRecovered();
            return Behaviors.same();
          })
          .onMessage(WakeFailed.class, f -> {
            ctx.scheduleOnce(Duration.ofSeconds(5), ctx.getSelf(), new RetryWake());
            return Behaviors.same();
          })
          .onMessage(RetryWake.class, r -> {
            wakeUnfinished(ctx, directory);
            return Behaviors.same();
          })
          .onMessage(MemberGone.class, g -> {
            ctx.getLog().info("cluster node {} left; waking the conversations with unfinished work",
                g.removed().member().address());
            wakeUnfinished(ctx, directory);
            return Behaviors.same();
          })
          .build();
    }
  }

  /**
   * A platform channel: on a single node a child; in a cluster a singleton (exactly one poller or stream per bot,
   * moved with its journaled offset when its node dies), reached from every node's router through its proxy.
   */
  private static void spawnChannel(ActorContext<Command> ctx, boolean clustered, String id,
      Behavior<ChannelMessage> channel, DeliveryRouter router) {
    if (!clustered) {
      ctx.spawn(channel, "channel-" + id);
      return;
    }
    ActorRef<ChannelMessage> proxy = ClusterSingleton.get(ctx.getSystem()).init(SingletonActor.of(
        Behaviors.supervise(channel).onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1),
            Duration.ofSeconds(30), 0.2)), "channel-" + id));
    router.register(id, proxy);
    // The cluster serves the channel wherever its singleton runs; this node's readiness does not wait for it.
    router.channelStarted(id);
  }

  /**
   * A node taking over a conversation from a dead one should not spend its first second loading a token encoding:
   * each configured model's encoding is loaded at start instead of at the first request.
   */
  private static void warmTokenizers(ActorContext<Command> ctx, PartyclawConfig cfg) {
    java.util.concurrent.Executor blocking = ctx.getSystem().dispatchers().lookup(
        akka.actor.typed.DispatcherSelector.fromConfig("partyclaw.blocking-dispatcher"));
    CompletableFuture.runAsync(() -> cfg.models().values().stream().map(m -> m.model()).distinct()
        .forEach(model -> partyclaw.core.tokens.TokenEstimator.forModel(model).textTokens("warm up")), blocking);
  }

  /** The web channel's token: the literal, else its environment variable; blank counts as none. */
  private static java.util.Optional<String> webToken(WebChannelConfig web, Environment env) {
    return web.resolveAuthToken(env).filter(t -> !t.isBlank());
  }

  /** Downloads a previous run left unfinished go on from their .part files (with Range where the server allows). */
  private static void resumeDownloads(ActorContext<Command> ctx, WebTooling web, Path workdir,
      ResourcesRegistry resources) {
    java.util.concurrent.Executor blocking = ctx.getSystem().dispatchers().lookup(
        akka.actor.typed.DispatcherSelector.fromConfig("partyclaw.blocking-dispatcher"));
    CompletableFuture.runAsync(() -> {
      int conversations = web.downloads().resumeUnfinished(new Workdir(workdir), resources::of);
      if (conversations > 0) DOWNLOAD_LOG.info("resumed unfinished downloads of {} conversation(s)", conversations);
    }, blocking);
  }

  private static void wakeUnfinished(ActorContext<Command> ctx, ActorRef<ActiveConversations.Command> directory) {
    ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
    var active = AskPattern.<ActiveConversations.Command, Set<String>>ask(directory,
        ActiveConversations.GetActive::new, Duration.ofSeconds(30), ctx.getSystem().scheduler());
    ctx.pipeToSelf(active, (ids, err) -> {
      if (ids == null) {
        ctx.getSystem().log().error("could not read the set of active conversations: {}; asking again in 5 s",
            String.valueOf(err));
        return new WakeFailed();
      }
      for (String id : ids) {
        sharding.entityRefFor(ConversationEntity.TYPE_KEY, id).tell(new ConversationEntity.Wake());
      }
      return new Woken(ids.size());
    });
  }
}
