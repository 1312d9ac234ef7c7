package partyclaw.actors.conversation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.ModelCatalog;
import partyclaw.actors.ResourcesRegistry;
import partyclaw.actors.SandboxPolicy;
import partyclaw.actors.directory.ActiveConversations;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryRouter;
import partyclaw.core.llm.LlmEndpoint;
import partyclaw.core.llm.RetryPolicy;
import partyclaw.core.tool.Tool;
import partyclaw.core.config.MainAgentConfig;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.workdir.Workdir;
import partyclaw.core.workdir.WorkdirSeeder;

/**
 * One conversation entity under {@link EventSourcedBehaviorTestKit} with a scripted model, the test tools, two
 * models ({@code main}, {@code other}) and a probe as its channel.
 */
final class EntityFixture {
  final ActorTestKit testKit;
  final String id;
  final ResourcesRegistry resources = new ResourcesRegistry();
  final ScriptedChatClient chat = new ScriptedChatClient();
  final TestTools testTools = new TestTools();
  final RecordingReportRouter reports = new RecordingReportRouter();
  final TestProbe<ChannelMessage> channel;
  final ConversationRuntime rt;
  final ActorRef<ActiveConversations.Command> directory;
  final List<ChannelMessage> activities = new CopyOnWriteArrayList<>();
  final EventSourcedBehaviorTestKit<ConversationEntity.Command, ConversationEntity.Event, ConversationState> entity;
  private int messageNo;

  EntityFixture(ActorTestKit testKit, Path workdir, int maxToolRounds) {
    this(testKit, workdir, maxToolRounds, Duration.ofMinutes(10), "cli");
  }

  /** {@code channelId} "cli" is an operator channel, any other is not. */
  EntityFixture(ActorTestKit testKit, Path workdir, int maxToolRounds, Duration immediateToolTimeout,
      String channelId) {
    this(testKit, workdir, maxToolRounds, immediateToolTimeout, channelId, 128_000, MainAgentConfig.defaults(),
        Duration.ofMinutes(5), SandboxPolicy.subprocessOnly());
  }

  /** A conversation whose models have a {@code windowTokens} context window, under {@code mainAgent}'s policy. */
  EntityFixture(ActorTestKit testKit, Path workdir, long windowTokens, MainAgentConfig mainAgent, Duration cacheTtl) {
    this(testKit, workdir, 20, Duration.ofMinutes(10), "cli", windowTokens, mainAgent, cacheTtl,
        SandboxPolicy.subprocessOnly());
  }

  EntityFixture(ActorTestKit testKit, Path workdir, int maxToolRounds, Duration immediateToolTimeout,
      String channelId, long windowTokens, MainAgentConfig mainAgent, Duration cacheTtl, SandboxPolicy sandbox) {
    this(testKit, workdir, maxToolRounds, immediateToolTimeout, channelId, windowTokens, mainAgent, cacheTtl, sandbox,
        "en");
  }

