package partyclaw.core.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import partyclaw.core.cron.CronPlanner.Action;
import partyclaw.core.cron.CronPlanner.Decision;
import partyclaw.core.cron.CronPlanner.SkipReason;

class CronPlannerTest {
  static final String ID = "7f1c2a3b-0000-4000-8000-000000000001";

  static CronTask task(String expression, MissedRuns missed, Instant createdAt) {
    String[] f = expression.split(" ");
    CronFields cron = new CronFields(f[0], f[1], f[2], f[3], f[4], f[5], f.length > 6 ? f[6] : null);
    return CronTask.create(ID, "test:1", new CronTask.Draft("n", "d", cron, "UTC", "p", "main", true, null, missed),
        createdAt);
  }

  private static Instant at(String hms) {
    return Instant.parse("2024-01-01T" + hms + "Z");
  }

  private static Decision fire(String scheduledFor, int missed) {
    return new Decision(Action.FIRE, at(scheduledFor), missed, at(scheduledFor), null);
  }

  @Test
  void everyTwoSecondsIsDueOnlyOnceItsTimeHasCome() {
    CronTask t = task("*/2 * * * * *", null, at("00:00:00.500"));
    assertEquals(new Decision(Action.NONE, null, 0, null, null), CronPlanner.due(t, at("00:00:01.900")));
    Decision first = CronPlanner.due(t, at("00:00:02.100"));
    assertEquals(fire("00:00:02", 1), first);
    t = first.applyTo(t);
    assertEquals(at("00:00:02"), t.lastScheduledFor());
    assertEquals(new Decision(Action.NONE, null, 0, at("00:00:02"), null), CronPlanner.due(t, at("00:00:03.999")));
    assertEquals(fire("00:00:04", 1), CronPlanner.due(t, at("00:00:04")));
    assertEquals(Optional.of(at("00:00:04")), CronPlanner.nextRun(t, at("00:00:03")));
  }

  @Test
  void noFireWhileARunIsGoingTheDueTimeIsConsumed() {
    CronTask t = task("*/2 * * * * *", null, at("00:00:00.500")).withLastScheduledFor(at("00:00:02"));
    Decision d = CronPlanner.due(t, at("00:00:04.200"), true);
    assertEquals(new Decision(Action.SKIP, at("00:00:04"), 1, at("00:00:04"), SkipReason.STILL_RUNNING), d);
    t = d.applyTo(t);
    assertEquals(new Decision(Action.NONE, null, 0, at("00:00:04"), null), CronPlanner.due(t, at("00:00:05"), false));
    assertEquals(fire("00:00:06", 1), CronPlanner.due(t, at("00:00:06.100"), false));
  }

  @Test
  void runOnceAfterTenSecondsOfDowntimeFiresExactlyOnce() {
    CronTask t = task("*/2 * * * * *", MissedRuns.RUN_ONCE, at("00:00:00.500")).withLastScheduledFor(at("00:00:04"));
    Decision d = CronPlanner.due(t, at("00:00:14.300"));
    assertEquals(fire("00:00:14", 5), d);
    t = d.applyTo(t);
    assertEquals(Action.NONE, CronPlanner.due(t, at("00:00:15")).action());
    assertEquals(Optional.of(at("00:00:16")), CronPlanner.nextRun(t, at("00:00:15")));
  }

  @Test
  void runOnceAfterALongDowntimeCountsUpToTheCap() {
    CronTask t = task("* * * * * *", MissedRuns.RUN_ONCE, at("00:00:00.500")).withLastScheduledFor(at("00:00:01"));
    Instant now = Instant.parse("2024-01-02T00:00:00.250Z");
    assertEquals(new Decision(Action.FIRE, Instant.parse("2024-01-02T00:00:00Z"), CronPlanner.MAX_COUNTED,
        Instant.parse("2024-01-02T00:00:00Z"), null), CronPlanner.due(t, now));
  }

