package partyclaw.core.cron;

/** The seven schedule fields of a cron task as given (seconds first); {@code year} may be null. */
public record CronFields(String second, String minute, String hour, String dayOfMonth, String month,
    String dayOfWeek, String year) {

  /** The schedule these fields make in {@code timezone} (null = Asia/Shanghai). */
  public CronSchedule schedule(String timezone) {
    return CronSchedule.parse(second, minute, hour, dayOfMonth, month, dayOfWeek, year, timezone);
  }
}