  /** {@code language}: the replies' language ({@code main_agent.language}). */
  EntityFixture(ActorTestKit testKit, Path workdir, int maxToolRounds, Duration immediateToolTimeout,
      String channelId, long windowTokens, MainAgentConfig mainAgent, Duration cacheTtl, SandboxPolicy sandbox,
      String language) {
    this.testKit = testKit;
    try {
      WorkdirSeeder.seed(new Workdir(workdir));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    this.id = channelId + ":t-" + System.nanoTime();
    channel = testKit.createTestProbe(ChannelMessage.class);
    DeliveryRouter router = new DeliveryRouter();
    router.register(channelId, channel.ref());
    Map<String, Tool> tools = new java.util.TreeMap<>(Map.of("echo", testTools.ECHO, "wait", testTools.WAIT,
        "slow", testTools.SLOW, "sleep1", testTools.SLEEP1, "update_plan", new partyclaw.tools.plan.UpdatePlanTool(),
        "subagent_start", new partyclaw.tools.agents.SubagentStartTool(),
        "subagent_join", new partyclaw.tools.agents.SubagentJoinTool(),
        "subagent_kill", new partyclaw.tools.agents.SubagentKillTool()));
    tools.putAll(Map.of("start_background_agent", new partyclaw.tools.agents.StartBackgroundAgentTool(),
        "terminate", new partyclaw.tools.agents.TerminateTool(),
        "background_agents_list", new partyclaw.tools.agents.BackgroundAgentsListTool(),
        "get_agent_stats", new partyclaw.tools.agents.GetAgentStatsTool()));
    ModelCatalog models = new ModelCatalog(Map.of("main", model("main", "gpt-4o", windowTokens, cacheTtl),
        "other", model("other", "gpt-4o-mini", windowTokens, cacheTtl),
        "small", model("small", "gpt-4o-mini", 16_384, cacheTtl)),
        List.of("main", "other", "small"), "main");
    rt = new ConversationRuntime(chat, models, tools,
        ConversationRuntime.specsOf(partyclaw.actors.agents.ToolTiers.foreground(tools)), workdir,
        Map.of(), language, router, resources, Duration.ofMinutes(2),
        new TurnPolicy(maxToolRounds, QueueMode.STEER, Duration.ofMillis(300), 50, immediateToolTimeout),
        sandbox, java.util.Set.of("cli"),
        partyclaw.actors.context.ContextPolicy.of(mainAgent),
        new partyclaw.actors.agents.AgentSlots(partyclaw.actors.agents.AgentTier.SUB_AGENT, 4,
            "max_global_sub_agents", 4),
        new partyclaw.actors.agents.AgentSlots(partyclaw.actors.agents.AgentTier.BACKGROUND, 4, null, 2),
        reports);
    directory = testKit.spawn(ActiveConversations.create());
    entity = EventSourcedBehaviorTestKit.create(testKit.system(), ConversationEntity.create(id, rt, directory, null));
  }

  private static ModelCatalog.Entry model(String alias, String upstream, long windowTokens, Duration cacheTtl) {
    return new ModelCatalog.Entry(alias, new LlmEndpoint(alias, "http://127.0.0.1:1/v1/chat/completions", upstream,
        null, Map.of(), Duration.ofSeconds(30), RetryPolicy.NONE, null), "", windowTokens, cacheTtl);
  }

  /** The ids the directory holds as active now. */
  java.util.Set<String> activeConversations() {
    TestProbe<java.util.Set<String>> probe = testKit.createTestProbe();
    directory.tell(new ActiveConversations.GetActive(probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(5));
  }

  TestProbe<StatusReply<ConversationEntity.Accepted>> submit(String messageId, String text) {
    TestProbe<StatusReply<ConversationEntity.Accepted>> ack = testKit.createTestProbe();
    entity.runCommand(new ConversationEntity.SubmitUserMessage(messageId, "u1", "User", text, ack.ref()));
    return ack;
  }

  /** Submits {@code text} under a fresh message id and waits for the acknowledgement. */
  void send(String text) {
    assertTrue(submit("m" + (++messageNo), text).receiveMessage(Duration.ofSeconds(5)).isSuccess());
  }

  /** The next outbox delivery (turn activity is collected on the side); not confirmed. */
  Deliver expectDelivery(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      ChannelMessage m = channel.receiveMessage(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (m instanceof Deliver d) return d;
      activities.add(m);
    }
  }

  Deliver expectDelivery() {
    return expectDelivery(Duration.ofSeconds(15));
  }

  /** The next delivery, confirmed as a channel would. */
  Deliver nextDelivery() {
    return nextDelivery(Duration.ofSeconds(15));
  }

  Deliver nextDelivery(Duration within) {
    Deliver d = expectDelivery(within);
    d.reportTo().tell(new partyclaw.actors.outbox.DeliveryReport.Delivered(d.outboundId()));
    return d;
  }

  ConversationState await(String what, Predicate<ConversationState> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      ConversationState s = entity.getState();
      if (condition.test(s)) return s;
      if (System.nanoTime() > deadline) throw new AssertionError(what + " not reached: " + s);
      sleep(10);
    }
  }

  void awaitRequests(int n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (chat.requests.size() < n) {
      if (System.nanoTime() > deadline) throw new AssertionError("only " + chat.requests.size() + " model requests");
      sleep(10);
    }
  }

  boolean toolRunning(ConversationState s) {
    return s.turn() != null && !s.turn().awaitingModel();
  }

  /** The content of the last tool result the model was sent. */
  String lastToolResult() {
    List<ChatMessage> sent = chat.lastMessages();
    for (int i = sent.size() - 1; i >= 0; i--) {
      if (sent.get(i).role() == partyclaw.core.transcript.Role.TOOL) return sent.get(i).content();
    }
    throw new AssertionError("no tool result in the last request: " + sent);
  }

    List<ChatMessage> request(int index) {
    return chat.requests.get(index).messages();
  }

  List<Object> events() {
    return PersistenceTestKit.create(testKit.system()).persistedInStorage("conversation|" + id);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
