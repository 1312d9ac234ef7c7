package partyclaw.core.cron;

import java.util.Locale;

/** What a cron task does about occurrences that passed while the runtime was down. */
public enum MissedRuns {
  /** Fire once, for the latest of them, however many there were. */
  RUN_ONCE("run_once"),
  /** Fire only an occurrence that is at most a poll interval late; older ones are dropped. */
  SKIP("skip");

  private final String wireName;

  MissedRuns(String wireName) {
    this.wireName = wireName;
  }

  /** The name in tool arguments and task views. */
  public String wireName() {
    return wireName;
  }

  /** @throws IllegalArgumentException unless {@code run_once} or {@code skip} (any case) */
  public static MissedRuns parse(String s) {
    String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    for (MissedRuns m : values()) {
      if (m.wireName.equals(v)) return m;
    }
    throw new IllegalArgumentException("missed_runs must be run_once or skip, not \"" + CronFieldText.oneLine(String.valueOf(s)) + "\"");
  }
}
