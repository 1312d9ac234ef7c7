package partyclaw.actors.conversation;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.conversation.ConversationEntity.Command;
import partyclaw.actors.conversation.ConversationEntity.CronCheckFinished;
import partyclaw.actors.conversation.ConversationEntity.CronTaskRemoved;
import partyclaw.actors.conversation.ConversationEntity.CronTaskSaved;
import partyclaw.actors.conversation.ConversationEntity.CronTick;
import partyclaw.actors.conversation.ConversationEntity.Event;
import partyclaw.actors.conversation.ConversationEntity.ManageCron;
import partyclaw.core.cron.CheckOutcome;
import partyclaw.core.cron.CheckerRunner;
import partyclaw.core.cron.CronPlanner;
import partyclaw.core.cron.CronTask;
import partyclaw.core.cron.CronTasks;
import partyclaw.core.sandbox.Sandbox;
import partyclaw.core.sandbox.SandboxMode;
import partyclaw.tools.sandbox.SandboxLauncher;

/**
 * A conversation's cron tasks (runtime.md §6, with the departures of issue 18): kept in its journal, scoped to it,
 * fired by a timer of its own. A conversation with an enabled task stays awake and in the active set, so its tasks
 * fire while nobody talks to it and after a restart (missed runs follow the task's {@code missed_runs}). When a
 * task is due, the occurrence is journaled first (a crash never fires it twice), the checker runs in the
 * conversation's sandbox on the blocking pool, and the prompt enters the conversation as a message of its own.
 */
final class CronHandlers {
  /** Checked at least this often, so a clock change or a long sleep never strands a task. */
  static final Duration MAX_TIMER = Duration.ofMinutes(10);
  static final String MESSAGE_PREFIX = "cron:";

  private final String conversationId;
  private final ConversationRuntime rt;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Executor blocking;
  private final Supplier<EffectFactories<Event, ConversationState>> effects;
  private final Consumer<ConversationState> afterChange;
  private final java.util.function.Function<ConversationState, Path> workspace;

  CronHandlers(String conversationId, ConversationRuntime rt, ActorContext<Command> ctx, TimerScheduler<Command> timers,
      Executor blocking, Supplier<EffectFactories<Event, ConversationState>> effects,
      Consumer<ConversationState> afterChange, java.util.function.Function<ConversationState, Path> workspace) {
    this.conversationId = conversationId;
    this.rt = rt;
    this.ctx = ctx;
    this.timers = timers;
    this.blocking = blocking;
    this.effects = effects;
    this.afterChange = afterChange;
    this.workspace = workspace;
  }

  /** The tools' requests ({@link EntityCronTasks}): validated here, journaled, answered with the task(s). */
  ReplyEffect<Event, ConversationState> onManage(ConversationState s, ManageCron c) {
    Instant now = Instant.now();
    ActorRef<StatusReply<List<CronTask>>> replyTo = c.replyTo();
    try {
      if (c.op() instanceof ManageCron.ListTasks) {
        return effects.get().reply(replyTo, StatusReply.success(s.cronTasks()));
      }
      if (c.op() instanceof ManageCron.Create create) {
        CronTask task = CronTask.create(UUID.randomUUID().toString(), conversationId, create.draft(), now);
        return saved(new CronTaskSaved(task), task, replyTo);
      }
      if (c.op() instanceof ManageCron.Update update) {
        CronTask updated = find(s, update.id()).apply(update.patch(), now);
        return saved(new CronTaskSaved(updated), updated, replyTo);
      }
      ManageCron.Remove remove = (ManageCron.Remove) c.op();
      CronTask old = find(s, remove.id());
      return saved(new CronTaskRemoved(old.id()), old, replyTo);
    } catch (IllegalArgumentException e) {
      return effects.get().reply(replyTo, StatusReply.error(e.getMessage()));
    }
  }

  private ReplyEffect<Event, ConversationState> saved(Event event, CronTask task,
      ActorRef<StatusReply<List<CronTask>>> replyTo) {
    return effects.get().persist(event).thenRun(afterChange::accept)
        .thenReply(replyTo, st -> StatusReply.success(List.of(task)));
  }

  private static CronTask find(ConversationState s, String id) {
    return s.cronTasks().stream().filter(t -> t.id().equals(id)).findFirst()
        .orElseThrow(() -> CronTasks.notFound(id));
  }

  /** Due tasks: each occurrence is journaled as settled before anything runs. */
  ReplyEffect<Event, ConversationState> onTick(ConversationState s) {
    Instant now = Instant.now();
    List<Event> events = new ArrayList<>();
    List<CronPlanner.Decision> firing = new ArrayList<>();
    List<CronTask> tasks = new ArrayList<>();
    for (CronTask t : s.cronTasks()) {
      CronPlanner.Decision d = CronPlanner.due(t, now, running(s, t));
      if (d.action() == CronPlanner.Action.NONE) continue;
      CronTask settled = d.applyTo(t);
      events.add(new CronTaskSaved(settled));
      if (d.fires()) {
        firing.add(d);
        tasks.add(settled);
      } else {
        ctx.getLog().info("conversation {}: cron task {} skips {} ({})", conversationId, t.id(), d.scheduledFor(),
            d.skipReason());
      }
    }
    return effects.get().persist(events)
        .thenRun(st -> {
          for (int i = 0; i < tasks.size(); i++) check(st, tasks.get(i), firing.get(i).scheduledFor());
        })
        .thenRun(afterChange::accept).thenNoReply();
  }

