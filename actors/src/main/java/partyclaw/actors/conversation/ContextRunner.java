package partyclaw.actors.conversation;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.ModelCatalog;
import partyclaw.actors.context.Compactor;
import partyclaw.actors.context.ContextMeter;
import partyclaw.actors.context.ContextPolicy;
import partyclaw.actors.conversation.ConversationEntity.Command;
import partyclaw.actors.conversation.ContextState.PendingCompaction;
import partyclaw.core.context.ContextBudget;
import partyclaw.core.context.MemoryMode;
import partyclaw.core.profile.ProfileSync;
import partyclaw.core.prompt.AgentKind;
import partyclaw.core.prompt.PromptNotices;
import partyclaw.core.prompt.PromptSources;
import partyclaw.core.prompt.SystemPrompt;
import partyclaw.core.skills.SkillCatalog;
import partyclaw.core.tool.TurnProcesses;
import partyclaw.tools.remote.RemoteWorkpathsPrompt;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.workdir.WorkspaceSeeder;
import partyclaw.core.workspace.WorkspaceRegistry;

/**
 * The context side of a conversation in this incarnation: preparing the system prompt before a turn's first model
 * call (profile files, skills, runtime notes are read on the blocking pool), measuring the context, and running
 * compactions as a {@link Compactor} child. Never persisted; every method runs on the entity's thread.
 */
final class ContextRunner {
  /** What the prompt preparation found, back on the entity's thread. */
  record Prepared(String turnId, SystemPrompt.BuiltPrompt built, PromptNotices.Components current) {}

  /** The context as the next request would carry it. */
  record Estimate(long tokens, long threshold, long window, String encoding, double factor) {
    int percentOfThreshold() {
      return threshold <= 0 ? 0 : (int) Math.round(100.0 * tokens / threshold);
    }
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ContextRunner.class);

  private final String conversationId;
  private final ConversationRuntime rt;
  private final ActorContext<Command> ctx;
  private final Executor blocking;
  private final ContextMeter meter;

  private String preparedTurn;
  private boolean preparing;
  private ActorRef<Compactor.Command> compactor;
  private String compactorFor;
  /** A compaction in this turn ended without shrinking the context: the threshold is not checked again. */
  private String thresholdSkippedFor;
  /** {@code turnId#round} whose model call already had its one compacted retry after a timeout. */
  private String timeoutRetried;

  ContextRunner(String conversationId, ConversationRuntime rt, ActorContext<Command> ctx, Executor blocking) {
    this.conversationId = conversationId;
    this.rt = rt;
    this.ctx = ctx;
    this.blocking = blocking;
    this.meter = new ContextMeter(rt.context().calibration());
  }

  ContextPolicy policy() {
    return rt.context();
  }

  boolean busy() {
    return preparing || compactor != null;
  }

  boolean compacting() {
    return compactor != null;
  }

  // ---- the system prompt ----

  /** The prompt must be (re)built, or the turn's notices worked out, before the next model call. */
  boolean needsPreparation(ConversationState s) {
    if (s.turn() == null) return false;
    return !s.turn().turnId().equals(preparedTurn) || s.context().prompt() == null || s.context().promptRebuildDue();
  }

