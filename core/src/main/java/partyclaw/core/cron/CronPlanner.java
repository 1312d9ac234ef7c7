package partyclaw.core.cron;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides, without side effects, what a poll does with a task. Unlike the reference (runtime.md §9 item 26),
 * missed occurrences are never replayed one by one: all occurrences due since the last one are settled by a single
 * decision, and the next run is always computed from the latest of them.
 *
 * <ul>
 *   <li>{@link MissedRuns#RUN_ONCE}: fire once, for the latest due occurrence, however many were missed;
 *   <li>{@link MissedRuns#SKIP}: fire only if the latest due occurrence is at most {@code grace} old (an ordinary
 *       poll delay); otherwise consume them all without firing;
 *   <li>no overlap: while a run of the task is still going, due occurrences are consumed without firing (the
 *       reference's "skips the due time, no catch-up").
 * </ul>
 */
public final class CronPlanner {
  /** The reference's poll interval (5 s) plus 2 s of slack. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(7);

  /** Occurrences are counted up to this; {@link Decision#missed()} = this means this many or more. */
  public static final int MAX_COUNTED = 1000;

  public enum Action {
    /** Nothing is due (or the task is disabled): nothing to record. */
    NONE,
    /** Run the checker and, if it lets, the agent for {@link Decision#scheduledFor()}; record it as scheduled. */
    FIRE,
    /** Record {@link Decision#scheduledFor()} as scheduled without firing. */
    SKIP
  }

  /** Why due occurrences were consumed without firing. */
  public enum SkipReason {
    STILL_RUNNING,
    MISSED
  }

  /**
   * One poll's decision.
   *
   * @param scheduledFor the occurrence fired or consumed (the latest due one); null for NONE
   * @param missed how many occurrences were due since the last one, all settled by this decision (1 = on time);
   *     capped at {@link #MAX_COUNTED}
   * @param lastScheduledFor the task's {@code lastScheduledFor} after this decision
   * @param skipReason set for SKIP only
   */
  public record Decision(Action action, Instant scheduledFor, int missed, Instant lastScheduledFor,
      SkipReason skipReason) {
    public boolean fires() {
      return action == Action.FIRE;
    }

    /** The task with this decision recorded (unchanged for NONE). */
    public CronTask applyTo(CronTask t) {
      return action == Action.NONE ? t : t.withLastScheduledFor(lastScheduledFor);
    }
  }

  private CronPlanner() {}

  public static Decision due(CronTask t, Instant now) {
    return due(t, now, false, DEFAULT_GRACE);
  }

  public static Decision due(CronTask t, Instant now, boolean running) {
    return due(t, now, running, DEFAULT_GRACE);
  }

  /**
   * @param running whether a run of this task is still going
   * @param grace how late an occurrence may be and still fire under {@link MissedRuns#SKIP}
   */
  public static Decision due(CronTask t, Instant now, boolean running, Duration grace) {
    Decision none = new Decision(Action.NONE, null, 0, t.lastScheduledFor(), null);
    if (!t.enabled()) return none;
    CronSchedule schedule = t.schedule();
    Instant base = base(t);
    List<Instant> due = schedule.occurrencesBetween(base, now, MAX_COUNTED);
    if (due.isEmpty()) return none;
    int missed = due.size();
    Instant latest = missed < MAX_COUNTED ? due.get(missed - 1)
        : schedule.latestAtOrBefore(now).orElse(due.get(missed - 1));
    if (running) return new Decision(Action.SKIP, latest, missed, latest, SkipReason.STILL_RUNNING);
    if (t.missedRuns() == MissedRuns.SKIP && latest.isBefore(now.minus(grace))) {
      return new Decision(Action.SKIP, latest, missed, latest, SkipReason.MISSED);
    }
    return new Decision(Action.FIRE, latest, missed, latest, null);
  }

  /**
   * When the task will fire next: the first occurrence after both now and what is already settled; empty when
   * disabled or when the schedule has no further occurrence.
   */
  public static Optional<Instant> nextRun(CronTask t, Instant now) {
    if (!t.enabled()) return Optional.empty();
    Instant base = base(t);
    return t.schedule().nextAfter(base.isAfter(now) ? base : now);
  }

  /** Occurrences at or before this are settled: the later of the last scheduled one and the schedule's anchor. */
  static Instant base(CronTask t) {
    Instant last = t.lastScheduledFor();
    return last != null && last.isAfter(t.scheduleFrom()) ? last : t.scheduleFrom();
  }
}
