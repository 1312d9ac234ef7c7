package partyclaw.actors.agents;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import partyclaw.actors.ModelCatalog;
import partyclaw.actors.model.ModelCall;
import partyclaw.actors.tool.ToolActor;
import partyclaw.core.llm.ChatClient;
import partyclaw.core.llm.ChatRequest;
import partyclaw.core.llm.ChatResponse;
import partyclaw.core.llm.ToolSpec;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolResult;
import partyclaw.core.tool.TurnSignal;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;
import partyclaw.core.transcript.Usage;
import partyclaw.core.util.Failures;

/**
 * One sub-agent or background agent, as a child of its conversation: rounds of one model call (a {@link ModelCall}
 * child) and then the tool calls it asked for, in parallel as {@link ToolActor} children, until the model answers
 * without tool calls or a bound is hit. Unlike the reference (runtime.md §9.1) it runs as many rounds as the task
 * needs; unlike it (§9.15) it always ends, within its {@link Bounds}.
 *
 * <p>After each round it reports {@link RoundCompleted} with that round's messages, so the parent can journal
 * them and resume the agent from its transcript after a crash; at the end exactly one {@link Finished}, then it
 * stops. Tool failures are results the model sees, never the end of the agent.
 */
public final class AgentLoop extends AbstractBehavior<AgentLoop.Command> {

  public enum Outcome {
    /** The model answered without tool calls; the text is its answer. */
    COMPLETED,
    /** A model call failed, or the model answered with nothing twice in a row; the text says why. */
    FAILED,
    /** The parent sent {@link Cancel}. */
    CANCELLED,
    /** Out of rounds, prompt tokens or time; the text says which. */
    BOUNDED
  }

  /**
   * When an agent is stopped without a final answer.
   *
   * @param maxRounds most model calls, earlier incarnations' included ({@link Progress#rounds()})
   * @param maxPromptTokens a reply with tool calls whose request the provider counted above this ends the agent
   * @param wallTime from the start of this incarnation; a resumed agent gets what its parent grants it
   */
  public record Bounds(int maxRounds, long maxPromptTokens, Duration wallTime) {
    public Bounds {
      if (maxRounds < 1) throw new IllegalArgumentException("maxRounds must be at least 1, got " + maxRounds);
      if (maxPromptTokens < 1) {
        throw new IllegalArgumentException("maxPromptTokens must be at least 1, got " + maxPromptTokens);
      }
      Objects.requireNonNull(wallTime, "wallTime");
      if (wallTime.isNegative() || wallTime.isZero()) {
        throw new IllegalArgumentException("wallTime must be positive, got " + wallTime);
      }
    }
  }

  /** What earlier incarnations of a resumed agent did: rounds completed and usage (from its RoundCompleted reports). */
  public record Progress(int rounds, Usage usage) {
    public static final Progress NONE = new Progress(0, Usage.ZERO);

    public Progress {
      if (rounds < 0) throw new IllegalArgumentException("rounds must not be negative, got " + rounds);
      usage = usage == null ? Usage.ZERO : usage;
    }
  }

  /**
   * Everything one agent runs with; the parent decides all of it.
   *
   * @param transcript the task as a user message for a fresh agent, or the journaled transcript to resume from
   *     (the system prompt is not part of it: it is put first in every request)
   * @param reasoningEffort sent with every request; null: the model's default
   * @param tools the tools of the tier by name; a call of any other name gets an "unknown tool" error result
   * @param toolSpecs how those tools are offered to the model
   * @param toolContexts builds a call's context (workspace, sandbox, environment) on the tool's thread
   */
  public record Spec(String agentId, AgentTier tier, String systemPrompt, List<ChatMessage> transcript,
      Progress progress, ModelCatalog.Entry model, String reasoningEffort, Map<String, Tool> tools,
      List<ToolSpec> toolSpecs, Bounds bounds, Function<TurnSignal, ToolContext> toolContexts, ChatClient chat,
      ToolActor.Pools pools) {
    public Spec {
      Objects.requireNonNull(agentId, "agentId");
      Objects.requireNonNull(tier, "tier");
      transcript = List.copyOf(transcript);
      if (transcript.isEmpty()) throw new IllegalArgumentException("agent " + agentId + " has no task");
      progress = progress == null ? Progress.NONE : progress;
      Objects.requireNonNull(model, "model");
      tools = Map.copyOf(tools);
      toolSpecs = List.copyOf(toolSpecs);
      Objects.requireNonNull(bounds, "bounds");
      Objects.requireNonNull(toolContexts, "toolContexts");
      Objects.requireNonNull(chat, "chat");
      Objects.requireNonNull(pools, "pools");
    }
  }

  public sealed interface Command {}

  /** Stop now: the model call is aborted, running tools are cancelled (their processes die). */
  public record Cancel(String reason) implements Command {}

