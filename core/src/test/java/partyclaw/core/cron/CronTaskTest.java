package partyclaw.core.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.core.json.Json;

class CronTaskTest {
  static final String ID = "7f1c2a3b-0000-4000-8000-000000000001";
  static final Instant CREATED = Instant.parse("2024-01-01T00:00:00Z");
  static final Instant NOW = Instant.parse("2024-01-02T00:00:00Z");
  static final CronFields WEEKDAYS = new CronFields("0", "30", "9", "*", "*", "MON-FRI", null);
  static final Checker CHECKER = new Checker("test -f ready", 10, "sub");

  static CronTask.Draft draft(Checker checker) {
    return new CronTask.Draft(" Report ", "daily report", WEEKDAYS, null, "write the report", "main", null, checker,
        null);
  }

  static CronTask base() {
    return CronTask.create(ID, "test:1", draft(CHECKER), CREATED);
  }

  static CronTask.Patch.Builder patch() {
    return CronTask.Patch.builder();
  }

  private static String error(CronTask t, CronTask.Patch p) {
    return assertThrows(IllegalArgumentException.class, () -> t.apply(p, NOW)).getMessage();
  }

  @Test
  void createFillsTheDefaults() {
    CronTask expected = new CronTask(ID, "test:1", "Report", "daily report", WEEKDAYS, "Asia/Shanghai",
        "write the report", "main", true, CHECKER, MissedRuns.RUN_ONCE, CREATED, CREATED, CREATED, null, null, null,
        null, null);
    assertEquals(expected, base());
  }

  @Test
  void createRefusesEmptyTextNoModelAndABadSchedule() {
    assertEquals("name must be a non-empty string", assertThrows(IllegalArgumentException.class, () ->
        CronTask.create(ID, "test:1", new CronTask.Draft(" ", "d", WEEKDAYS, null, "p", "m", null, null, null),
            CREATED)).getMessage());
    assertEquals("task must be a non-empty string", assertThrows(IllegalArgumentException.class, () ->
        CronTask.create(ID, "test:1", new CronTask.Draft("n", "d", WEEKDAYS, null, "", "m", null, null, null),
            CREATED)).getMessage());
    assertEquals("no main model selected", assertThrows(IllegalArgumentException.class, () ->
        CronTask.create(ID, "test:1", new CronTask.Draft("n", "d", WEEKDAYS, null, "p", null, null, null, null),
            CREATED)).getMessage());
    CronFields sunday0 = new CronFields("0", "0", "9", "*", "*", "0", null);
    assertEquals("cron_day_of_week \"0\" is invalid: value 0 not in range [1, 7] (day of week is 1-7 with Sunday = 1 "
        + "(Monday = 2, Saturday = 7) or SUN-SAT)", assertThrows(IllegalArgumentException.class, () ->
        CronTask.create(ID, "test:1", new CronTask.Draft("n", "d", sunday0, null, "p", "m", null, null, null),
            CREATED)).getMessage());
  }

  @Test
  void onlyTheGivenFieldsChange() {
    CronTask t = base().withLastScheduledFor(CREATED.plusSeconds(60)).withCheck(CREATED, "checker_passed");
    CronTask renamed = t.apply(patch().name("Weekly").build(), NOW);
    assertEquals(new CronTask(ID, "test:1", "Weekly", "daily report", WEEKDAYS, "Asia/Shanghai", "write the report",
        "main", true, CHECKER, MissedRuns.RUN_ONCE, CREATED, NOW, CREATED, CREATED.plusSeconds(60), CREATED,
        "checker_passed", null, null), renamed);
    CronTask remodelled = t.apply(patch().model("fast").prompt("shorter").missedRuns(MissedRuns.SKIP).build(), NOW);
    assertEquals(new CronTask(ID, "test:1", "Report", "daily report", WEEKDAYS, "Asia/Shanghai", "shorter", "fast",
        true, CHECKER, MissedRuns.SKIP, CREATED, NOW, CREATED, CREATED.plusSeconds(60), CREATED, "checker_passed",
        null, null), remodelled);
  }

