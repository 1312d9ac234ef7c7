package partyclaw.tools.cron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import partyclaw.core.cron.CronTasks;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Schema;

/** {@code get_cron_task} (tools.md §4.5): one task of this conversation. */
public final class GetCronTaskTool implements Tool {
  private final Clock clock;

  public GetCronTaskTool() {
    this(Clock.systemUTC());
  }

  public GetCronTaskTool(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "get_cron_task";
  }

  @Override
  public String description() {
    return "Show one scheduled task of this conversation: schedule, prompt, checker, next_run_at and how its last "
        + "check and run went.";
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
    return CronToolSupport.call(() -> tasks.get(ctx.conversationId(), id).orElseThrow(() -> CronTasks.notFound(id)))
        .view(clock.instant());
  }
}
