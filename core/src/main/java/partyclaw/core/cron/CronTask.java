package partyclaw.core.cron;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A scheduled background-agent run that belongs to the conversation that created it (runtime.md §6, with the
 * departures agreed for partyclaw). Immutable; every change makes a new value, so the runtime can journal it.
 *
 * @param id a UUID
 * @param prompt what the background agent is asked to do (the tools' {@code task})
 * @param scheduleFrom occurrences at or before this instant never fire: the creation time, moved to the time of
 *     a schedule or time-zone edit and of re-enabling, so that none of these replays history
 * @param lastScheduledFor the occurrence most recently fired or consumed
 */
public record CronTask(
    String id,
    String conversationId,
    String name,
    String description,
    CronFields cron,
    String timezone,
    String prompt,
    String modelKey,
    boolean enabled,
    Checker checker,
    MissedRuns missedRuns,
    Instant createdAt,
    Instant updatedAt,
    Instant scheduleFrom,
    Instant lastScheduledFor,
    Instant lastCheckedAt,
    String lastCheckOutcome,
    Instant lastTriggeredAt,
    String lastTriggerOutcome,
    CronRun run) {

  /** The backend the background agent runs on; partyclaw has one. */
  public static final String AGENT_BACKEND = "agent_frame";

  public CronTask {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(cron, "cron");
    Objects.requireNonNull(createdAt, "createdAt");
    timezone = timezone == null ? CronSchedule.DEFAULT_TIMEZONE : timezone;
    missedRuns = missedRuns == null ? MissedRuns.RUN_ONCE : missedRuns;
    updatedAt = updatedAt == null ? createdAt : updatedAt;
    scheduleFrom = scheduleFrom == null ? createdAt : scheduleFrom;
  }

  /** A task without a run: it fires as the reference's background agent, reporting to its conversation. */
  public CronTask(String id, String conversationId, String name, String description, CronFields cron,
      String timezone, String prompt, String modelKey, boolean enabled, Checker checker, MissedRuns missedRuns,
      Instant createdAt, Instant updatedAt, Instant scheduleFrom, Instant lastScheduledFor, Instant lastCheckedAt,
      String lastCheckOutcome, Instant lastTriggeredAt, String lastTriggerOutcome) {
    this(id, conversationId, name, description, cron, timezone, prompt, modelKey, enabled, checker, missedRuns,
        createdAt, updatedAt, scheduleFrom, lastScheduledFor, lastCheckedAt, lastCheckOutcome, lastTriggeredAt,
        lastTriggerOutcome, CronRun.DEFAULT);
  }

  /** What firing does; a task journaled before runs existed fires as a prompt, as it did then. */
  public CronRun runOrLegacy() {
    return run == null ? CronRun.LEGACY : run;
  }

  /**
   * What a new task is made of. {@code timezone} null = Asia/Shanghai, {@code enabled} null = true,
   * {@code checker} null = none, {@code missedRuns} null = run once.
   */
  public record Draft(String name, String description, CronFields cron, String timezone, String prompt,
      String modelKey, Boolean enabled, Checker checker, MissedRuns missedRuns, CronRun run) {
    public Draft(String name, String description, CronFields cron, String timezone, String prompt, String modelKey,
        Boolean enabled, Checker checker, MissedRuns missedRuns) {
      this(name, description, cron, timezone, prompt, modelKey, enabled, checker, missedRuns, null);
    }
  }

  /**
   * A change to a task: every null (or false {@code clearChecker}) field stays as it is. The six cron fields come
   * together or not at all ({@code year} only with them; leaving it out with them removes the year).
   */
  public record Patch(String name, String description, String second, String minute, String hour,
      String dayOfMonth, String month, String dayOfWeek, String year, String timezone, String prompt, String model,
      Boolean enabled, String checkerCommand, Integer checkerTimeoutSeconds, String checkerCwd, boolean clearChecker,
      MissedRuns missedRuns, String runMode, String sink) {

    public static Builder builder() {
      return new Builder();
    }

    boolean isEmpty() {
      return equals(new Builder().build());
    }

    /** Sets only what is given. */
    public static final class Builder {
      private String name;
      private String description;
      private String[] cron = new String[6];
      private String year;
      private String timezone;
      private String prompt;
      private String model;
      private Boolean enabled;
      private String checkerCommand;
      private Integer checkerTimeoutSeconds;
      private String checkerCwd;
      private boolean clearChecker;
      private MissedRuns missedRuns;
      private String runMode;
      private String sink;

      public Builder name(String v) { name = v; return this; }
      public Builder description(String v) { description = v; return this; }
      public Builder second(String v) { cron[0] = v; return this; }
      public Builder minute(String v) { cron[1] = v; return this; }
      public Builder hour(String v) { cron[2] = v; return this; }
      public Builder dayOfMonth(String v) { cron[3] = v; return this; }
      public Builder month(String v) { cron[4] = v; return this; }
      public Builder dayOfWeek(String v) { cron[5] = v; return this; }
      public Builder year(String v) { year = v; return this; }

      /** All six fields at once. */
      public Builder schedule(String second, String minute, String hour, String dayOfMonth, String month,
          String dayOfWeek) {
        cron = new String[] {second, minute, hour, dayOfMonth, month, dayOfWeek};
        return this;
      }

      public Builder timezone(String v) { timezone = v; return this; }
      public Builder prompt(String v) { prompt = v; return this; }
      public Builder model(String v) { model = v; return this; }
      public Builder enabled(Boolean v) { enabled = v; return this; }
      public Builder checkerCommand(String v) { checkerCommand = v; return this; }
      public Builder checkerTimeoutSeconds(Integer v) { checkerTimeoutSeconds = v; return this; }
      public Builder checkerCwd(String v) { checkerCwd = v; return this; }
      public Builder clearChecker(boolean v) { clearChecker = v; return this; }
      public Builder missedRuns(MissedRuns v) { missedRuns = v; return this; }
      public Builder runMode(String v) { runMode = v; return this; }
      public Builder sink(String v) { sink = v; return this; }

      public Patch build() {
        return new Patch(name, description, cron[0], cron[1], cron[2], cron[3], cron[4], cron[5], year, timezone,
            prompt, model, enabled, checkerCommand, checkerTimeoutSeconds, checkerCwd, clearChecker, missedRuns,
            runMode, sink);
      }
    }
  }

  /**
   * A validated new task.
   *
   * @throws IllegalArgumentException one line naming the argument that is wrong
   */
  public static CronTask create(String id, String conversationId, Draft d, Instant now) {
    String name = nonEmpty("name", d.name());
    String description = nonEmpty("description", d.description());
    String prompt = nonEmpty("task", d.prompt());
    if (d.modelKey() == null || d.modelKey().isBlank()) throw new IllegalArgumentException("no main model selected");
    if (d.cron() == null) throw new IllegalArgumentException("cron_second must be a non-empty string");
    String timezone = d.timezone() == null ? CronSchedule.DEFAULT_TIMEZONE : d.timezone();
    d.cron().schedule(timezone);
    return new CronTask(id, conversationId, name, description, d.cron(), timezone, prompt, d.modelKey().trim(),
        d.enabled() == null || d.enabled(), d.checker(), d.missedRuns(), now, now, now, null, null, null, null, null,
        d.run() == null ? CronRun.DEFAULT : d.run());
  }

  /**
   * This task with {@code p} applied at {@code now}. Only the given fields change. A schedule or time-zone edit
   * and re-enabling move {@link #scheduleFrom} to {@code now}: the next run is computed from now, nothing missed
   * before is replayed.
   *
   * @throws IllegalArgumentException one line naming the argument that is wrong
   */
  public CronTask apply(Patch p, Instant now) {
    if (p.isEmpty()) {
      throw new IllegalArgumentException("nothing to update: give at least one field to change besides id");
    }
    CronFields newCron = patchedCron(p);
    String newZone = p.timezone() == null ? timezone : p.timezone();
    boolean rescheduled = newCron != cron || p.timezone() != null;
    if (rescheduled) newCron.schedule(newZone);
    boolean newEnabled = p.enabled() == null ? enabled : p.enabled();
    boolean reanchor = rescheduled || (newEnabled && !enabled);
    return new CronTask(id, conversationId,
        p.name() == null ? name : nonEmpty("name", p.name()),
        p.description() == null ? description : nonEmpty("description", p.description()),
        newCron, newZone,
        p.prompt() == null ? prompt : nonEmpty("task", p.prompt()),
        p.model() == null ? modelKey : nonEmpty("model", p.model()),
        newEnabled, patchedChecker(p),
        p.missedRuns() == null ? missedRuns : p.missedRuns(),
        createdAt, now, reanchor ? now : scheduleFrom,
        lastScheduledFor, lastCheckedAt, lastCheckOutcome, lastTriggeredAt, lastTriggerOutcome, patchedRun(p));
  }

  private CronRun patchedRun(Patch p) {
    if (p.runMode() == null && p.sink() == null) return run;
    CronRun current = runOrLegacy();
    String mode = p.runMode() != null ? p.runMode() : current.mode();
    // Switching to prompt drops the sink, which only agents have.
    String sink = p.sink() != null ? p.sink() : CronRun.PROMPT.equals(mode) ? null : current.sink();
    return new CronRun(mode, sink);
  }

  private CronFields patchedCron(Patch p) {
    String[] given = {p.second(), p.minute(), p.hour(), p.dayOfMonth(), p.month(), p.dayOfWeek()};
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < given.length; i++) {
      if (given[i] == null) missing.add(CronSchedule.FIELD_NAMES.get(i));
    }
    if (missing.size() == given.length) {
      if (p.year() != null) {
        throw new IllegalArgumentException("cron_year can only be changed together with all six cron fields "
            + "(cron_second, cron_minute, cron_hour, cron_day_of_month, cron_month, cron_day_of_week)");
      }
      return cron;
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("a schedule change needs all six cron fields (cron_second, cron_minute, "
          + "cron_hour, cron_day_of_month, cron_month, cron_day_of_week); missing: " + String.join(", ", missing));
    }
    return new CronFields(p.second(), p.minute(), p.hour(), p.dayOfMonth(), p.month(), p.dayOfWeek(), p.year());
  }

  private Checker patchedChecker(Patch p) {
    boolean anyField = p.checkerCommand() != null || p.checkerTimeoutSeconds() != null || p.checkerCwd() != null;
    if (p.clearChecker()) {
      if (anyField) {
        throw new IllegalArgumentException(
            "clear_checker cannot be combined with checker_command, checker_timeout_seconds or checker_cwd");
      }
      return null;
    }
    if (!anyField) return checker;
    if (checker == null && p.checkerCommand() == null) {
      throw new IllegalArgumentException("this task has no checker: give checker_command to add one "
          + "(checker_timeout_seconds and checker_cwd alone change an existing checker)");
    }
    String command = p.checkerCommand() != null ? p.checkerCommand() : checker.command();
    int timeout = p.checkerTimeoutSeconds() != null ? p.checkerTimeoutSeconds()
        : checker != null ? checker.timeoutSeconds() : Checker.DEFAULT_TIMEOUT_SECONDS;
    String cwd = p.checkerCwd() != null ? p.checkerCwd() : checker != null ? checker.cwd() : null;
    return new Checker(command, timeout, cwd);
  }

  private static String nonEmpty(String key, String value) {
    if (value == null || value.isBlank()) throw new IllegalArgumentException(key + " must be a non-empty string");
    return value.trim();
  }

  /** The parsed schedule in the task's zone. */
  public CronSchedule schedule() {
    return cron.schedule(timezone);
  }

  /** The occurrence {@code at} was fired or consumed. */
  public CronTask withLastScheduledFor(Instant at) {
    return new CronTask(id, conversationId, name, description, cron, timezone, prompt, modelKey, enabled, checker,
        missedRuns, createdAt, updatedAt, scheduleFrom, at, lastCheckedAt, lastCheckOutcome, lastTriggeredAt,
        lastTriggerOutcome, run);
  }

  /** The checker ran at {@code at} with {@code outcome} ({@link CheckOutcome#text()}). */
  public CronTask withCheck(Instant at, String outcome) {
    return new CronTask(id, conversationId, name, description, cron, timezone, prompt, modelKey, enabled, checker,
        missedRuns, createdAt, updatedAt, scheduleFrom, lastScheduledFor, at, outcome, lastTriggeredAt,
        lastTriggerOutcome, run);
  }

  /** A run was started at {@code at}, or its outcome became known ({@code running:<id>}, {@code completed}, ...). */
  public CronTask withTrigger(Instant at, String outcome) {
    return new CronTask(id, conversationId, name, description, cron, timezone, prompt, modelKey, enabled, checker,
        missedRuns, createdAt, updatedAt, scheduleFrom, lastScheduledFor, lastCheckedAt, lastCheckOutcome, at,
        outcome, run);
  }

  /**
   * The task as the tools show it: tools.md §4.5's view plus {@code task}, {@code missed_runs} and
   * {@code next_run_at} (null when disabled). Times are ISO-8601 in the task's zone.
   */
  public JsonNode view(Instant now) {
    return CronTaskView.render(this, now);
  }
}
