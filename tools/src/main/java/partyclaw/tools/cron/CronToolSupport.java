package partyclaw.tools.cron;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import partyclaw.core.cron.CheckerRunner;
import partyclaw.core.cron.CronTasks;
import partyclaw.core.cron.CronRun;
import partyclaw.core.cron.MissedRuns;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/** What the five cron tools share: the port, argument reading, schema pieces, errors as tool errors. */
final class CronToolSupport {
  static final String[] CRON_FIELDS = {"cron_second", "cron_minute", "cron_hour", "cron_day_of_month", "cron_month",
      "cron_day_of_week"};

  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private CronToolSupport() {}

  static CronTasks port(ToolContext ctx) throws ToolException {
    return ctx.resources().find(CronTasks.class)
        .orElseThrow(() -> new ToolException("cron is not available in this runtime"));
  }

  /** Runs a port call; its one-line validation and not-found errors become tool errors. */
  static <T> T call(Supplier<T> call) throws ToolException {
    try {
      return call.get();
    } catch (IllegalArgumentException e) {
      throw new ToolException(e.getMessage());
    }
  }

  static String id(JsonNode args) throws ToolException {
    if (!Args.has(args, "id")) throw new ToolException("missing required argument: id");
    JsonNode v = args.get("id");
    if (!v.isTextual()) throw new ToolException("id must be a string UUID");
    String id = v.asText().trim();
    if (!UUID_TEXT.matcher(id).matches()) throw new ToolException("id must be a valid UUID");
    return id.toLowerCase(Locale.ROOT);
  }

  /** A present string, trimmed and non-empty; null when absent. */
  static String optNonEmpty(JsonNode args, String key) throws ToolException {
    return Args.has(args, key) ? Args.requireNonEmpty(args, key) : null;
  }

  static Integer optTimeout(JsonNode args) throws ToolException {
    Optional<Long> v = Args.optNonNegativeInt(args, "checker_timeout_seconds");
    return v.map(s -> (int) Math.min(s, Integer.MAX_VALUE)).orElse(null);
  }

  static MissedRuns optMissedRuns(JsonNode args) throws ToolException {
    String v = optNonEmpty(args, "missed_runs");
    if (v == null) return null;
    return call(() -> MissedRuns.parse(v));
  }

  /** Refuses a checker_cwd outside the workspace now rather than at the first run. */
  static String checkedCwd(JsonNode args, ToolContext ctx) throws ToolException {
    String cwd = optNonEmpty(args, "checker_cwd");
    if (cwd != null) call(() -> CheckerRunner.resolveCwd(cwd, ctx.workspaceRoot()));
    return cwd;
  }

  static final String SCHEDULE_HELP = "The schedule is seconds-first: cron_second cron_minute cron_hour "
      + "cron_day_of_month cron_month cron_day_of_week [cron_year], each field given separately and without spaces: "
      + "* (any), a number, a range (1-5), a list (1,15,30), a step (*/10, 0/15, 8-18/2); months 1-12 or JAN-DEC. "
      + "Day of week is 1-7 with Sunday = 1 (Monday = 2 ... Saturday = 7) or SUN-SAT; 0 is not a day. "
      + "A day must match both cron_day_of_month and cron_day_of_week (use * or ? for the one you do not restrict). "
      + "Example, weekdays at 09:30:00: cron_second 0, cron_minute 30, cron_hour 9, cron_day_of_month *, "
      + "cron_month *, cron_day_of_week MON-FRI (or 2-6). Times are in timezone (an IANA name, default "
      + "Asia/Shanghai).";

  static final String CHECKER_HELP = "Optional checker: a shell command (sh -c) run in the conversation workspace "
      + "before each run: exit 0 runs the task, non-zero skips this time, a failure to start or a timeout runs it "
      + "anyway; past checker_timeout_seconds its processes are killed.";

  static final String MISSED_HELP = "missed_runs: run_once (default: after the runtime was down, run once for all "
      + "the times missed) or skip (times missed by more than a few seconds are dropped). A run is never started "
      + "while the previous run of the task is still going.";

  /** The schedule, prompt and checker properties create and update share. */
  static Schema taskProperties(Schema s) {
    return s.string("name", "Short name of the task.")
        .string("description", "What the task is for.")
        .string("cron_second", "Seconds field, 0-59.")
        .string("cron_minute", "Minutes field, 0-59.")
        .string("cron_hour", "Hours field, 0-23.")
        .string("cron_day_of_month", "Day-of-month field, 1-31, or ? / *.")
        .string("cron_month", "Month field, 1-12 or JAN-DEC.")
        .string("cron_day_of_week", "Day-of-week field, 1-7 with Sunday = 1, or SUN-SAT (e.g. MON-FRI), or ? / *.")
        .string("cron_year", "Optional year field, 1970-2100.")
        .string("timezone", "IANA time zone, e.g. Asia/Shanghai (default), Europe/Berlin, UTC.")
        .string("task", "The prompt the background agent is given at each run.")
        .string("model", "Model key for the background agent; default the conversation's current main model.")
        .bool("enabled", "Whether the task runs on its schedule.")
        .string("checker_command", "Shell command run before each run; exit 0 = run, non-zero = skip this time.")
        .integer("checker_timeout_seconds", "Checker timeout in seconds (default 30, greater than 0).")
        .string("checker_cwd", "Checker working directory inside the conversation workspace (default its root).")
        .stringEnum("missed_runs", "run_once (default) or skip.", "run_once", "skip")
        .stringEnum("run", "agent (default): a background agent works on the task and reports; prompt: the task is"
            + " sent into this conversation as a message for you to answer.", "agent", "prompt")
        .string("sink", "For run agent: where the report goes, as start_background_agent's sink (default this"
            + " conversation).");
  }

  /** The run mode and sink of a new task; null when neither is given (the default: an agent reporting here). */
  static CronRun optRun(JsonNode args) throws ToolException {
    String mode = optNonEmpty(args, "run");
    String sink = optNonEmpty(args, "sink");
    if (mode == null && sink == null) return null;
    return call(() -> new CronRun(mode, sink));
  }
}