  @Test
  void theSixCronFieldsComeTogether() {
    assertEquals("a schedule change needs all six cron fields (cron_second, cron_minute, cron_hour, "
        + "cron_day_of_month, cron_month, cron_day_of_week); missing: cron_hour, cron_month",
        error(base(), patch().second("0").minute("0").dayOfMonth("*").dayOfWeek("*").build()));
    assertEquals("cron_year can only be changed together with all six cron fields (cron_second, cron_minute, "
        + "cron_hour, cron_day_of_month, cron_month, cron_day_of_week)", error(base(), patch().year("2030").build()));
    CronTask withYear = base().apply(patch().schedule("0", "0", "8", "1", "JAN", "*").year("2030").build(), NOW);
    assertEquals(new CronFields("0", "0", "8", "1", "JAN", "*", "2030"), withYear.cron());
    assertEquals(NOW, withYear.scheduleFrom());
    CronTask withoutYear = withYear.apply(patch().schedule("0", "0", "8", "1", "JAN", "*").build(), NOW);
    assertEquals(new CronFields("0", "0", "8", "1", "JAN", "*", null), withoutYear.cron());
    assertEquals("cron_hour \"25\" is invalid: value 25 not in range [0, 23]",
        error(base(), patch().schedule("0", "0", "25", "*", "*", "*").build()));
    assertEquals("timezone \"Nowhere\" is not an IANA time zone name (for example Asia/Shanghai, Europe/Berlin, "
        + "America/New_York, UTC)", error(base(), patch().timezone("Nowhere").build()));
  }

  @Test
  void checkerPatches() {
    assertEquals(null, base().apply(patch().clearChecker(true).build(), NOW).checker());
    assertEquals("clear_checker cannot be combined with checker_command, checker_timeout_seconds or checker_cwd",
        error(base(), patch().clearChecker(true).checkerCwd("x").build()));
    assertEquals(new Checker("test -f ready", 5, "sub"),
        base().apply(patch().checkerTimeoutSeconds(5).build(), NOW).checker());
    assertEquals(new Checker("true", 10, "sub"), base().apply(patch().checkerCommand("true").build(), NOW).checker());
    CronTask none = CronTask.create(ID, "test:1", draft(null), CREATED);
    assertEquals("this task has no checker: give checker_command to add one (checker_timeout_seconds and checker_cwd "
        + "alone change an existing checker)", error(none, patch().checkerTimeoutSeconds(5).build()));
    assertEquals(new Checker("true", 30, null), none.apply(patch().checkerCommand("true").build(), NOW).checker());
    assertEquals("checker_timeout_seconds must be greater than 0", error(base(), patch().checkerTimeoutSeconds(0).build()));
  }

  @Test
  void anEmptyPatchIsRefused() {
    assertEquals("nothing to update: give at least one field to change besides id", error(base(), patch().build()));
  }

  @Test
  void reEnablingMovesTheAnchorButStayingEnabledDoesNot() {
    CronTask t = base();
    assertEquals(CREATED, t.apply(patch().enabled(true).build(), NOW).scheduleFrom());
    CronTask off = t.apply(patch().enabled(false).build(), NOW);
    assertEquals(CREATED, off.scheduleFrom());
    Instant later = NOW.plusSeconds(3600);
    assertEquals(later, off.apply(patch().enabled(true).build(), later).scheduleFrom());
  }

