package partyclaw.core.cron;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A seconds-first cron schedule ({@code sec min hour dom month dow [year]}) in an IANA time zone, with the
 * semantics of the reference's Rust {@code cron} crate 0.12: day of week 1-7 with Sunday = 1, names (SUN-SAT,
 * JAN-DEC, also spelt out), {@code *}, ranges, lists, steps, {@code ?} in day of month and day of week (= {@code *}),
 * and a day must match both the day-of-month and the day-of-week field.
 *
 * <p>Built on cron-utils with a custom definition. cron-utils computes on the wall clock only (a UTC date-time
 * standing for local time), and the zone is applied here, so daylight saving time follows one rule: a wall-clock
 * time that does not exist (clocks going forward) does not fire; one that occurs twice (clocks going back) fires
 * once, at its first occurrence.
 */
public final class CronSchedule {
  public static final String DEFAULT_TIMEZONE = "Asia/Shanghai";

  /** The argument names of the seven fields, as the model gives them. */
  static final List<String> FIELD_NAMES = List.of("cron_second", "cron_minute", "cron_hour", "cron_day_of_month",
      "cron_month", "cron_day_of_week", "cron_year");

  private static final CronDefinition DEFINITION = CronDefinitionBuilder.defineCron()
      .withSeconds().withValidRange(0, 59).withStrictRange().and()
      .withMinutes().withValidRange(0, 59).withStrictRange().and()
      .withHours().withValidRange(0, 23).withStrictRange().and()
      .withDayOfMonth().withValidRange(1, 31).withStrictRange().and()
      .withMonth().withValidRange(1, 12).withStrictRange().and()
      .withDayOfWeek().withValidRange(1, 7).withMondayDoWValue(2).withStrictRange().and()
      .withYear().withValidRange(1970, 2100).withStrictRange().optional().and()
      // The Rust crate requires both day fields to match; cron-utils' default is either.
      .matchDayOfWeekAndDayOfMonth()
      .instance();
  private static final CronParser PARSER = new CronParser(DEFINITION);

  private final List<String> fields;
  private final ZoneId zone;
  private final ExecutionTime wallClock;

  private CronSchedule(List<String> fields, ZoneId zone, ExecutionTime wallClock) {
    this.fields = fields;
    this.zone = zone;
    this.wallClock = wallClock;
  }

