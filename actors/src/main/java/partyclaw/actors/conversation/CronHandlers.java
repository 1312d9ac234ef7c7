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
import partyclaw.core.agents.ReportSink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
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
  private final BackgroundAgentHandlers background;

  CronHandlers(String conversationId, ConversationRuntime rt, ActorContext<Command> ctx, TimerScheduler<Command> timers,
      Executor blocking, Supplier<EffectFactories<Event, ConversationState>> effects,
      Consumer<ConversationState> afterChange, java.util.function.Function<ConversationState, Path> workspace,
      BackgroundAgentHandlers background) {
    this.conversationId = conversationId;
    this.rt = rt;
    this.ctx = ctx;
    this.timers = timers;
    this.blocking = blocking;
    this.effects = effects;
    this.afterChange = afterChange;
    this.workspace = workspace;
    this.background = background;
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
        CronTask task = checkSink(CronTask.create(UUID.randomUUID().toString(), conversationId, create.draft(), now));
        return saved(new CronTaskSaved(task), task, replyTo);
      }
      if (c.op() instanceof ManageCron.Update update) {
        CronTask updated = checkSink(find(s, update.id()).apply(update.patch(), now));
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

  /** A sink is checked when the task is saved, under the same consent rules as start_background_agent's. */
  private CronTask checkSink(CronTask task) {
    ReportSink.parse(sinkArgument(task), conversationId, rt.isOperator(conversationId));
    return task;
  }

  private static JsonNode sinkArgument(CronTask task) {
    String sink = task.runOrLegacy().sink();
    return sink == null ? null : TextNode.valueOf(sink);
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
    if (t.runOrLegacy().agent()) {
      String origin = origin(t);
      return s.background().agents().stream().anyMatch(a -> a.running() && origin.equals(a.origin()));
    }
    Instant last = s.context().lastAgentActivityAt();
    return s.busy() && t.lastTriggeredAt() != null && (last == null || t.lastTriggeredAt().isAfter(last));
  }

  static String origin(CronTask t) {
    return MESSAGE_PREFIX + t.id();
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
   * The checker's verdict is journaled with what firing did: an agent run starts a background agent in the same
   * write; a prompt run enters the conversation as a message of its own (deduplicated by occurrence, like any
   * redelivered message).
   */
  ReplyEffect<Event, ConversationState> onCheckFinished(ConversationState s, CronCheckFinished c) {
    Optional<CronTask> task = s.cronTasks().stream().filter(t -> t.id().equals(c.taskId())).findFirst();
    if (task.isEmpty()) return effects.get().noReply();
    Instant now = Instant.now();
    CronTask t = task.get();
    boolean fires = c.outcome() == null || c.outcome().fires();
    if (c.outcome() != null) t = t.withCheck(now, c.outcome().text());
    if (!fires) return effects.get().persist(new CronTaskSaved(t)).thenRun(afterChange::accept).thenNoReply();
    if (t.runOrLegacy().agent()) {
      BackgroundAgentHandlers.Launch launch;
      try {
        launch = background.prepare(s, t.prompt(), t.modelKey(), sinkArgument(t), origin(t));
      } catch (IllegalArgumentException e) {
        ctx.getLog().warn("conversation {}: cron task {} could not start its agent: {}", conversationId, t.id(),
            e.getMessage());
        return effects.get().persist(new CronTaskSaved(t.withTrigger(now, "failed: " + e.getMessage())))
            .thenRun(afterChange::accept).thenNoReply();
      }
      CronTask started = t.withTrigger(now, "running:" + launch.started().agentId());
      return effects.get().persist(List.of(new CronTaskSaved(started), launch.started()))
          .thenRun(st -> background.launched(st, launch))
          .thenRun(afterChange::accept).thenNoReply();
    }
    CronTask recorded = t.withTrigger(now, "started a turn in the conversation");
    return effects.get().persist(new CronTaskSaved(recorded))
        .thenRun(st -> {
          String messageId = MESSAGE_PREFIX + recorded.id() + ":" + c.scheduledFor().toEpochMilli();
          String text = "[Cron Task: " + recorded.name() + "]\n" + recorded.prompt();
          ctx.getSelf().tell(new ConversationEntity.SubmitUserMessage(messageId, "cron", "cron task " + recorded.name(),
              text, ctx.getSystem().ignoreRef()));
        })
        .thenRun(afterChange::accept).thenNoReply();
  }

  /** The outcome of a cron task's agent run, once the agent finished (tools.md §4.5's names). */
  static Optional<Event> agentFinished(ConversationState s, String origin, String agentId, String state, Instant at) {
    if (origin == null || !origin.startsWith(MESSAGE_PREFIX)) return Optional.empty();
    String taskId = origin.substring(MESSAGE_PREFIX.length());
    String outcome = switch (state) {
      case "bounded" -> "timed_out";
      case BackgroundAgentRecord.TERMINATED -> "terminated_silently";
      default -> state;
    };
    return s.cronTasks().stream().filter(t -> t.id().equals(taskId))
        .filter(t -> ("running:" + agentId).equals(t.lastTriggerOutcome()))
        .findFirst().map(t -> new CronTaskSaved(t.withTrigger(t.lastTriggeredAt(), outcome)));
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
