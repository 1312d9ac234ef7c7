package partyclaw.actors.conversation;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.OfferedTools;
import partyclaw.actors.ModelCatalog;
import partyclaw.actors.agents.AgentLoop;
import partyclaw.actors.agents.AgentReport;
import partyclaw.actors.agents.AgentSlots;
import partyclaw.actors.agents.AgentTier;
import partyclaw.actors.agents.ToolTiers;
import partyclaw.actors.conversation.ConversationEntity.BackgroundAgentAdvanced;
import partyclaw.actors.conversation.ConversationEntity.BackgroundAgentFinished;
import partyclaw.actors.conversation.ConversationEntity.BackgroundAgentReported;
import partyclaw.actors.conversation.ConversationEntity.BackgroundAgentStarted;
import partyclaw.actors.conversation.ConversationEntity.BackgroundDelivery;
import partyclaw.actors.conversation.ConversationEntity.Command;
import partyclaw.actors.conversation.ConversationEntity.Event;
import partyclaw.actors.conversation.ConversationEntity.ManageBackgroundAgents;
import partyclaw.actors.tool.ToolActor;
import partyclaw.core.agents.AgentOwners;
import partyclaw.core.agents.ReportSink;
import partyclaw.core.json.Json;
import partyclaw.core.llm.ToolSpec;
import partyclaw.core.prompt.AgentKind;
import partyclaw.core.prompt.SystemPrompt;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.TurnProcesses;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Usage;
import partyclaw.core.util.Failures;

/**
 * The conversation's background agents (runtime.md §2.3, tools.md §4.4, with issue 18's departures): each an
 * {@link AgentLoop} child that outlives the turn that started it. Every round is journaled, so after a crash the
 * agent resumes from its last completed round instead of being lost (the reference's §9.27). Its report goes
 * through its {@link ReportSink}: resolved to conversations (topics through the node's subscriptions), then
 * delivered to each until that conversation confirms it journaled the report, retried across restarts; the report
 * id makes a repeated delivery a no-op, so each target gets it exactly once. Part of {@link ConversationEntity}.
 */
final class BackgroundAgentHandlers {
  static final Duration WALL_TIME = Duration.ofHours(2);
  /** A resumed agent gets at least this, however long the daemon was down. */
  static final Duration MIN_RESUMED_WALL_TIME = Duration.ofMinutes(5);
  static final Duration RETRY = Duration.ofSeconds(5);
  static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(15);
  static final String TASK_SUFFIX = "\n\nWork on this task on your own: nobody answers questions while you work."
      + " Your final answer is delivered to the conversation automatically; do not send it with user_tell. If it"
      + " turns out there is nothing worth reporting, call terminate.";

  private final String conversationId;
  private final ConversationRuntime rt;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final TurnRunner runner;
  private final ToolActor.Pools pools;
  private final Executor blocking;
  private final Supplier<EffectFactories<Event, ConversationState>> effects;
  private final Consumer<ConversationState> afterChange;
  private final Map<String, ActorRef<AgentLoop.Command>> running = new HashMap<>();
  private final Map<String, AgentSlots.Slot> slots = new HashMap<>();
  /** Deliveries (agent id + target) and resolutions (agent id) under way, so a retry never doubles one. */
  private final Set<String> inFlight = new HashSet<>();
  private final Map<String, Tool> tools;
  private final List<ToolSpec> toolSpecs;

  BackgroundAgentHandlers(String conversationId, ConversationRuntime rt, ActorContext<Command> ctx,
      TimerScheduler<Command> timers, TurnRunner runner, ToolActor.Pools pools, Executor blocking,
      Supplier<EffectFactories<Event, ConversationState>> effects, Consumer<ConversationState> afterChange) {
    this.conversationId = conversationId;
    this.rt = rt;
    this.ctx = ctx;
    this.timers = timers;
    this.runner = runner;
    this.pools = pools;
    this.blocking = blocking;
    this.effects = effects;
    this.afterChange = afterChange;
    this.tools = ToolTiers.of(AgentTier.BACKGROUND, rt.tools());
    this.toolSpecs = ToolTiers.specs(AgentTier.BACKGROUND, rt.tools());
  }

  // ---- starting ----

  /** A background agent ready to start once {@link #started} is journaled; it holds a slot. */
  record Launch(BackgroundAgentStarted started, ModelCatalog.Entry model, AgentSlots.Slot slot) {}