  /** Seeds the workspace, syncs the profile and reads the prompt's sources on the blocking pool. */
  void prepare(ConversationState s, Path workspace, ModelCatalog.Entry model) {
    if (preparing) return;
    preparing = true;
    String turnId = s.turn().turnId();
    List<String> mounts = s.settings().mounts().stream()
        .map(m -> m.path() + (m.readOnly() ? " (read-only)" : " (read-write)")).toList();
    SystemPrompt.Inputs base = promptInputs(workspace, model, mounts);
    ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> readSources(workspace, base), blocking),
        (built, error) -> {
          if (error != null) return new ConversationEntity.PromptPreparationFailed(turnId, String.valueOf(error));
          return new ConversationEntity.PromptPrepared(new Prepared(turnId, built.built(), built.components()));
        });
  }

  private record Read(SystemPrompt.BuiltPrompt built, PromptNotices.Components components) {}

  private record LastBuild(SystemPrompt.Inputs inputs, Read read) {}

  /**
   * The prompt the last preparation built, by its inputs: a turn whose sources did not change reuses it instead of
   * assembling ~40 KB of prompt again. Written on the blocking pool, one preparation at a time.
   */
  private volatile LastBuild lastBuild;

  /** Runs on the blocking pool: touches no actor state (logs through its own logger). */
  private Read readSources(Path workspace, SystemPrompt.Inputs base) {
    var layout = rt.layout();
    try {
      WorkspaceSeeder.seed(layout, workspace);
      ProfileSync.refresh(layout, workspace);
      // workspaces/<id>/files: the registry records who uses the workspace (its tools show a chat only its own).
      WorkspaceRegistry.shared(layout).touch(workspace.getParent().getFileName().toString(), conversationId);
    } catch (java.io.IOException | RuntimeException e) {
      LOG.warn("conversation {}: seeding the workspace {} failed: {}", conversationId, workspace, e.toString());
    }
    PromptSources sources = PromptSources.read(layout, workspace, base.memoryMode());
    SkillCatalog skills = SkillCatalog.discover(layout.skillsStore());
    skills.problems().forEach(p -> LOG.warn("skill skipped: {}", p));
    String skillsBlock = skills.metadataBlock();
    SystemPrompt.Inputs in = new SystemPrompt.Inputs(base.kind(), base.workspaceRoot(), base.language(),
        base.modelAlias(), base.modelDescription(), base.availableModels(), sources.identity(), sources.userMeta(),
        null, sources.runtimeNotes(), base.memoryMode(), sources.partclawMd(), skillsBlock, base.globalInstallRoot(),
        base.localMounts(), RemoteWorkpathsPrompt.block(layout, conversationId, rt.processEnvironment()));
    LastBuild last = lastBuild;
    if (last != null && last.inputs().equals(in)) return last.read();
    Read read = new Read(SystemPrompt.build(in),
        new PromptNotices.Components(sources.identity(), sources.userMeta(), skillsBlock));
    lastBuild = new LastBuild(in, read);
    return read;
  }

  private SystemPrompt.Inputs promptInputs(Path workspace, ModelCatalog.Entry model, List<String> mounts) {
    List<SystemPrompt.ModelLine> models = rt.models().available().stream()
        .map(a -> new SystemPrompt.ModelLine(a, Optional.ofNullable(rt.models().models().get(a))
            .map(ModelCatalog.Entry::description).orElse("")))
        .toList();
    String memory = rt.context().memoryMode() == MemoryMode.LAYERED ? "layered" : "claude_code";
    return new SystemPrompt.Inputs(AgentKind.MAIN_FOREGROUND, workspace.toString(), rt.language(),
        model == null ? null : model.alias(), model == null ? null : model.description(), models, null, null, null,
        null, memory, null, null, rt.context().globalInstallRoot(), mounts);
  }

  /** The preparation came back; the turn may have ended meanwhile. */
  void prepared(String turnId, boolean current) {
    preparing = false;
    if (current) preparedTurn = turnId;
  }

  /**
   * The events a finished preparation leads to: a new prompt when there is none, a compaction promoted what was
   * announced, or the static part changed (runtime.md §4.5, without notice); otherwise notices of what changed
   * since the model last heard, for a turn started by user messages.
   */
  static List<ConversationEntity.Event> promptEvents(ConversationState s, Prepared p) {
    ContextState.PromptState prompt = s.context().prompt();
    if (prompt == null || s.context().promptRebuildDue() || !prompt.staticHash().equals(p.built().staticHash())) {
      return List.of(new ConversationEntity.SystemPromptSet(p.built().text(), p.built().staticHash(),
          p.built().partSizes(), p.current()));
    }
    if (!s.turn().fromUser() || s.turn().round() > 0) return List.of();
    return PromptNotices.notices(prompt.notified(), p.current())
        .<List<ConversationEntity.Event>>map(text -> List.of(
            new ConversationEntity.PromptNoticesQueued(s.turn().turnId(), text, p.current())))
        .orElse(List.of());
  }

  // ---- measuring ----

  Optional<Estimate> estimate(ConversationState s) {
    Optional<ModelCatalog.Entry> model = rt.models().resolve(s.settings().modelAlias());
    return model.map(m -> estimate(s, m));
  }

  Estimate estimate(ConversationState s, ModelCatalog.Entry model) {
    String upstream = model.endpoint().model();
    List<String> notices = s.turn() == null ? List.of() : s.turn().notices();
    long raw = rawTokens(s, model, notices);
    ContextBudget budget = rt.context().budget(model.contextWindowTokens());
    return new Estimate(meter.calibrated(upstream, raw), budget.threshold(), model.contextWindowTokens(),
        meter.encoding(), meter.factor(upstream));
  }

  long rawTokens(ConversationState s, ModelCatalog.Entry model, List<String> notices) {
    String prompt = s.context().prompt() == null ? null : s.context().prompt().text();
    return meter.raw(model.endpoint().model(), prompt, rt.toolSpecsFor(model.alias()), s.transcript(), notices);
  }

  /** Provider usage for a request whose local estimate was {@code raw}: calibrates later estimates. */
  void observeUsage(ModelCatalog.Entry model, long raw, long providerPromptTokens) {
    if (raw > 0 && providerPromptTokens > 0) meter.observe(model.endpoint().model(), raw, providerPromptTokens);
  }

  boolean compressionOn(ConversationState s) {
    return rt.context().compressionFor(s.settings().compaction());
  }

  /** Before a model call: the context reached the threshold and nothing in this turn said compacting is futile. */
  boolean overThreshold(ConversationState s, ModelCatalog.Entry model) {
    if (!compressionOn(s) || s.turn() == null || s.turn().turnId().equals(thresholdSkippedFor)) return false;
    Estimate e = estimate(s, model);
    return e.tokens() >= e.threshold();
  }

  /** Whether the model call of {@code turnId#round} should stop at a timeout so the context can be compacted. */
  boolean compactOnTimeout(ConversationState s, String callKey) {
    return compressionOn(s) && rt.context().timeoutCompaction() && !callKey.equals(timeoutRetried);
  }

  void timeoutRetryUsed(String callKey) {
    timeoutRetried = callKey;
  }

  // ---- compacting ----

  /** Starts the pending compaction on a copy of the live context. */
  void startCompaction(ConversationState s, PendingCompaction pending, ModelCatalog.Entry model) {
    if (compactor != null) return;
    ContextBudget budget = rt.context().budget(model.contextWindowTokens());
    String upstream = model.endpoint().model();
    String prompt = s.context().prompt() == null ? null : s.context().prompt().text();
    long fixed = meter.fixed(upstream, prompt, rt.toolSpecsFor(model.alias()));
    List<ChatMessage> transcript = List.copyOf(s.transcript());
    long target = pending.reason() == CompactionReason.MANUAL || pending.reason() == CompactionReason.IDLE
        ? budget.minimumFor(rt.context().idle().minRatio())
        : budget.threshold();
    List<String> tasks = new java.util.ArrayList<>(rt.resources().of(conversationId).find(TurnProcesses.class)
        .map(TurnProcesses::describeRunning).orElse(List.of()));
    rt.resources().of(conversationId).find(partyclaw.tools.download.DownloadRegistry.class)
        .ifPresent(d -> tasks.addAll(d.describeRunning()));
    rt.resources().of(conversationId).find(partyclaw.tools.dsl.DslRegistry.class)
        .ifPresent(d -> tasks.addAll(d.describeRunning()));
    Path memoryRoot = rt.context().memoryMode() == MemoryMode.LAYERED
        ? rt.layout().conversationMemory(conversationId) : null;
    Compactor.Job job = new Compactor.Job(pending.compactionId(), pending.at(), conversationId, transcript,
        meter.tokens(transcript), fixed, meter.factor(upstream), budget, target, rt.context().memoryMode(), tasks,
        model, rt.chat(), meter.estimator(upstream), memoryRoot, blocking);
    compactorFor = pending.compactionId();
    ctx.getLog().info("conversation {}: compaction {} starts ({}, {} messages)", conversationId,
        pending.compactionId(), pending.reason().wire(), transcript.size());
    compactor = ctx.spawnAnonymous(Compactor.create(job, ctx.getSelf(),
        result -> new ConversationEntity.CompactionFinished(pending.compactionId(), result)));
    // A compactor that dies without reporting (a defect) must not leave the conversation waiting for it forever;
    // after a normal report this arrives second and is ignored.
    ctx.watchWith(compactor, new ConversationEntity.CompactionFinished(pending.compactionId(),
        new Compactor.Failed("the compaction stopped unexpectedly; see the log")));
  }

  /** The compaction reported; {@code false} when the report is from a compaction this incarnation did not start. */
  boolean compactionEnded(String compactionId, ConversationState s, boolean shrank) {
    if (!compactionId.equals(compactorFor)) return false;
    compactor = null;
    compactorFor = null;
    if (!shrank && s.turn() != null) thresholdSkippedFor = s.turn().turnId();
    return true;
  }

  void forget(ConversationState s) {
    meter.retainOnly(s.transcript());
  }
}
