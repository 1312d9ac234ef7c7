package partyclaw.actors.conversation;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.OfferedTools;
import partyclaw.actors.ModelCatalog;
import partyclaw.actors.agents.AgentLoop;
import partyclaw.actors.agents.AgentSlots;
import partyclaw.actors.agents.AgentTier;
import partyclaw.actors.agents.ToolTiers;
import partyclaw.actors.conversation.ConversationEntity.Command;
import partyclaw.actors.conversation.ConversationEntity.Event;
import partyclaw.actors.conversation.ConversationEntity.SubAgentFinished;
import partyclaw.actors.tool.ToolActor;
import partyclaw.core.json.Json;
import partyclaw.core.llm.ToolSpec;
import partyclaw.core.prompt.AgentKind;
import partyclaw.core.prompt.SystemPrompt;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.TurnProcesses;
import partyclaw.core.transcript.ChatMessage;

/**
 * The conversation's sub-agents (runtime.md §2.2, tools.md §4.4): each an {@link AgentLoop} child with the built-in
 * tools (no host tools, no nested agents), in the conversation's workspace and sandbox, running as many rounds as
 * its task needs within its bounds. Started and finished are journaled; a sub-agent that was running when the
 * daemon died is recorded as failed on recovery (it is not resumed). Part of {@link ConversationEntity}.
 */
final class SubAgentHandlers {
  static final String TASK_SUFFIX = "\n\nStay within this task. When you are done, answer with a concise summary: what"
      + " you did, what you found, and which files you changed.";

  private final String conversationId;
  private final ConversationRuntime rt;
  private final ActorContext<Command> ctx;
  private final TurnRunner runner;
  private final ToolActor.Pools pools;
  private final Executor blocking;
  private final Supplier<EffectFactories<Event, ConversationState>> effects;
  private final Consumer<ConversationState> afterChange;
  private final Map<String, ActorRef<AgentLoop.Command>> running = new HashMap<>();
  private final Map<String, AgentSlots.Slot> slots = new HashMap<>();
  private final Map<String, List<ActorRef<StatusReply<SubAgentRecord>>>> waiters = new HashMap<>();
  private final Map<String, Tool> tools;
  private final List<ToolSpec> toolSpecs;

  SubAgentHandlers(String conversationId, ConversationRuntime rt, ActorContext<Command> ctx, TurnRunner runner,
      ToolActor.Pools pools, Executor blocking, Supplier<EffectFactories<Event, ConversationState>> effects,
      Consumer<ConversationState> afterChange) {
    this.conversationId = conversationId;
    this.rt = rt;
    this.ctx = ctx;
    this.runner = runner;
    this.pools = pools;
    this.blocking = blocking;
    this.effects = effects;
    this.afterChange = afterChange;
    this.tools = ToolTiers.of(AgentTier.SUB_AGENT, rt.tools());
    this.toolSpecs = ToolTiers.specs(AgentTier.SUB_AGENT, rt.tools());
  }

  ReplyEffect<Event, ConversationState> onStart(ConversationState s, ConversationEntity.StartSubAgent c) {
    Optional<ModelCatalog.Entry> model = c.model() == null ? rt.models().resolve(s.settings().modelAlias())
        : rt.models().available().contains(c.model()) ? Optional.ofNullable(rt.models().models().get(c.model()))
        : Optional.empty();
    if (model.isEmpty()) {
      return effects.get().reply(c.replyTo(), StatusReply.error(c.model() == null ? "no model is configured"
          : "unknown model " + c.model() + "; available: " + String.join(", ", rt.models().available())));
    }
    AgentSlots.Admission admission = rt.subAgentSlots().tryAcquire(conversationId);
    if (admission instanceof AgentSlots.Refused refused) {
      return effects.get().reply(c.replyTo(), StatusReply.error(refused.reason()));
    }
    AgentSlots.Slot slot = ((AgentSlots.Granted) admission).slot();
    String id = "subagent-" + UUID.randomUUID().toString().substring(0, 8);
    ModelCatalog.Entry m = model.get();
    JsonNode started = Json.object().put("agent_id", id).put("model", m.alias()).put("description", c.description())
        .put("timeout_seconds", rt.turns().subAgentWallTime().toSeconds());
    return effects.get().persist(new ConversationEntity.SubAgentStarted(id, c.description(), m.alias(), Instant.now()))
        .thenRun(st -> spawn(st, id, c.description(), m, slot))
        .thenRun(afterChange::accept)
        .thenReply(c.replyTo(), st -> StatusReply.success(started));
  }