  /**
   * Checks and reserves what a new agent needs: its model, its sink, a slot. Throws {@link IllegalArgumentException}
   * with the reason for the model (or the cron task's record) when it cannot start.
   */
  Launch prepare(ConversationState s, String task, String modelKey, JsonNode sink, String origin) {
    if (task == null || task.isBlank()) throw new IllegalArgumentException("task must not be empty");
    ModelCatalog.Entry model = (modelKey == null ? rt.models().resolve(s.settings().modelAlias())
        : rt.models().available().contains(modelKey) ? Optional.ofNullable(rt.models().models().get(modelKey))
        : Optional.<ModelCatalog.Entry>empty()).orElseThrow(() -> new IllegalArgumentException(modelKey == null
        ? "no model is configured" : "unknown model " + modelKey + "; available: "
        + String.join(", ", rt.models().available())));
    ReportSink parsed = ReportSink.parse(sink, conversationId, rt.isOperator(conversationId));
    AgentSlots.Admission admission = rt.backgroundSlots().tryAcquire(conversationId);
    if (admission instanceof AgentSlots.Refused refused) throw new IllegalArgumentException(refused.reason());
    String id = "background-" + UUID.randomUUID().toString().substring(0, 8);
    BackgroundAgentStarted started = new BackgroundAgentStarted(id, task.strip(), model.alias(), parsed, origin,
        List.of(ChatMessage.user(task.strip() + TASK_SUFFIX)), Instant.now());
    return new Launch(started, model, ((AgentSlots.Granted) admission).slot());
  }

  /** Runs once the launch is journaled. */
  void launched(ConversationState s, Launch launch) {
    s.background().find(launch.started().agentId())
        .ifPresent(r -> spawn(s, r, launch.model(), launch.slot(), WALL_TIME));
  }

  ReplyEffect<Event, ConversationState> onManage(ConversationState s, ManageBackgroundAgents c) {
    ActorRef<StatusReply<JsonNode>> replyTo = c.replyTo();
    try {
      if (c.op() instanceof ManageBackgroundAgents.Start start) {
        Launch launch = prepare(s, start.task(), start.model(), start.sink(), start.origin());
        JsonNode result = Json.object().put("agent_id", launch.started().agentId())
            .put("parent_agent_id", conversationId).put("model", launch.model().alias())
            .put("delivery", launch.started().sink().describe(conversationId));
        return effects.get().persist(launch.started())
            .thenRun(st -> launched(st, launch))
            .thenRun(afterChange::accept)
            .thenReply(replyTo, st -> StatusReply.success(result));
      }
      if (c.op() instanceof ManageBackgroundAgents.Terminate t) return terminate(s, t.agentId(), replyTo);
      if (c.op() instanceof ManageBackgroundAgents.ListAll) {
        ArrayNode all = Json.array();
        s.background().agents().forEach(r -> all.add(describe(r)));
        return effects.get().reply(replyTo, StatusReply.success(all));
      }
      String id = ((ManageBackgroundAgents.Describe) c.op()).agentId();
      BackgroundAgentRecord r = find(s, id, "agent " + id + " not found");
      return effects.get().reply(replyTo, StatusReply.success(describe(r)));
    } catch (IllegalArgumentException e) {
      return effects.get().reply(replyTo, StatusReply.error(e.getMessage()));
    }
  }

  private void spawn(ConversationState s, BackgroundAgentRecord r, ModelCatalog.Entry model, AgentSlots.Slot slot,
      Duration wallTime) {
    String prompt = SystemPrompt.build(new SystemPrompt.Inputs(AgentKind.MAIN_BACKGROUND,
        runner.workspacePath(s).toString(), rt.language(), model.alias(), model.description(), List.of(), null, null,
        null, null, null, null, null, rt.context().globalInstallRoot())).text();
    AgentLoop.Spec spec = new AgentLoop.Spec(r.id(), AgentTier.BACKGROUND, prompt, r.transcript(),
        new AgentLoop.Progress(r.rounds(), r.usage()), model, s.settings().reasoningEffort(), tools,
        OfferedTools.specs(tools, toolSpecs, model.alias()),
        new AgentLoop.Bounds(rt.turns().maxToolRounds(), model.contextWindowTokens(), wallTime),
        runner.toolContexts(s, AgentOwners.background(r.id())), rt.chat(), pools);
    slots.put(r.id(), slot);
    ActorRef<AgentLoop.Command> child =
        ctx.spawnAnonymous(AgentLoop.create(spec, ctx.getSelf(), BackgroundAgentReported::new));
    running.put(r.id(), child);
    // A loop that dies without its Finished report (a defect) is recorded as failed instead of running forever.
    ctx.watchWith(child, new BackgroundAgentReported(new AgentLoop.Finished(r.id(), AgentLoop.Outcome.FAILED,
        "the background agent stopped unexpectedly; see the log", r.rounds(), r.usage())));
  }

