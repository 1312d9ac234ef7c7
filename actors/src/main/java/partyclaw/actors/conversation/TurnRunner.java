package partyclaw.actors.conversation;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.ModelCatalog;
import partyclaw.actors.conversation.ConversationEntity.Command;
import partyclaw.actors.conversation.ConversationState.Turn;
import partyclaw.actors.model.ModelCall;
import partyclaw.actors.outbox.TurnActivity;
import partyclaw.actors.tool.ToolActor;
import partyclaw.core.llm.ChatRequest;
import partyclaw.core.llm.LlmEndpoint;
import partyclaw.core.sandbox.LocalMount;
import java.util.function.Function;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.TurnSignal;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;

/**
 * What a conversation has in flight in this incarnation: the model call and the tool calls of the current round,
 * as child actors. Never persisted; every method runs on the entity's thread, from its side effects only.
 */
final class TurnRunner {
  static final String PLAN_REMINDER = "[System Reminder: use tool to update plan progress.]";
  static final String RESTART_NOTICE = "[System Restarted: partyclaw restarted since your last step. Processes started"
      + " with exec_start before the restart have ended; their exec_ids no longer exist. Unfinished downloads resume"
      + " under their download ids.]";

  private final String conversationId;
  private final ConversationRuntime rt;
  private final ActorContext<Command> ctx;
  private final ToolActor.Pools toolPools;
  private final TurnActivities activities;

  private ActorRef<ModelCall.Command> modelCall;
  private ChatMessage systemMessage;
  private String modelCallKey;
  private final Map<String, ActorRef<ToolActor.Command>> runningTools = new HashMap<>();
  /** Steer mode: a follow-up is waiting, so every interruptible tool of this round is told to yield. */
  private boolean yieldRequested;
  /** The process restarted since this conversation last ran: the model is told once that old processes are gone. */
  private boolean restartNoticePending;

  TurnRunner(String conversationId, ConversationRuntime rt, ActorContext<Command> ctx, ToolActor.Pools toolPools,
      TurnActivities activities) {
    this.conversationId = conversationId;
    this.rt = rt;
    this.ctx = ctx;
    this.toolPools = toolPools;
    this.activities = activities;
  }

  void restartNoticeDue(boolean due) {
    restartNoticePending = due;
  }

  boolean modelCallRunning() {
    return modelCall != null;
  }

  boolean isCurrentModelCall(ConversationState s, String turnId, int round) {
    return s.turn() != null && (turnId + "#" + round).equals(modelCallKey) && s.turn().turnId().equals(turnId);
  }

  boolean toolRunning(String callId) {
    return runningTools.containsKey(callId);
  }

  int runningToolCount() {
    return runningTools.size();
  }

  /** Calls of the current round that no tool actor runs: cut off by a crash. */
  List<ToolCall> lostCalls(Turn turn) {
    return turn.unfinishedCalls().stream().filter(c -> !runningTools.containsKey(c.id())).toList();
  }

  /** The model of the call in flight and the local token count of its request, for calibration. */
  private ModelCatalog.Entry callModel;
  private long callRawTokens;

  void callModel(ConversationState s, ContextRunner context) {
    Turn turn = s.turn();
    if (turn == null || !turn.awaitingModel() || modelCall != null) return;
    String turnId = turn.turnId();
    int round = turn.round();
    modelCallKey = turnId + "#" + round;
    Optional<ModelCatalog.Entry> model = rt.models().resolve(s.settings().modelAlias());
    if (model.isEmpty()) {
      ctx.getSelf().tell(new ConversationEntity.ModelCallFinished(turnId, round,
          new ModelCall.Outcome(null, "no model is configured; add one to the config's models")));
      return;
    }
    ChatRequest request = new ChatRequest(requestMessages(s), rt.toolSpecsFor(model.get().alias()), s.settings().reasoningEffort())
        .withMediaRoot(workspacePath(s));
    callModel = model.get();
    callRawTokens = context.rawTokens(s, model.get(), turn.notices());
    activities.phase(s, TurnActivity.Phase.THINKING);
    yieldRequested = false;
    LlmEndpoint endpoint = model.get().endpoint();
    if (s.settings().apiTimeoutSeconds() != null) {
      endpoint = new LlmEndpoint(endpoint.alias(), endpoint.url(), endpoint.model(), endpoint.apiKey(),
          endpoint.headers(), Duration.ofMillis(Math.round(s.settings().apiTimeoutSeconds() * 1000)),
          endpoint.retry(), endpoint.reasoning());
    }
    modelCall = ctx.spawnAnonymous(ModelCall.create(rt.chat(), endpoint, request, ctx.getSelf(),
        outcome -> new ConversationEntity.ModelCallFinished(turnId, round, outcome), TranscriptRepairs::describe,
        context.compactOnTimeout(s, modelCallKey),
        partyclaw.actors.outbox.TextDelta.toChannel(rt.delivery(), conversationId, turnId, round)));
  }

  /** The call was answered: the provider's count of its request calibrates later local estimates. */
  void modelCallAnswered(ContextRunner context, partyclaw.core.transcript.Usage usage) {
    if (callModel != null && usage != null) context.observeUsage(callModel, callRawTokens, usage.promptTokens());
    modelCallDone();
  }

  /** The current model call reported; the next one may start. */
  void modelCallDone() {
    modelCall = null;
    modelCallKey = null;
    callModel = null;
  }