  private void spawn(ConversationState s, String id, String description, ModelCatalog.Entry model,
      AgentSlots.Slot slot) {
    String prompt = SystemPrompt.build(new SystemPrompt.Inputs(AgentKind.SUB_AGENT,
        runner.workspacePath(s).toString(), rt.language(), model.alias(), model.description(), List.of(), null, null,
        null, null, null, null, null, rt.context().globalInstallRoot())).text();
    AgentLoop.Spec spec = new AgentLoop.Spec(id, AgentTier.SUB_AGENT, prompt,
        List.of(ChatMessage.user(description + TASK_SUFFIX)), AgentLoop.Progress.NONE, model,
        s.settings().reasoningEffort(), tools, OfferedTools.specs(tools, toolSpecs, model.alias()),
        new AgentLoop.Bounds(rt.turns().maxToolRounds(), model.contextWindowTokens(), rt.turns().subAgentWallTime()),
        runner.toolContexts(s, ownerId(id)), rt.chat(), pools);
    slots.put(id, slot);
    ActorRef<AgentLoop.Command> child =
        ctx.spawnAnonymous(AgentLoop.create(spec, ctx.getSelf(), ConversationEntity.SubAgentReported::new));
    running.put(id, child);
    // A loop that dies without its Finished report (a defect) is recorded as failed instead of running forever.
    ctx.watchWith(child, new ConversationEntity.SubAgentReported(new AgentLoop.Finished(id, AgentLoop.Outcome.FAILED,
        "the sub-agent stopped unexpectedly; see the log", 0, partyclaw.core.transcript.Usage.ZERO)));
  }

  private static String ownerId(String agentId) {
    return partyclaw.core.agents.AgentOwners.subAgent(agentId);
  }

  ReplyEffect<Event, ConversationState> onReported(ConversationState s, ConversationEntity.SubAgentReported c) {
    if (!(c.report() instanceof AgentLoop.Finished f)) return effects.get().noReply();
    Optional<SubAgentRecord> r = find(s, f.agentId());
    if (r.isEmpty() || !r.get().running()) return effects.get().none().thenRun(st -> ended(f.agentId())).thenNoReply();
    return finish(new SubAgentFinished(f.agentId(), f.outcome().name().toLowerCase(Locale.ROOT), f.text(),
        f.rounds(), f.usage(), Instant.now()));
  }

  private ReplyEffect<Event, ConversationState> finish(SubAgentFinished event) {
    return effects.get().persist(event)
        .thenRun(st -> {
          ended(event.agentId());
          SubAgentRecord record = find(st, event.agentId()).orElseThrow();
          waiters.getOrDefault(event.agentId(), List.of()).forEach(w -> w.tell(StatusReply.success(record)));
          waiters.remove(event.agentId());
        })
        .thenRun(afterChange::accept).thenNoReply();
  }

  /** The child is gone: its slot is free, and processes it started are killed. */
  private void ended(String agentId) {
    running.remove(agentId);
    AgentSlots.Slot slot = slots.remove(agentId);
    if (slot != null) slot.release();
    rt.resources().of(conversationId).find(TurnProcesses.class)
        .ifPresent(p -> blocking.execute(() -> p.killStartedBy(ownerId(agentId))));
  }

