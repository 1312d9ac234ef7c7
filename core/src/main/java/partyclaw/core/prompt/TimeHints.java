package partyclaw.core.prompt;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/** The time hints added to a user turn (runtime.md §1.1 step 3.4). */
public final class TimeHints {
  /** A shorter pause is part of the same exchange and gets no tip. */
  public static final Duration IDLE_GAP = Duration.ofMinutes(5);

  // English names, whatever the server's locale: the text is for the model, not the operator.
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz, EEEE", Locale.ENGLISH);

  private TimeHints() {}

  /**
   * {@code [System Tip: N.N hours since the last user message.]} (hours with one decimal, rounded half-up,
   * {@code .} as the decimal point) when the agent last finished at least {@link #IDLE_GAP} before {@code now};
   * empty for a shorter gap or when there was no earlier activity.
   */
  public static Optional<String> idleGapTip(Instant lastAgentActivity, Instant now) {
    if (lastAgentActivity == null) return Optional.empty();
    Duration gap = Duration.between(lastAgentActivity, now);
    if (gap.compareTo(IDLE_GAP) < 0) return Optional.empty();
    double hours = gap.toMillis() / 3_600_000.0;
    return Optional.of(String.format(Locale.ROOT, "[System Tip: %.1f hours since the last user message.]", hours));
  }

  /**
   * The prefix put before a user message's text: {@code [System Date: yyyy-MM-dd HH:mm zzz, EEEE] } with
   * English names and a trailing space, in the zone of {@code now} (the server's local zone), e.g.
   * {@code [System Date: 2025-03-07 14:05 CET, Friday] }.
   */
  public static String systemDatePrefix(ZonedDateTime now) {
    return "[System Date: " + DATE.format(now) + "] ";
  }
}
