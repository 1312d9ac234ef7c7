package partyclaw.core.cron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import partyclaw.core.json.Json;

/** Renders a task as the cron tools return it; absent values are JSON nulls so the shape never changes. */
final class CronTaskView {
  private CronTaskView() {}

  static JsonNode render(CronTask t, Instant now) {
    CronSchedule schedule = t.schedule();
    ZoneId zone = schedule.zone();
    ObjectNode v = Json.object();
    v.put("id", t.id());
    v.put("name", t.name());
    v.put("description", t.description());
    v.put("schedule", schedule.expression());
    v.put("timezone", t.timezone());
    v.put("agent_backend", CronTask.AGENT_BACKEND);
    v.put("model_key", t.modelKey());
    v.put("task", t.prompt());
    v.put("enabled", t.enabled());
    v.put("missed_runs", t.missedRuns().wireName());
    v.put("run", t.runOrLegacy().mode());
    v.put("sink", t.runOrLegacy().sink());
    if (t.checker() == null) {
      v.putNull("checker");
    } else {
      ObjectNode c = v.putObject("checker");
      c.put("command", t.checker().command());
      c.put("timeout_seconds", t.checker().timeoutSeconds());
      c.put("cwd", t.checker().cwd());
    }
    v.put("created_at", iso(t.createdAt(), zone));
    v.put("updated_at", iso(t.updatedAt(), zone));
    v.put("next_run_at", CronPlanner.nextRun(t, now).map(i -> iso(i, zone)).orElse(null));
    v.put("last_scheduled_for", iso(t.lastScheduledFor(), zone));
    v.put("last_checked_at", iso(t.lastCheckedAt(), zone));
    v.put("last_check_outcome", t.lastCheckOutcome());
    v.put("last_triggered_at", iso(t.lastTriggeredAt(), zone));
    v.put("last_trigger_outcome", t.lastTriggerOutcome());
    return v;
  }

  /** ISO-8601 with the offset of the task's zone, e.g. {@code 2024-01-08T09:00:00+08:00}; null stays null. */
  static String iso(Instant i, ZoneId zone) {
    return i == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(i.atZone(zone));
  }
}