  /**
   * After recovery: running agents resume from their journaled rounds, reports on their way go on. Agents whose
   * model is gone from the config fail with that reason.
   */
  ReplyEffect<Event, ConversationState> onResume(ConversationState s) {
    List<Event> failed = new ArrayList<>();
    for (BackgroundAgentRecord r : s.background().agents()) {
      if (!r.running() || running.containsKey(r.id())) continue;
      Optional<ModelCatalog.Entry> model = Optional.ofNullable(rt.models().models().get(r.model()));
      AgentSlots.Admission admission = model.isEmpty() ? null : rt.backgroundSlots().tryAcquire(conversationId);
      if (admission instanceof AgentSlots.Granted granted) {
        Duration left = WALL_TIME.minus(Duration.between(r.createdAt(), Instant.now()));
        spawn(s, r, model.get(), granted.slot(), left.compareTo(MIN_RESUMED_WALL_TIME) < 0
            ? MIN_RESUMED_WALL_TIME : left);
        ctx.getLog().info("conversation {}: background agent {} resumes after round {}", conversationId, r.id(),
            r.rounds());
      } else {
        String why = model.isEmpty() ? "its model " + r.model() + " is no longer configured"
            : ((AgentSlots.Refused) admission).reason();
        failed.add(new BackgroundAgentFinished(r.id(), "failed", "could not resume after a restart: " + why,
            r.rounds(), r.usage(), Instant.now()));
      }
    }
    return effects.get().persist(failed)
        .thenRun(st -> st.background().agents().stream().filter(BackgroundAgentRecord::reportPending)
            .forEach(r -> address(st, r)))
        .thenRun(afterChange::accept).thenNoReply();
  }

  // ---- the agent's reports ----

  ReplyEffect<Event, ConversationState> onReported(ConversationState s, BackgroundAgentReported c) {
    Optional<BackgroundAgentRecord> r = s.background().find(c.report().agentId());
    if (r.isEmpty() || !r.get().running()) {
      if (c.report() instanceof AgentLoop.Finished) return effects.get().none().thenRun(st -> ended(c.report().agentId()))
          .thenNoReply();
      return effects.get().noReply();
    }
    if (c.report() instanceof AgentLoop.RoundCompleted round) {
      return effects.get().persist(new BackgroundAgentAdvanced(round.agentId(), round.round(), round.appended(),
          round.usage())).thenNoReply();
    }
    AgentLoop.Finished f = (AgentLoop.Finished) c.report();
    String state = f.outcome().name().toLowerCase(Locale.ROOT);
    Instant now = Instant.now();
    List<Event> events = new ArrayList<>();
    events.add(new BackgroundAgentFinished(f.agentId(), state, f.text(), f.rounds(), f.usage(), now));
    CronHandlers.agentFinished(s, r.get().origin(), f.agentId(), state, now).ifPresent(events::add);
    return effects.get().persist(events)
        .thenRun(st -> {
          ended(f.agentId());
          st.background().find(f.agentId()).filter(BackgroundAgentRecord::reportPending).ifPresent(a -> address(st, a));
        })
        .thenRun(afterChange::accept).thenNoReply();
  }

  /** {@code terminate}, from the agent itself: it ends now and reports nothing. */
  private ReplyEffect<Event, ConversationState> terminate(ConversationState s, String agentId,
      ActorRef<StatusReply<JsonNode>> replyTo) {
    BackgroundAgentRecord r = find(s, agentId, "background agent " + agentId + " not found");
    if (!r.running()) throw new IllegalArgumentException("background agent " + agentId + " is not running");
    JsonNode result = Json.object().put("terminated", true)
        .put("instruction", "Stop now without sending a final answer.");
    List<Event> events = new ArrayList<>();
    events.add(new BackgroundAgentFinished(agentId, BackgroundAgentRecord.TERMINATED,
        "terminated itself without a report", r.rounds(), r.usage(), Instant.now()));
    CronHandlers.agentFinished(s, r.origin(), agentId, BackgroundAgentRecord.TERMINATED, Instant.now())
        .ifPresent(events::add);
    return effects.get().persist(events)
        // Stopped at once: the loop must not ask the model again, and nobody reads the tool's answer any more.
        .thenRun(st -> cancel(agentId, "terminated by the agent"))
        .thenRun(afterChange::accept)
        .thenReply(replyTo, st -> StatusReply.success(result));
  }