  @Test
  void skipAfterDowntimeFiresNothingAndTheNextRunIsInTheFuture() {
    CronTask t = task("0 * * * * *", MissedRuns.SKIP, at("00:00:30")).withLastScheduledFor(at("00:01:00"));
    Instant now = at("00:05:30");
    Decision d = CronPlanner.due(t, now);
    assertEquals(new Decision(Action.SKIP, at("00:05:00"), 4, at("00:05:00"), SkipReason.MISSED), d);
    t = d.applyTo(t);
    assertEquals(Action.NONE, CronPlanner.due(t, now).action());
    Instant next = CronPlanner.nextRun(t, now).orElseThrow();
    assertEquals(at("00:06:00"), next);
    assertTrue(next.isAfter(now));
    // The same downtime under run_once fires once.
    CronTask once = task("0 * * * * *", MissedRuns.RUN_ONCE, at("00:00:30")).withLastScheduledFor(at("00:01:00"));
    assertEquals(fire("00:05:00", 4), CronPlanner.due(once, now));
  }

  @Test
  void skipStillFiresAnOccurrenceWithinTheGrace() {
    CronTask t = task("0 * * * * *", MissedRuns.SKIP, at("00:00:30")).withLastScheduledFor(at("00:04:00"));
    assertEquals(fire("00:05:00", 1), CronPlanner.due(t, at("00:05:07")));
    assertEquals(Action.SKIP, CronPlanner.due(t, at("00:05:07.001")).action());
    assertEquals(fire("00:05:00", 1), CronPlanner.due(t, at("00:05:20"), false, Duration.ofSeconds(20)));
  }

  @Test
  void aScheduleEditDoesNotReplayHistory() {
    CronTask t = task("0 * * * * *", MissedRuns.RUN_ONCE, at("00:00:30")).withLastScheduledFor(at("00:01:00"));
    Instant edit = at("01:00:10");
    CronTask edited = t.apply(CronTask.Patch.builder().schedule("30", "*", "*", "*", "*", "*").build(), edit);
    assertEquals(edit, edited.scheduleFrom());
    assertEquals(Action.NONE, CronPlanner.due(edited, at("01:00:20")).action());
    assertEquals(fire("01:00:30", 1), CronPlanner.due(edited, at("01:00:31")));

    CronTask rezoned = t.apply(CronTask.Patch.builder().timezone("Asia/Shanghai").build(), edit);
    assertEquals(Action.NONE, CronPlanner.due(rezoned, at("01:00:20")).action());
    assertEquals(fire("01:01:00", 1), CronPlanner.due(rezoned, at("01:01:00")));
  }

  @Test
  void reEnablingDoesNotReplayThePausedPeriod() {
    CronTask t = task("0 * * * * *", MissedRuns.RUN_ONCE, at("00:00:30")).withLastScheduledFor(at("00:01:00"));
    CronTask paused = t.apply(CronTask.Patch.builder().enabled(false).build(), at("00:01:30"));
    assertEquals(new Decision(Action.NONE, null, 0, at("00:01:00"), null), CronPlanner.due(paused, at("02:00:00")));
    assertEquals(Optional.empty(), CronPlanner.nextRun(paused, at("02:00:00")));
    CronTask resumed = paused.apply(CronTask.Patch.builder().enabled(true).build(), at("03:00:00"));
    assertEquals(Action.NONE, CronPlanner.due(resumed, at("03:00:05")).action());
    assertEquals(fire("03:01:00", 1), CronPlanner.due(resumed, at("03:01:00")));
  }

  @Test
  void aScheduleWithNoFurtherTimeIsNeverDue() {
    CronTask t = task("0 0 0 1 1 * 2020", null, at("00:00:30"));
    assertEquals(Action.NONE, CronPlanner.due(t, Instant.parse("2030-01-01T00:00:00Z")).action());
    assertEquals(Optional.empty(), CronPlanner.nextRun(t, at("00:00:30")));
  }
}
