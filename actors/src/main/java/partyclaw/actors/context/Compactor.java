package partyclaw.actors.context;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import partyclaw.actors.ModelCatalog;
import partyclaw.actors.model.ModelCall;
import partyclaw.core.context.CompactionException;
import partyclaw.core.context.CompactionPlanner;
import partyclaw.core.context.CompressionMessages;
import partyclaw.core.context.ContextBudget;
import partyclaw.core.context.MemoryMode;
import partyclaw.core.context.SummaryParser;
import partyclaw.core.context.SummaryPrompts;
import partyclaw.core.llm.ChatClient;
import partyclaw.core.llm.ChatRequest;
import partyclaw.core.memory.ConversationMemory;
import partyclaw.core.memory.LayeredSummary;
import partyclaw.core.tokens.TokenEstimator;
import partyclaw.core.transcript.ChatMessage;

/**
 * One compaction of a conversation's context, as a child of the conversation (runtime.md §4.1): the older part of
 * a copy of the live context is summarised by the model — in chunks that each fit its window, folding each summary
 * into the next — while the most recent part (the high-fidelity tail) stays verbatim. If the result is still over
 * the target, up to two more passes move the tail boundary closer to the end. In layered memory mode the replaced
 * messages and the summary are archived as a rollout before the result is reported, so the journal event that
 * applies it never names an archive that does not exist. Reports exactly one {@link Result} unless stopped.
 */
public final class Compactor extends AbstractBehavior<Compactor.Command> {

  public sealed interface Command {}

  private record SummaryReturned(ModelCall.Outcome outcome) implements Command {}

  private record RolloutWritten(String rolloutId, Throwable error) implements Command {}

  /**
   * A compaction's input, copied when it starts.
   *
   * @param tokens local token counts of {@code transcript}, message by message
   * @param fixedTokens the rest of a request: system prompt, tool schemas, reply primer (local count)
   * @param factor provider tokens per local token, for this model
   * @param target the compaction should bring the estimate below this
   * @param memoryRoot where the rollout is archived (layered mode); null for none
   */
  public record Job(String compactionId, Instant requestedAt, String conversationId, List<ChatMessage> transcript,
      int[] tokens, long fixedTokens, double factor, ContextBudget budget, long target, MemoryMode mode,
      List<String> activeTasks, ModelCatalog.Entry model, ChatClient chat, TokenEstimator estimator, Path memoryRoot,
      Executor blocking) {}

  public sealed interface Result {}

  /** The first {@code replacedCount} messages give way to {@code replacement}. */
  public record Compacted(int replacedCount, List<ChatMessage> replacement, long tokensBefore, long tokensAfter,
      String rolloutId) implements Result {}

  /** The context has nothing older than its verbatim tail. */
  public record NothingToCompact(long tokens) implements Result {}

  public record Failed(String error) implements Result {}

  static final int PASSES = 3;
  /** Slack for the provider counting a little more than the local tokenizer. */
  static final int MARGIN_TOKENS = 512;
  static final int MIN_CHUNK_TOKENS = 2_048;
  private static final DateTimeFormatter ROLLOUT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss").withZone(ZoneOffset.UTC);

  public static <R> Behavior<Command> create(Job job, ActorRef<R> reportTo, Function<Result, R> adapt) {
    return Behaviors.setup(ctx -> new Compactor(ctx, job, r -> reportTo.tell(adapt.apply(r))).startPass());
  }

  private final Job job;
  private final java.util.function.Consumer<Result> report;
  private final long tokensBefore;
  private int pass;
  /** Head messages [0, covered) are in {@code summarySoFar}. */
  private int covered;
  private int split;
  private List<List<ChatMessage>> chunks = List.of();
  private int chunk;
  private String summarySoFar;
  private LayeredSummary layered;
  private List<ChatMessage> replacement;