  /**
   * {@code /background stop} (or the conversation's end, {@code reason} saying which): the agents are recorded as
   * ended without a report; returns their ids, for {@link #cancel} once journaled.
   */
  List<String> stop(PendingEvents pending, String agentId, String reason) {
    List<BackgroundAgentRecord> targets = pending.state().background().agents().stream()
        .filter(BackgroundAgentRecord::running).filter(r -> agentId == null || r.id().equals(agentId)).toList();
    for (BackgroundAgentRecord r : targets) {
      pending.add(new BackgroundAgentFinished(r.id(), BackgroundAgentRecord.TERMINATED, reason, r.rounds(),
          r.usage(), Instant.now()));
      CronHandlers.agentFinished(pending.state(), r.origin(), r.id(), BackgroundAgentRecord.TERMINATED, Instant.now())
          .ifPresent(pending::add);
    }
    return targets.stream().map(BackgroundAgentRecord::id).toList();
  }

  void cancel(String agentId, String reason) {
    ActorRef<AgentLoop.Command> child = running.get(agentId);
    if (child != null) child.tell(new AgentLoop.Cancel(reason));
    ended(agentId);
  }

  /** The child is gone: its slot is free, and processes it started are killed. */
  private void ended(String agentId) {
    ActorRef<AgentLoop.Command> child = running.remove(agentId);
    if (child != null) ctx.unwatch(child);
    AgentSlots.Slot slot = slots.remove(agentId);
    if (slot != null) slot.release();
    rt.resources().of(conversationId).find(TurnProcesses.class)
        .ifPresent(p -> blocking.execute(() -> p.killStartedBy(AgentOwners.background(agentId))));
  }

  // ---- delivery ----

  ReplyEffect<Event, ConversationState> onDelivery(ConversationState s, BackgroundDelivery c) {
    BackgroundDelivery.Step step = c.step();
    if (step instanceof BackgroundDelivery.Retry) {
      return effects.get().none().thenRun(st -> st.background().agents().stream()
          .filter(BackgroundAgentRecord::reportPending).forEach(r -> address(st, r))).thenNoReply();
    }
    if (step instanceof BackgroundDelivery.TargetsResolved resolved) {
      inFlight.remove(resolved.agentId());
      Optional<BackgroundAgentRecord> r = s.background().find(resolved.agentId());
      if (r.isEmpty() || r.get().pendingTargets() != null) return effects.get().noReply();
      if (resolved.error() != null) return retryLater("resolving the report's topics", resolved.error());
      List<String> targets = resolved.conversations();
      if (targets.isEmpty()) {
        // Nobody subscribed to the topic: the report is not thrown away, it comes home with a note.
        ctx.getLog().warn("conversation {}: no conversation subscribed to {}; background agent {} reports here",
            conversationId, r.get().sink().topics(), resolved.agentId());
        targets = List.of(conversationId);
      }
      return effects.get().persist(new ConversationEntity.BackgroundReportAddressed(resolved.agentId(), targets))
          .thenRun(st -> st.background().find(resolved.agentId()).ifPresent(a -> address(st, a)))
          .thenRun(afterChange::accept).thenNoReply();
    }
    BackgroundDelivery.Answered answered = (BackgroundDelivery.Answered) step;
    inFlight.remove(answered.agentId() + " " + answered.conversationId());
    if (answered.error() != null) {
      return retryLater("delivering the report of " + answered.agentId() + " to " + answered.conversationId(),
          answered.error());
    }
    return effects.get().persist(new ConversationEntity.BackgroundReportDelivered(answered.agentId(),
        answered.conversationId())).thenRun(afterChange::accept).thenNoReply();
  }

  private ReplyEffect<Event, ConversationState> retryLater(String what, String error) {
    ctx.getLog().warn("conversation {}: {} failed ({}); retrying in {} s", conversationId, what, error,
        RETRY.toSeconds());
    return effects.get().none().thenRun(st -> timers.startSingleTimer(BackgroundDelivery.Retry.class,
        new BackgroundDelivery(new BackgroundDelivery.Retry()), RETRY)).thenNoReply();
  }