  @Test
  void runModeAndSinkAreValidatedAndPatched() {
    CronTask t = CronTask.create(ID, "test:1", draft(null), CREATED);
    assertEquals(CronRun.DEFAULT, t.run());
    CronTask toTopic = t.apply(patch().sink("broadcast:news").build(), NOW);
    assertEquals(new CronRun(CronRun.AGENT, "broadcast:news"), toTopic.run());
    CronTask asPrompt = toTopic.apply(patch().runMode("prompt").build(), NOW);
    assertEquals(new CronRun(CronRun.PROMPT, null), asPrompt.run(), "a prompt has no sink");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> asPrompt.apply(patch().sink("broadcast:x").build(), NOW));
    assertEquals("sink applies only to run \"agent\": a prompt is answered in its conversation", e.getMessage());
    assertEquals("run must be \"agent\" or \"prompt\", got \"turn\"", assertThrows(IllegalArgumentException.class,
        () -> t.apply(patch().runMode("turn").build(), NOW)).getMessage());
  }

  @Test
  void viewShowsEverythingInTheTasksZone() {
    CronTask t = base().withLastScheduledFor(Instant.parse("2024-01-01T01:30:00Z"))
        .withCheck(Instant.parse("2024-01-01T01:30:01Z"), "checker_passed")
        .withTrigger(Instant.parse("2024-01-01T01:30:02Z"), "completed");
    String expected = "{\"id\":\"" + ID + "\",\"name\":\"Report\",\"description\":\"daily report\","
        + "\"schedule\":\"0 30 9 * * MON-FRI\",\"timezone\":\"Asia/Shanghai\",\"agent_backend\":\"agent_frame\","
        + "\"model_key\":\"main\",\"task\":\"write the report\",\"enabled\":true,\"missed_runs\":\"run_once\","
        + "\"run\":\"agent\",\"sink\":null,\"checker\":{\"command\":\"test -f ready\",\"timeout_seconds\":10,\"cwd\":\"sub\"},"
        + "\"created_at\":\"2024-01-01T08:00:00+08:00\",\"updated_at\":\"2024-01-01T08:00:00+08:00\","
        + "\"next_run_at\":\"2024-01-02T09:30:00+08:00\",\"last_scheduled_for\":\"2024-01-01T09:30:00+08:00\","
        + "\"last_checked_at\":\"2024-01-01T09:30:01+08:00\",\"last_check_outcome\":\"checker_passed\","
        + "\"last_triggered_at\":\"2024-01-01T09:30:02+08:00\",\"last_trigger_outcome\":\"completed\"}";
    assertEquals(expected, Json.write(t.view(Instant.parse("2024-01-01T02:00:00Z"))));
    CronTask off = CronTask.create(ID, "test:1", new CronTask.Draft("n", "d", WEEKDAYS, "UTC", "p", "m", false, null,
        MissedRuns.SKIP), CREATED);
    String offView = Json.write(off.view(NOW));
    assertEquals("{\"id\":\"" + ID + "\",\"name\":\"n\",\"description\":\"d\",\"schedule\":\"0 30 9 * * MON-FRI\","
        + "\"timezone\":\"UTC\",\"agent_backend\":\"agent_frame\",\"model_key\":\"m\",\"task\":\"p\",\"enabled\":false,"
        + "\"missed_runs\":\"skip\",\"run\":\"agent\",\"sink\":null,\"checker\":null,\"created_at\":\"2024-01-01T00:00:00Z\","
        + "\"updated_at\":\"2024-01-01T00:00:00Z\",\"next_run_at\":null,\"last_scheduled_for\":null,"
        + "\"last_checked_at\":null,\"last_check_outcome\":null,\"last_triggered_at\":null,"
        + "\"last_trigger_outcome\":null}", offView);
  }

  @Test
  void survivesAJsonRoundTripAsTheJournalDoes() throws Exception {
    CronTask t = base().withLastScheduledFor(NOW).withTrigger(NOW, "running:abc");
    String json = Json.write(t);
    List<String> keys = new ArrayList<>();
    Json.parse(json).fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("id", "conversationId", "name", "description", "cron", "timezone", "prompt", "modelKey",
        "enabled", "checker", "missedRuns", "createdAt", "updatedAt", "scheduleFrom", "lastScheduledFor",
        "lastTriggeredAt", "lastTriggerOutcome", "run"), keys);
    assertEquals(t, Json.MAPPER.readValue(json, CronTask.class));
    // A task journaled before runs existed has none, and keeps firing as a prompt as it did then.
    String legacy = json.replace(",\"run\":{\"mode\":\"agent\"}", "");
    assertTrue(!legacy.equals(json), legacy);
    assertEquals(CronRun.PROMPT, Json.MAPPER.readValue(legacy, CronTask.class).runOrLegacy().mode());
    CronTask noChecker = CronTask.create(ID, "test:1", draft(null), CREATED);
    assertEquals(noChecker, Json.MAPPER.readValue(Json.write(noChecker), CronTask.class));
  }
}