  /**
   * Parses the named fields; {@code year} and {@code timezone} may be null ({@code timezone} then is
   * Asia/Shanghai).
   *
   * @throws IllegalArgumentException one line naming the field and what is wrong with it
   */
  public static CronSchedule parse(String second, String minute, String hour, String dayOfMonth, String month,
      String dayOfWeek, String year, String timezone) {
    List<String> raw = new ArrayList<>(List.of(nn(second), nn(minute), nn(hour), nn(dayOfMonth), nn(month),
        nn(dayOfWeek)));
    if (year != null) raw.add(year);
    List<String> normalised = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) normalised.add(CronFieldText.normalise(FIELD_NAMES.get(i), raw.get(i)));
    ZoneId zone = zone(timezone);
    Cron cron;
    try {
      cron = PARSER.parse(String.join(" ", normalised));
      cron.validate();
    } catch (IllegalArgumentException e) {
      for (int i = 0; i < normalised.size(); i++) probe(i, raw.get(i), normalised.get(i));
      throw new IllegalArgumentException("the cron expression \"" + String.join(" ", raw) + "\" is invalid: "
          + CronFieldText.cronUtilsReason(e.getMessage()));
    }
    return new CronSchedule(List.copyOf(raw), zone, ExecutionTime.forCron(cron));
  }

  /** The IANA zone of {@code timezone} (null = Asia/Shanghai). */
  public static ZoneId zone(String timezone) {
    String name = timezone == null ? DEFAULT_TIMEZONE : timezone;
    if (!ZoneId.getAvailableZoneIds().contains(name)) {
      throw new IllegalArgumentException("timezone \"" + CronFieldText.oneLine(name)
          + "\" is not an IANA time zone name (for example Asia/Shanghai, Europe/Berlin, America/New_York, UTC)");
    }
    return ZoneId.of(name);
  }

  private static String nn(String s) {
    return s == null ? "" : s;
  }

  /** Parses one field alone (every other field {@code *}) so that the error can name its field. */
  private static void probe(int index, String raw, String normalised) {
    String[] probe = {"*", "*", "*", "*", "*", "*", "*"};
    probe[index] = normalised;
    int count = index == 6 ? 7 : 6;
    try {
      PARSER.parse(String.join(" ", List.of(probe).subList(0, count))).validate();
    } catch (IllegalArgumentException e) {
      String reason = CronFieldText.cronUtilsReason(e.getMessage());
      if (index == 5) reason += " (" + CronFieldText.DAY_OF_WEEK_HINT + ")";
      throw CronFieldText.invalid(FIELD_NAMES.get(index), raw, reason);
    }
  }

  /** The 6- or 7-field expression as given, seconds first. */
  public String expression() {
    return String.join(" ", fields);
  }

  public ZoneId zone() {
    return zone;
  }

  /** The first occurrence strictly after {@code t}; empty if there is none (the year range ends at 2100). */
  public Optional<Instant> nextAfter(Instant t) {
    ZoneRules rules = zone.getRules();
    LocalDateTime cursor = LocalDateTime.ofInstant(t, zone);
    while (true) {
      Optional<ZonedDateTime> next = wallClock.nextExecution(cursor.atZone(ZoneOffset.UTC));
      if (next.isEmpty()) return Optional.empty();
      LocalDateTime wall = next.get().toLocalDateTime();
      ZoneOffsetTransition transition = rules.getTransition(wall);
      if (transition != null && transition.isGap()) {
        // No such local time: nothing in the gap fires, continue from its end.
        cursor = transition.getDateTimeAfter().minusSeconds(1);
        continue;
      }
      Instant at = wall.atZone(zone).toInstant(); // the earlier offset when the time occurs twice
      if (at.isAfter(t)) return Optional.of(at);
      // t lies in the repeated hour after clocks went back: its wall times already fired in the first pass.
      cursor = transition != null ? max(wall, transition.getDateTimeBefore().minusSeconds(1)) : wall;
    }
  }

  /** The latest occurrence at or before {@code t}; empty if there is none since 1970. */
  public Optional<Instant> latestAtOrBefore(Instant t) {
    ZoneRules rules = zone.getRules();
    LocalDateTime wallOfT = LocalDateTime.ofInstant(t, zone);
    LocalDateTime cursor = wallOfT.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    ZoneOffsetTransition current = rules.getTransition(wallOfT);
    if (current != null && current.isOverlap() && rules.getOffset(t).equals(current.getOffsetAfter())) {
      // In the repeated hour every first-pass time of the hour is already past, also those later on the wall clock.
      cursor = max(cursor, current.getDateTimeBefore());
    }
    while (true) {
      Optional<ZonedDateTime> previous = wallClock.lastExecution(cursor.atZone(ZoneOffset.UTC));
      if (previous.isEmpty()) return Optional.empty();
      LocalDateTime wall = previous.get().toLocalDateTime();
      ZoneOffsetTransition transition = rules.getTransition(wall);
      if (transition != null && transition.isGap()) {
        cursor = transition.getDateTimeBefore();
        continue;
      }
      Instant at = wall.atZone(zone).toInstant();
      if (!at.isAfter(t)) return Optional.of(at);
      cursor = wall;
    }
  }

  /** Occurrences in {@code (fromExclusive, toInclusive]}, oldest first, at most {@code max}. */
  public List<Instant> occurrencesBetween(Instant fromExclusive, Instant toInclusive, int max) {
    List<Instant> out = new ArrayList<>();
    Instant cursor = fromExclusive;
    while (out.size() < max) {
      Optional<Instant> next = nextAfter(cursor);
      if (next.isEmpty() || next.get().isAfter(toInclusive)) break;
      out.add(next.get());
      cursor = next.get();
    }
    return out;
  }

  private static LocalDateTime max(LocalDateTime a, LocalDateTime b) {
    return a.isAfter(b) ? a : b;
  }

  @Override
  public String toString() {
    return expression() + " (" + zone + ")";
  }
}