  /**
   * A run is still going when the task fired after the conversation's last turn ended and the conversation is
   * busy: its message is queued or its turn runs (the reference's "no overlap").
   */
  static boolean running(ConversationState s, CronTask t) {
    Instant last = s.context().lastAgentActivityAt();
    return s.busy() && t.lastTriggeredAt() != null && (last == null || t.lastTriggeredAt().isAfter(last));
  }

  /** Runs the checker (if any) on the blocking pool, in the conversation's sandbox and workspace. */
  private void check(ConversationState s, CronTask t, Instant scheduledFor) {
    if (t.checker() == null) {
      ctx.getSelf().tell(new CronCheckFinished(t.id(), scheduledFor, null));
      return;
    }
    Path root = workspace.apply(s);
    Sandbox sandbox = rt.sandbox().sandboxFor(root, s.settings().sandboxMode(),
        s.settings().mounts().stream().map(m -> new partyclaw.core.sandbox.LocalMount(Path.of(m.path()),
            m.readOnly())).toList(), rt.layout());
    Map<String, String> env = rt.processEnvironment();
    ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> runChecker(t, root, sandbox, env), blocking),
        (outcome, error) -> new CronCheckFinished(t.id(), scheduledFor,
            outcome != null ? outcome : CheckOutcome.error(String.valueOf(error))));
  }

  private static CheckOutcome runChecker(CronTask t, Path root, Sandbox sandbox, Map<String, String> env) {
    try {
      java.nio.file.Files.createDirectories(root);
      Path cwd = CheckerRunner.resolveCwd(t.checker().cwd(), root);
      if (sandbox.mode() == SandboxMode.BUBBLEWRAP) SandboxLauncher.prepareWorkspace(sandbox);
      Map<String, String> launchEnv = SandboxLauncher.plan(sandbox, List.of("sh", "-c", "true"), cwd, env).env();
      return CheckerRunner.run(t.checker(), root, launchEnv, argv -> {
        try {
          return SandboxLauncher.plan(sandbox, argv, cwd, env).argv();
        } catch (partyclaw.core.tool.ToolException e) {
          throw new IllegalStateException(e.getMessage(), e);
        }
      });
    } catch (Exception e) {
      return CheckOutcome.error(e.getMessage());
    }
  }

  /**
   * The checker's verdict is journaled; when the task fires, its prompt enters the conversation as a message
   * (deduplicated by occurrence, like any redelivered message).
   */
  ReplyEffect<Event, ConversationState> onCheckFinished(ConversationState s, CronCheckFinished c) {
    Optional<CronTask> task = s.cronTasks().stream().filter(t -> t.id().equals(c.taskId())).findFirst();
    if (task.isEmpty()) return effects.get().noReply();
    Instant now = Instant.now();
    CronTask t = task.get();
    boolean fires = c.outcome() == null || c.outcome().fires();
    if (c.outcome() != null) t = t.withCheck(now, c.outcome().text());
    if (fires) t = t.withTrigger(now, "started a turn in the conversation");
    CronTask recorded = t;
    return effects.get().persist(new CronTaskSaved(recorded))
        .thenRun(st -> {
          if (!fires) return;
          String messageId = MESSAGE_PREFIX + recorded.id() + ":" + c.scheduledFor().toEpochMilli();
          String text = "[Cron Task: " + recorded.name() + "]\n" + recorded.prompt();
          ctx.getSelf().tell(new ConversationEntity.SubmitUserMessage(messageId, "cron", "cron task " + recorded.name(),
              text, ctx.getSystem().ignoreRef()));
        })
        .thenRun(afterChange::accept).thenNoReply();
  }

  /** Sets the timer for the next due task (or none). Runs after every change. */
  void schedule(ConversationState s) {
    Instant now = Instant.now();
    Optional<Instant> next = s.cronTasks().stream()
        .map(t -> CronPlanner.due(t, now, running(s, t)).action() != CronPlanner.Action.NONE
            ? Optional.of(now) : CronPlanner.nextRun(t, now))
        .flatMap(Optional::stream).min(Instant::compareTo);
    if (next.isEmpty()) {
      timers.cancel(CronTick.class);
      return;
    }
    Duration delay = Duration.between(now, next.get());
    if (delay.isNegative()) delay = Duration.ZERO;
    if (delay.compareTo(MAX_TIMER) > 0) delay = MAX_TIMER;
    timers.startSingleTimer(CronTick.class, new CronTick(), delay);
  }
}
