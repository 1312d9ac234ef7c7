package partyclaw.tools.cron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import partyclaw.core.cron.CronTask;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Schema;

/** {@code list_cron_tasks} (tools.md §4.5): this conversation's tasks, oldest first, with next_run_at. */
public final class ListCronTasksTool implements Tool {
  private final Clock clock;

  public ListCronTasksTool() {
    this(Clock.systemUTC());
  }

  public ListCronTasksTool(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "list_cron_tasks";
  }

  @Override
  public String description() {
    return "List the scheduled tasks of this conversation, oldest first, each with next_run_at (null when disabled).";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object().build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    Instant now = clock.instant();
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (CronTask t : CronToolSupport.port(ctx).list(ctx.conversationId())) out.add(t.view(now));
    return out;
  }
}
