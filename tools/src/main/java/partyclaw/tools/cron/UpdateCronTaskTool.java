package partyclaw.tools.cron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import partyclaw.core.cron.CronTask;
import partyclaw.core.cron.CronTasks;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/**
 * {@code update_cron_task} (tools.md §4.5), changing only the fields given: unlike the reference, a checker field
 * alone does not clear the checker, and a schedule or time-zone change does not replay past times.
 */
public final class UpdateCronTaskTool implements Tool {
  private final Clock clock;

  public UpdateCronTaskTool() {
    this(Clock.systemUTC());
  }

  public UpdateCronTaskTool(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "update_cron_task";
  }

  @Override
  public String description() {
    return "Change a scheduled task of this conversation. Only the fields given change. A new schedule needs all six "
        + "cron fields together (cron_year optional; leaving it out removes the year); the next run is then "
        + "computed from now, past times are not replayed. " + CronToolSupport.SCHEDULE_HELP
        + " checker_command, checker_timeout_seconds and checker_cwd change the checker (checker_command adds one); "
        + "clear_checker: true removes it. " + CronToolSupport.MISSED_HELP + " Returns the task.";
  }

  @Override
  public ObjectNode parameters() {
    return CronToolSupport.taskProperties(Schema.object().string("id", "Task id (UUID)."))
        .bool("clear_checker", "Remove the checker.")
        .required("id")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    CronTasks tasks = CronToolSupport.port(ctx);
    String id = CronToolSupport.id(args);
    CronTask.Patch.Builder p = CronTask.Patch.builder()
        .name(CronToolSupport.optNonEmpty(args, "name"))
        .description(CronToolSupport.optNonEmpty(args, "description"))
        .second(CronToolSupport.optNonEmpty(args, "cron_second"))
        .minute(CronToolSupport.optNonEmpty(args, "cron_minute"))
        .hour(CronToolSupport.optNonEmpty(args, "cron_hour"))
        .dayOfMonth(CronToolSupport.optNonEmpty(args, "cron_day_of_month"))
        .month(CronToolSupport.optNonEmpty(args, "cron_month"))
        .dayOfWeek(CronToolSupport.optNonEmpty(args, "cron_day_of_week"))
        .year(CronToolSupport.optNonEmpty(args, "cron_year"))
        .timezone(CronToolSupport.optNonEmpty(args, "timezone"))
        .prompt(CronToolSupport.optNonEmpty(args, "task"))
        .model(CronToolSupport.optNonEmpty(args, "model"))
        .enabled(Args.has(args, "enabled") ? Args.optBoolean(args, "enabled", true) : null)
        .checkerCommand(CronToolSupport.optNonEmpty(args, "checker_command"))
        .checkerTimeoutSeconds(CronToolSupport.optTimeout(args))
        .checkerCwd(CronToolSupport.checkedCwd(args, ctx))
        .clearChecker(Args.optBoolean(args, "clear_checker", false))
        .missedRuns(CronToolSupport.optMissedRuns(args))
        .runMode(CronToolSupport.optNonEmpty(args, "run"))
        .sink(CronToolSupport.optNonEmpty(args, "sink"));
    CronTask.Patch patch = p.build();
    CronTask t = CronToolSupport.call(() -> tasks.update(ctx.conversationId(), id, patch));
    return t.view(clock.instant());
  }
}