  private record ModelAnswered(int round, ModelCall.Outcome outcome) implements Command {}

  private record ToolDone(int round, ToolActor.Report report) implements Command {}

  private record WallTimeUp() implements Command {}

  /** What the agent tells its parent. */
  public sealed interface Report {
    String agentId();
  }

  /**
   * A round is over and its messages are final: the assistant reply and its tool results in call order (every call
   * paired), the final answer, or the nudge after an empty reply. The first report of a resumed agent starts with
   * the results it supplied for calls its transcript left unanswered. {@code round} counts from the agent's start,
   * earlier incarnations included; {@code usage} is this round's model call.
   */
  public record RoundCompleted(String agentId, int round, List<ChatMessage> appended, Usage usage)
      implements Report {
    public RoundCompleted {
      appended = List.copyOf(appended);
    }
  }

  /**
   * The agent's end, reported exactly once (not when the parent stops it directly). {@code text}: the final answer
   * when completed, else one line saying why it ended. {@code rounds} and {@code usage} are totals, earlier
   * incarnations included; usage also counts a last model call whose reply was not kept.
   */
  public record Finished(String agentId, Outcome outcome, String text, int rounds, Usage usage) implements Report {}

  public static <R> Behavior<Command> create(Spec spec, ActorRef<R> reportTo, Function<Report, R> adapt) {
    // Its log lines also go to logs/agents/<agent id>.jsonl.
    return Behaviors.withMdc(Command.class, java.util.Map.of("log_stream", "agent", "log_key", spec.agentId()),
        Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
          timers.startSingleTimer(new WallTimeUp(), spec.bounds().wallTime());
          return new AgentLoop(ctx, spec, report -> reportTo.tell(adapt.apply(report))).nextRound();
        })));
  }

  private final Spec spec;
  private final Consumer<Report> report;
  private final List<ChatMessage> transcript;
  private final RoundSignals signals = new RoundSignals();
  private final long startNanos = System.nanoTime();
  /** Rounds completed, earlier incarnations included; the round in flight is {@code rounds + 1}. */
  private int rounds;
  private Usage usage;
  /** Results this incarnation added for calls the resumed transcript left unanswered; reported with round one. */
  private List<ChatMessage> carried;
  /** The last reply was empty and the model was nudged; another empty one ends the agent. */
  private boolean nudged;
  private ActorRef<ModelCall.Command> modelCall;
  /** The assistant reply whose tool calls run now, its model call's usage, and the results so far. */
  private ChatMessage reply;
  private Usage replyUsage;
  private final Map<String, ActorRef<ToolActor.Command>> running = new HashMap<>();
  private final Map<String, ToolResult> results = new LinkedHashMap<>();
  private boolean finished;

  private AgentLoop(ActorContext<Command> ctx, Spec spec, Consumer<Report> report) {
    super(ctx);
    this.spec = spec;
    this.report = report;
    this.transcript = new ArrayList<>(spec.transcript());
    this.carried = AgentTranscript.lostResults(transcript);
    this.transcript.addAll(carried);
    this.rounds = spec.progress().rounds();
    this.usage = spec.progress().usage();
    ctx.getLog().info("agent {} ({}) starting at round {} model={} max_rounds={} wall_time_ms={}", spec.agentId(),
        spec.tier().noun(), rounds + 1, spec.model().alias(), spec.bounds().maxRounds(),
        spec.bounds().wallTime().toMillis());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ModelAnswered.class, this::onModelAnswered)
        .onMessage(ToolDone.class, this::onToolDone)
        .onMessage(Cancel.class, c -> finish(Outcome.CANCELLED, c.reason() == null || c.reason().isBlank()
            ? "cancelled" : c.reason()))
        .onMessage(WallTimeUp.class, t -> finish(Outcome.BOUNDED, "no final answer within "
            + human(spec.bounds().wallTime()) + " (time limit); stopped"))
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  private Behavior<Command> nextRound() {
    if (rounds >= spec.bounds().maxRounds()) {
      return finish(Outcome.BOUNDED, "no final answer after " + rounds + " rounds (round limit "
          + spec.bounds().maxRounds() + "); stopped");
    }
    int round = rounds + 1;
    List<ChatMessage> messages = new ArrayList<>(transcript.size() + 1);
    if (spec.systemPrompt() != null && !spec.systemPrompt().isBlank()) {
      messages.add(ChatMessage.system(spec.systemPrompt()));
    }
    messages.addAll(transcript);
    ChatRequest request = new ChatRequest(messages, spec.toolSpecs(), spec.reasoningEffort());
    modelCall = getContext().spawnAnonymous(ModelCall.create(spec.chat(), spec.model().endpoint(), request,
        getContext().getSelf(), outcome -> new ModelAnswered(round, outcome), AgentLoop::describe));
    return this;
  }

  private Behavior<Command> onModelAnswered(ModelAnswered answered) {
    if (answered.round() != rounds + 1 || modelCall == null) return this;
    modelCall = null;
    ModelCall.Outcome outcome = answered.outcome();
    if (outcome.error() != null) return finish(Outcome.FAILED, outcome.error());
    ChatResponse response = outcome.response();
    Usage callUsage = response.usage() == null ? Usage.ZERO : response.usage();
    usage = usage.plus(callUsage);
    ChatMessage message = AgentTranscript.withCallIds(response.message(), answered.round(), transcript);
    boolean hasText = message.content() != null && !message.content().isBlank();
    if (!hasText && !message.hasToolCalls()) {
      if (nudged) return finish(Outcome.FAILED, "the model returned an empty reply twice in a row");
      nudged = true;
      completeRound(List.of(ChatMessage.user(AgentTranscript.EMPTY_REPLY_NUDGE)), callUsage);
      return nextRound();
    }
    nudged = false;
    if (!message.hasToolCalls()) {
      completeRound(List.of(message), callUsage);
      return finish(Outcome.COMPLETED, message.content().strip());
    }
    if (callUsage.promptTokens() > spec.bounds().maxPromptTokens()) {
      return finish(Outcome.BOUNDED, "the context reached " + callUsage.promptTokens() + " prompt tokens, over the"
          + " limit of " + spec.bounds().maxPromptTokens() + "; stopped before the tool calls of round "
          + answered.round());
    }
    reply = message;
    replyUsage = callUsage;
    startTools(answered.round(), message.toolCalls());
    return this;
  }

  private void startTools(int round, List<ToolCall> calls) {
    String turnId = spec.agentId() + "#" + round;
    Function<TurnSignal, ToolContext> contexts = toolContexts(spec.toolContexts(), signals);
    for (ToolCall call : calls) {
      ActorRef<ToolActor.Command> actor = getContext().spawnAnonymous(ToolActor.create(turnId, call,
          spec.tools().get(call.name()), contexts, spec.pools(), getContext().getSelf(), r -> new ToolDone(round, r)));
      running.put(call.id(), actor);
      actor.tell(new ToolActor.Start());
    }
  }

  /** Runs on tool threads: touches only the thread-safe signals and the parent's factory, never the actor. */
  private static Function<TurnSignal, ToolContext> toolContexts(Function<TurnSignal, ToolContext> parent,
      RoundSignals signals) {
    return signal -> {
      signals.register(signal);
      try {
        return parent.apply(signal);
      } catch (RuntimeException e) {
        // no cause kept: the tool actor shows the root message, and this one names the step that failed
        throw new IllegalStateException("cannot prepare the tool context: " + Failures.rootMessage(e));
      }
    };
  }

  private Behavior<Command> onToolDone(ToolDone done) {
    String callId = done.report().call().id();
    if (done.round() != rounds + 1 || running.remove(callId) == null) return this;
    results.put(callId, done.report().result());
    if (!running.isEmpty()) return this;
    List<ChatMessage> appended = new ArrayList<>(reply.toolCalls().size() + 1);
    appended.add(reply);
    for (ToolCall call : reply.toolCalls()) appended.add(ChatMessage.toolResult(call, results.get(call.id()).content()));
    completeRound(appended, replyUsage);
    reply = null;
    replyUsage = null;
    results.clear();
    signals.clear();
    return nextRound();
  }

  private void completeRound(List<ChatMessage> appended, Usage roundUsage) {
    List<ChatMessage> reported = new ArrayList<>(carried);
    reported.addAll(appended);
    carried = List.of();
    transcript.addAll(appended);
    rounds++;
    report.accept(new RoundCompleted(spec.agentId(), rounds, reported, roundUsage));
  }

  private Behavior<Command> finish(Outcome outcome, String text) {
    if (!finished) {
      finished = true;
      getContext().getLog().info("agent {} ({}) finished outcome={} rounds={} prompt_tokens={} duration_ms={}{}",
          spec.agentId(), spec.tier().noun(), outcome, rounds, usage.promptTokens(),
          (System.nanoTime() - startNanos) / 1_000_000, outcome == Outcome.COMPLETED ? "" : " reason=" + text);
      report.accept(new Finished(spec.agentId(), outcome, text, rounds, usage));
    }
    // The model call and the tool actors stop with this actor; PostStop cancels the tools' signals.
    return Behaviors.stopped();
  }

  private Behavior<Command> onPostStop() {
    // Also when the parent stops the agent directly: no tool of a dead agent may run on, its result has no reader.
    signals.cancelAll(spec.pools().control());
    return this;
  }

  private static String describe(Throwable error) {
    Throwable t = Failures.unwrap(error);
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) return ms + " ms";
    if (ms % 1000 == 0) return ms / 1000 + " s";
    return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