  ReplyEffect<Event, ConversationState> onAwait(ConversationState s, ConversationEntity.AwaitSubAgent c) {
    Optional<SubAgentRecord> r = find(s, c.agentId());
    if (r.isEmpty()) return effects.get().reply(c.replyTo(), StatusReply.error("unknown subagent " + c.agentId()));
    if (!r.get().running()) return effects.get().reply(c.replyTo(), StatusReply.success(r.get()));
    return effects.get().none()
        .thenRun(st -> waiters.computeIfAbsent(c.agentId(), k -> new ArrayList<>()).add(c.replyTo()))
        .thenNoReply();
  }

  ReplyEffect<Event, ConversationState> onForget(ConversationState s, ConversationEntity.ForgetSubAgent c) {
    Optional<SubAgentRecord> r = find(s, c.agentId());
    if (r.isEmpty() || r.get().running()) return effects.get().reply(c.replyTo(), StatusReply.success(false));
    return effects.get().persist(new ConversationEntity.SubAgentForgotten(c.agentId()))
        .thenReply(c.replyTo(), st -> StatusReply.success(true));
  }

  ReplyEffect<Event, ConversationState> onKill(ConversationState s, ConversationEntity.KillSubAgent c) {
    Optional<SubAgentRecord> r = find(s, c.agentId());
    if (r.isEmpty()) return effects.get().reply(c.replyTo(), StatusReply.error("unknown subagent " + c.agentId()));
    JsonNode killed = Json.object().put("agent_id", c.agentId()).put("killed", r.get().running());
    if (!r.get().running()) return effects.get().reply(c.replyTo(), StatusReply.success(killed));
    ActorRef<AgentLoop.Command> child = running.get(c.agentId());
    return effects.get().persist(new SubAgentFinished(c.agentId(), "cancelled", "killed by subagent_kill",
            r.get().rounds(), r.get().usage(), Instant.now()))
        .thenRun(st -> {
          if (child != null) child.tell(new AgentLoop.Cancel("killed by subagent_kill"));
          ended(c.agentId());
          waiters.getOrDefault(c.agentId(), List.of()).forEach(w -> w.tell(StatusReply.success(find(st,
              c.agentId()).orElseThrow())));
          waiters.remove(c.agentId());
        })
        .thenRun(afterChange::accept)
        .thenReply(c.replyTo(), st -> StatusReply.success(killed));
  }

  ReplyEffect<Event, ConversationState> onGet(ConversationState s, ConversationEntity.GetSubAgent c) {
    return find(s, c.agentId())
        .map(r -> effects.get().reply(c.replyTo(), StatusReply.success(r)))
        .orElseGet(() -> effects.get().reply(c.replyTo(), StatusReply.error("agent " + c.agentId() + " not found")));
  }

  /** After a restart: sub-agents the journal calls running have no child any more; they are recorded as failed. */
  ReplyEffect<Event, ConversationState> onSettleLost(ConversationState s) {
    List<Event> lost = s.subAgents().stream().filter(SubAgentRecord::running)
        .filter(r -> !running.containsKey(r.id()))
        .<Event>map(r -> new SubAgentFinished(r.id(), "failed", "partyclaw restarted while this sub-agent ran; start"
            + " it again", r.rounds(), r.usage(), Instant.now()))
        .toList();
    if (lost.isEmpty()) return effects.get().noReply();
    return effects.get().persist(lost).thenRun(afterChange::accept).thenNoReply();
  }

  /** /stop: every running sub-agent is cancelled (tools and processes), and reports CANCELLED. */
  void cancelAll() {
    running.values().forEach(child -> child.tell(new AgentLoop.Cancel("stopped by /stop")));
  }

  int runningCount() {
    return running.size();
  }

  private static Optional<SubAgentRecord> find(ConversationState s, String id) {
    return s.subAgents().stream().filter(r -> r.id().equals(id)).findFirst();
  }
}