  /**
   * The system prompt the conversation holds (the same text until a compaction or a static change, so providers
   * can cache it), the live context, then this call's runtime notices.
   */
  /**
   * The same message instance for as long as the prompt is the same: the request encoder and the token meter cache
   * their work per instance, and a prompt of several kilobytes would otherwise be encoded and counted at every call.
   */
  private ChatMessage systemMessage(String prompt) {
    if (systemMessage == null || !systemMessage.content().equals(prompt)) systemMessage = ChatMessage.system(prompt);
    return systemMessage;
  }

  private List<ChatMessage> requestMessages(ConversationState s) {
    List<ChatMessage> messages = new ArrayList<>(s.transcript().size() + 4);
    if (s.context().prompt() != null) messages.add(systemMessage(s.context().prompt().text()));
    messages.addAll(s.transcript());
    s.turn().notices().forEach(n -> messages.add(ChatMessage.system(n)));
    if (planReminderDue(s.transcript())) messages.add(ChatMessage.system(PLAN_REMINDER));
    if (restartNoticePending) {
      // Transient: the notice reaches exactly one model call and is never part of the transcript.
      messages.add(ChatMessage.system(RESTART_NOTICE));
      restartNoticePending = false;
    }
    return messages;
  }

  /**
   * tools.md §4.3: every 10th assistant message with tool calls, unless that message updated the plan, the next
   * request (only) reminds the model to keep its plan current.
   */
  static boolean planReminderDue(List<ChatMessage> transcript) {
    int withCalls = 0;
    ChatMessage latest = null;
    for (ChatMessage m : transcript) {
      if (m.hasToolCalls()) {
        withCalls++;
        latest = m;
      }
    }
    return withCalls > 0 && withCalls % 10 == 0
        && latest.toolCalls().stream().noneMatch(c -> c.name().equals("update_plan"));
  }

  void startTools(ConversationState s) {
    Turn turn = s.turn();
    String turnId = turn.turnId();
    ActorRef<Command> self = ctx.getSelf();
    Function<TurnSignal, ToolContext> contexts = toolContexts(s, turnId);
    for (ToolCall call : turn.unfinishedCalls()) {
      ActorRef<ToolActor.Command> actor = ctx.spawnAnonymous(ToolActor.create(turnId, call,
          rt.tools().get(call.name()), contexts, toolPools, self, ConversationEntity.ToolCallFinished::new));
      runningTools.put(call.id(), actor);
      actor.tell(new ToolActor.Start());
      // The yield signal is sticky for the round: a tool started after it returns at once.
      if (yieldRequested) actor.tell(new ToolActor.Interrupt());
    }
    activities.tools(s, turn, null, null);
  }

  /**
   * Builds the tool contexts of {@code ownerId}'s calls (a turn, or a sub-agent). What they need of the state and the
   * actor is captured here, on the actor's thread: a context is built on a tool thread, which must not touch ctx.
   */
  Function<TurnSignal, ToolContext> toolContexts(ConversationState s, String ownerId) {
    Path workspace = workspacePath(s);
    ActorRef<Command> self = ctx.getSelf();
    Scheduler scheduler = ctx.getSystem().scheduler();
    String sandboxOverride = s.settings().sandboxMode();
    String model = rt.models().resolve(s.settings().modelAlias()).map(ModelCatalog.Entry::alias).orElse(null);
    List<LocalMount> mounts = s.settings().mounts().stream()
        .map(m -> new LocalMount(Path.of(m.path()), m.readOnly())).toList();
    return signal -> toolContext(ownerId, workspace, signal, self, scheduler, sandboxOverride, mounts, model);
  }

  void toolFinished(String callId) {
    runningTools.remove(callId);
  }

  /** Steer mode: interruptible tools of this round return what they have. */
  void yieldTools() {
    yieldRequested = true;
    runningTools.values().forEach(t -> t.tell(new ToolActor.Interrupt()));
  }

  /** Everything in flight stops for real: the model call is aborted, tools get Cancel (their processes killed). */
  void cancelAll() {
    if (modelCall != null) modelCall.tell(new ModelCall.Cancel());
    modelCallDone();
    runningTools.values().forEach(t -> t.tell(new ToolActor.Cancel()));
    runningTools.clear();
    yieldRequested = false;
  }

  /** Runs on a tool thread: creating the workspace directory is file I/O. Touches nothing of the actor. */
  private ToolContext toolContext(String turnId, Path workspace, TurnSignal signal, ActorRef<Command> self,
      Scheduler scheduler, String sandboxOverride, List<LocalMount> mounts, String model) {
    Path root;
    try {
      root = Files.createDirectories(workspace).toRealPath();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create the conversation workspace " + workspace + ": " + e.getMessage());
    }
    return new EntityToolContext(conversationId, turnId, root, signal, rt.resources().of(conversationId),
        rt.processEnvironment(), rt.layout(), rt.sandbox().sandboxFor(root, sandboxOverride, mounts, rt.layout()), model,
        text -> AskPattern.<Command, Done>askWithStatus(self, replyTo -> new ConversationEntity.TellUser(text, replyTo),
            Duration.ofSeconds(30), scheduler).thenApply(done -> null),
        plan -> AskPattern.<Command, Done>askWithStatus(self, replyTo -> new ConversationEntity.UpdatePlan(plan,
            replyTo), Duration.ofSeconds(30), scheduler).thenApply(done -> null));
  }

  Path workspacePath(ConversationState s) {
    return rt.workspaceDir(s.workspaceId() == null ? "unassigned" : s.workspaceId()).toAbsolutePath();
  }
}
