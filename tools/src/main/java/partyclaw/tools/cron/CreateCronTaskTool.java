package partyclaw.tools.cron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import partyclaw.core.cron.Checker;
import partyclaw.core.cron.CronFields;
import partyclaw.core.cron.CronTask;
import partyclaw.core.cron.CronTasks;
import partyclaw.core.cron.MissedRuns;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/** {@code create_cron_task} (tools.md §4.5): a task of this conversation; the result is its view. */
public final class CreateCronTaskTool implements Tool {
  private final Clock clock;

  public CreateCronTaskTool() {
    this(Clock.systemUTC());
  }

  public CreateCronTaskTool(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "create_cron_task";
  }

  @Override
  public String description() {
    return "Create a scheduled task of this conversation: at each time of its schedule a background agent is started "
        + "with task as its prompt, using the conversation's current main model, and its result is delivered here. "
        + CronToolSupport.SCHEDULE_HELP + " " + CronToolSupport.CHECKER_HELP + " " + CronToolSupport.MISSED_HELP
        + " Returns the task, with next_run_at.";
  }

  @Override
  public ObjectNode parameters() {
    return CronToolSupport.taskProperties(Schema.object())
        .required("name", "description", "cron_second", "cron_minute", "cron_hour", "cron_day_of_month",
            "cron_month", "cron_day_of_week", "task")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    CronTasks tasks = CronToolSupport.port(ctx);
    String name = Args.requireNonEmpty(args, "name");
    String description = Args.requireNonEmpty(args, "description");
    String[] f = new String[6];
    for (int i = 0; i < f.length; i++) f[i] = Args.requireNonEmpty(args, CronToolSupport.CRON_FIELDS[i]);
    CronFields cron = new CronFields(f[0], f[1], f[2], f[3], f[4], f[5], CronToolSupport.optNonEmpty(args, "cron_year"));
    String timezone = CronToolSupport.optNonEmpty(args, "timezone");
    String prompt = Args.requireNonEmpty(args, "task");
    String model = CronToolSupport.optNonEmpty(args, "model");
    if (model == null) model = ctx.currentModel();
    if (model == null || model.isBlank()) throw new ToolException("no main model selected");
    boolean enabled = Args.optBoolean(args, "enabled", true);
    Checker checker = checker(args, ctx);
    MissedRuns missed = CronToolSupport.optMissedRuns(args);
    CronTask.Draft draft = new CronTask.Draft(name, description, cron, timezone, prompt, model, enabled, checker,
        missed, CronToolSupport.optRun(args));
    CronTask t = CronToolSupport.call(() -> tasks.create(ctx.conversationId(), draft));
    return t.view(clock.instant());
  }

  private static Checker checker(JsonNode args, ToolContext ctx) throws ToolException {
    String command = CronToolSupport.optNonEmpty(args, "checker_command");
    Integer timeout = CronToolSupport.optTimeout(args);
    String cwd = CronToolSupport.checkedCwd(args, ctx);
    if (command == null) {
      if (timeout != null || cwd != null) {
        throw new ToolException("checker_timeout_seconds and checker_cwd need checker_command");
      }
      return null;
    }
    int seconds = timeout == null ? Checker.DEFAULT_TIMEOUT_SECONDS : timeout;
    return CronToolSupport.call(() -> new Checker(command, seconds, cwd));
  }
}
