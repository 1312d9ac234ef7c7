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
import partyclaw.tools.support.Schema;

/** {@code remove_cron_task} (tools.md §4.5): removes a task of this conversation and returns what it was. */
public final class RemoveCronTaskTool implements Tool {
  private final Clock clock;

  public RemoveCronTaskTool() {
    this(Clock.systemUTC());
  }

  public RemoveCronTaskTool(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "remove_cron_task";
  }

  @Override
  public String description() {
    return "Remove a scheduled task of this conversation; a run already going is not stopped. Returns the removed "
        + "task.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object().string("id", "Task id (UUID).").required("id").build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    CronTasks tasks = CronToolSupport.port(ctx);
    String id = CronToolSupport.id(args);
    CronTask t = CronToolSupport.call(() -> tasks.remove(ctx.conversationId(), id));
    return t.view(clock.instant());
  }
}