  /** Resolves the report's targets, or sends it to each target still waiting for it. */
  private void address(ConversationState s, BackgroundAgentRecord r) {
    if (r.pendingTargets() == null) {
      if (!inFlight.add(r.id())) return;
      List<String> topics = r.sink().topics();
      Set<String> direct = new LinkedHashSet<>(r.sink().conversations());
      List<CompletableFuture<Set<String>>> lookups = topics.stream()
          .map(t -> rt.reports().subscribers(t).toCompletableFuture()).toList();
      ctx.pipeToSelf(CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)), (ok, error) -> {
        if (error != null) return resolved(r.id(), List.of(), Failures.rootMessage(error));
        Set<String> all = new LinkedHashSet<>(direct);
        lookups.forEach(l -> all.addAll(l.join()));
        return resolved(r.id(), new ArrayList<>(all), null);
      });
      return;
    }
    for (String target : r.pendingTargets()) {
      if (!inFlight.add(r.id() + " " + target)) continue;
      AgentReport report = report(r, target);
      if (target.equals(conversationId)) {
        ctx.askWithStatus(Done.class, ctx.getSelf(), DELIVERY_TIMEOUT,
            replyTo -> new ConversationEntity.ReceiveAgentReport(report, replyTo),
            (done, error) -> answered(r.id(), target, error));
      } else {
        ctx.pipeToSelf(rt.reports().deliver(target, report), (done, error) -> answered(r.id(), target, error));
      }
    }
  }

  private AgentReport report(BackgroundAgentRecord r, String target) {
    String topic = r.sink().conversations().contains(target) || r.sink().topics().isEmpty() ? null
        : String.join(",", r.sink().topics());
    String text = r.text() == null || r.text().isBlank() ? "(no answer)" : r.text();
    return new AgentReport(conversationId + "/" + r.id(), conversationId, r.id(), r.task(), r.state(), text, topic,
        r.finishedAt());
  }

  private static BackgroundDelivery resolved(String agentId, List<String> conversations, String error) {
    return new BackgroundDelivery(new BackgroundDelivery.TargetsResolved(agentId, conversations, error));
  }

  private static BackgroundDelivery answered(String agentId, String target, Throwable error) {
    return new BackgroundDelivery(new BackgroundDelivery.Answered(agentId, target,
        error == null ? null : Failures.rootMessage(error)));
  }

  // ---- views ----

  JsonNode describe(BackgroundAgentRecord r) {
    ObjectNode o = Json.object();
    o.put("id", r.id()).put("kind", "background").put("parent_agent_id", conversationId)
        .put("session_id", conversationId).put("channel_id", channelOf(conversationId)).put("model_key", r.model())
        .put("state", r.state()).put("task", r.task()).put("origin", r.origin())
        .put("delivery", r.sink().describe(conversationId)).put("created_at", String.valueOf(r.createdAt()))
        .put("started_at", String.valueOf(r.createdAt()))
        .put("finished_at", r.finishedAt() == null ? null : r.finishedAt().toString()).put("rounds", r.rounds());
    if (!r.running() && !"completed".equals(r.state())) o.put("error", r.text());
    ArrayNode delivered = o.putArray("delivered_to");
    r.deliveredTo().forEach(delivered::add);
    if (r.pendingTargets() != null && !r.pendingTargets().isEmpty()) {
      ArrayNode pending = o.putArray("pending_delivery");
      r.pendingTargets().forEach(pending::add);
    }
    o.set("usage", usage(r.usage()));
    return o;
  }

  static ObjectNode usage(Usage u) {
    ObjectNode o = Json.object();
    o.put("llm_calls", u.llmCalls()).put("prompt_tokens", u.promptTokens())
        .put("completion_tokens", u.completionTokens()).put("total_tokens", u.promptTokens() + u.completionTokens())
        .put("cache_hit_tokens", u.cachedTokens()).put("cache_miss_tokens", u.promptTokens() - u.cachedTokens());
    return o;
  }

  private static String channelOf(String conversationId) {
    int colon = conversationId.indexOf(':');
    return colon < 0 ? conversationId : conversationId.substring(0, colon);
  }

  private static BackgroundAgentRecord find(ConversationState s, String id, String notFound) {
    return s.background().find(id).orElseThrow(() -> new IllegalArgumentException(notFound));
  }

  int runningCount() {
    return running.size();
  }
}