  private Compactor(ActorContext<Command> ctx, Job job, java.util.function.Consumer<Result> report) {
    super(ctx);
    this.job = job;
    this.report = report;
    this.tokensBefore = provider(job.fixedTokens() + sum(0, job.transcript().size()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(SummaryReturned.class, this::onSummary)
        .onMessage(RolloutWritten.class, this::onRolloutWritten)
        .build();
  }

  private Behavior<Command> startPass() {
    try {
      return plan();
    } catch (RuntimeException e) {
      getContext().getLog().error("conversation {}: compaction {} could not be planned", job.conversationId(),
          job.compactionId(), e);
      return fail("the compaction could not be planned: " + e.getMessage());
    }
  }

  private Behavior<Command> plan() {
    int next = CompactionPlanner.splitIndex(job.transcript(),
        i -> (int) Math.ceil(job.tokens()[i] * job.factor()), job.budget().tailBudgetForPass(pass));
    if (next <= covered) {
      if (pass == 0) {
        report.accept(new NothingToCompact(tokensBefore));
        return Behaviors.stopped();
      }
      return finish();
    }
    split = next;
    long overhead = job.estimator().estimate(SummaryPrompts.request(job.mode(), summarySoFar, List.of()), List.of());
    long room = job.budget().windowTokens() - SummaryPrompts.MAX_COMPLETION_TOKENS - overhead - MARGIN_TOKENS;
    long chunkTokens = Math.max(MIN_CHUNK_TOKENS, (long) (room / job.factor()));
    chunks = SummaryPrompts.chunks(job.transcript().subList(covered, split), job.estimator(), chunkTokens);
    chunk = 0;
    return askForSummary();
  }

  private Behavior<Command> askForSummary() {
    List<ChatMessage> messages = SummaryPrompts.request(job.mode(), summarySoFar, chunks.get(chunk));
    ChatRequest request = new ChatRequest(messages, List.of(), null, SummaryPrompts.MAX_COMPLETION_TOKENS);
    getContext().spawnAnonymous(ModelCall.create(job.chat(), job.model().endpoint(), request, getContext().getSelf(),
        SummaryReturned::new, Throwable::toString));
    return this;
  }

  private Behavior<Command> onSummary(SummaryReturned returned) {
    ModelCall.Outcome outcome = returned.outcome();
    if (outcome.error() != null) return fail("the summary call failed: " + outcome.error());
    String text = outcome.response().message().content();
    try {
      if (job.mode() == MemoryMode.LAYERED) {
        layered = SummaryParser.parseLayered(text);
        // The next chunk's request carries this answer as written: the instruction folds its JSON forward.
        summarySoFar = text;
      } else {
        summarySoFar = SummaryParser.parseClaudeCode(text);
      }
    } catch (CompactionException e) {
      return fail(e.getMessage());
    }
    if (++chunk < chunks.size()) return askForSummary();
    covered = split;
    replacement = new ArrayList<>();
    replacement.add(job.mode() == MemoryMode.LAYERED ? CompressionMessages.layered(layered)
        : CompressionMessages.claudeCode(summarySoFar));
    CompressionMessages.activeRuntimeTasks(job.activeTasks()).ifPresent(replacement::add);
    if (tokensAfter() >= job.target() && ++pass < PASSES) return startPass();
    return finish();
  }

  private Behavior<Command> finish() {
    if (job.mode() != MemoryMode.LAYERED || job.memoryRoot() == null) return report(null);
    String rolloutId = rolloutId(job.requestedAt(), job.compactionId());
    partyclaw.core.memory.Rollout rollout = new partyclaw.core.memory.Rollout(job.conversationId(), job.requestedAt(),
        layered, List.copyOf(job.transcript().subList(0, covered)));
    getContext().pipeToSelf(CompletableFuture.runAsync(() -> {
      try {
        new ConversationMemory(job.memoryRoot()).writeRollout(rolloutId, rollout);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, job.blocking()), (ok, error) -> new RolloutWritten(rolloutId, error));
    return this;
  }

  private Behavior<Command> onRolloutWritten(RolloutWritten written) {
    if (written.error() != null) {
      // The context must still shrink; only the archive of the replaced range is missing.
      getContext().getLog().error("conversation {}: the rollout {} could not be written; the compaction goes on"
          + " without it: {}", job.conversationId(), written.rolloutId(), written.error().toString());
      return report(null);
    }
    return report(written.rolloutId());
  }

  private Behavior<Command> report(String rolloutId) {
    report.accept(new Compacted(covered, List.copyOf(replacement), tokensBefore, tokensAfter(), rolloutId));
    return Behaviors.stopped();
  }

  private Behavior<Command> fail(String error) {
    report.accept(new Failed(error));
    return Behaviors.stopped();
  }

  private long tokensAfter() {
    long summary = 0;
    for (ChatMessage m : replacement) summary += job.estimator().messageTokens(m);
    return provider(job.fixedTokens() + summary + sum(covered, job.transcript().size()));
  }

  private long sum(int from, int to) {
    long total = 0;
    for (int i = from; i < to; i++) total += job.tokens()[i];
    return total;
  }

  private long provider(long local) {
    return (long) Math.ceil(local * job.factor());
  }

  /** The rollout of a compaction: a retry after a crash rewrites the same rollout instead of adding another. */
  static String rolloutId(Instant at, String compactionId) {
    return ROLLOUT_TIME.format(at) + "-" + compactionId.replace("-", "").substring(0, 8).toLowerCase();
  }
}
