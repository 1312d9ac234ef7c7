package partyclaw.core.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static CronSchedule parse(String expression, String zone) {
    String[] f = expression.split(" ");
    return CronSchedule.parse(f[0], f[1], f[2], f[3], f[4], f[5], f.length > 6 ? f[6] : null, zone);
  }

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  private static String error(String second, String minute, String hour, String dom, String month, String dow,
      String year, String zone) {
    return assertThrows(IllegalArgumentException.class,
        () -> CronSchedule.parse(second, minute, hour, dom, month, dow, year, zone)).getMessage();
  }

  @Test
  void defaultZoneIsShanghaiAndExpressionIsTheFieldsAsGiven() {
    CronSchedule s = CronSchedule.parse("0", "30", "9", "?", "*", "mon-fri", null, null);
    assertEquals("0 30 9 ? * mon-fri", s.expression());
    assertEquals(ZoneId.of("Asia/Shanghai"), s.zone());
    CronSchedule y = parse("0 0 0 1 1 * 2030", "UTC");
    assertEquals("0 0 0 1 1 * 2030", y.expression());
  }

  @Test
  void dayOfWeekIsOneToSevenWithSundayOne() {
    Instant monday = at("2024-01-01T00:00:00Z");
    assertEquals(Optional.of(at("2024-01-07T09:00:00Z")), parse("0 0 9 * * 1", "UTC").nextAfter(monday));
    assertEquals(Optional.of(at("2024-01-06T09:00:00Z")), parse("0 0 9 * * 7", "UTC").nextAfter(monday));
    assertEquals(Optional.of(at("2024-01-02T09:00:00Z")), parse("0 0 9 * * 3", "UTC").nextAfter(monday));
    assertEquals(Optional.of(at("2024-01-07T09:00:00Z")), parse("0 0 9 * * SUN", "UTC").nextAfter(monday));
    assertEquals(Optional.of(at("2024-01-07T09:00:00Z")), parse("0 0 9 * * Sunday", "UTC").nextAfter(monday));
    assertEquals(Optional.of(at("2024-01-04T09:00:00Z")), parse("0 0 9 * * thurs", "UTC").nextAfter(monday));
  }

  @Test
  void weekdaysByNameOrNumber() {
    Instant fridayNoonShanghai = at("2024-01-05T04:00:00Z");
    List<Instant> expected = List.of(at("2024-01-08T01:00:00Z"), at("2024-01-09T01:00:00Z"));
    assertEquals(expected, parse("0 0 9 * * MON-FRI", null).occurrencesBetween(fridayNoonShanghai,
        at("2024-01-09T12:00:00Z"), 10));
    assertEquals(expected, parse("0 0 9 ? * 2-6", null).occurrencesBetween(fridayNoonShanghai,
        at("2024-01-09T12:00:00Z"), 10));
  }

  @Test
  void stepsRangesListsAndMonthNames() {
    assertEquals(List.of(at("2024-01-01T00:00:15Z"), at("2024-01-01T00:00:30Z"), at("2024-01-01T00:00:45Z"),
            at("2024-01-01T00:01:00Z")),
        parse("*/15 * * * * *", "UTC").occurrencesBetween(at("2024-01-01T00:00:07Z"), at("2024-01-01T00:01:00Z"), 10));
    assertEquals(List.of(at("2024-01-01T08:05:00Z"), at("2024-01-01T08:25:00Z"), at("2024-01-01T08:45:00Z"),
            at("2024-01-01T10:05:00Z")),
        parse("0 5/20 8,10-11 * * *", "UTC").occurrencesBetween(at("2024-01-01T00:00:00Z"), at("2024-01-02T00:00:00Z"), 4));
    assertEquals(Optional.of(at("2024-03-01T00:00:00Z")),
        parse("0 0 0 1 JAN,Mar *", "UTC").nextAfter(at("2024-01-01T00:00:00Z")));
    assertEquals(Optional.of(at("2024-09-01T00:00:00Z")),
        parse("0 0 0 1 sept *", "UTC").nextAfter(at("2024-01-01T00:00:00Z")));
  }

  @Test
  void questionMarkIsAnyInBothDayFields() {
    assertEquals(Optional.of(at("2024-01-02T00:00:00Z")),
        parse("0 0 0 ? * ?", "UTC").nextAfter(at("2024-01-01T00:00:00Z")));
    assertEquals(Optional.of(at("2024-02-01T00:00:00Z")),
        parse("0 0 0 1 * ?", "UTC").nextAfter(at("2024-01-01T00:00:00Z")));
  }

  @Test
  void aDayMustMatchBothDayOfMonthAndDayOfWeek() {
    // The first Monday that is the 1st of a month after 2024-01-01 (itself one, but not strictly after).
    assertEquals(Optional.of(at("2024-04-01T00:00:00Z")),
        parse("0 0 0 1 * MON", "UTC").nextAfter(at("2024-01-01T00:00:00Z")));
  }

  @Test
  void yearFieldEndsTheSchedule() {
    CronSchedule s = parse("0 0 0 1 1 * 2030", "UTC");
    assertEquals(Optional.of(at("2030-01-01T00:00:00Z")), s.nextAfter(at("2024-01-01T00:00:00Z")));
    assertEquals(Optional.empty(), s.nextAfter(at("2030-01-01T00:00:00Z")));
    assertEquals(Optional.empty(), parse("0 0 0 30 2 *", "UTC").nextAfter(at("2024-01-01T00:00:00Z")));
  }

  @Test
  void nextAfterIsStrictlyAfterEvenWithinTheSecond() {
    CronSchedule s = parse("0 0 9 * * *", "UTC");
    assertEquals(Optional.of(at("2024-01-02T09:00:00Z")), s.nextAfter(at("2024-01-01T09:00:00Z")));
    assertEquals(Optional.of(at("2024-01-02T09:00:00Z")), s.nextAfter(at("2024-01-01T09:00:00.500Z")));
    assertEquals(Optional.of(at("2024-01-01T09:00:00Z")), s.nextAfter(at("2024-01-01T08:59:59.999Z")));
  }

  @Test
  void theSameExpressionInShanghaiAndUtc() {
    Instant from = at("2024-06-01T00:00:00Z");
    assertEquals(Optional.of(at("2024-06-01T01:00:00Z")), parse("0 0 9 * * *", "Asia/Shanghai").nextAfter(from));
    assertEquals(Optional.of(at("2024-06-01T09:00:00Z")), parse("0 0 9 * * *", "UTC").nextAfter(from));
    // Monday 00:30 in Shanghai is still Sunday in UTC.
    assertEquals(Optional.of(at("2024-06-02T16:30:00Z")), parse("0 30 0 * * MON", "Asia/Shanghai").nextAfter(from));
    assertEquals(Optional.of(at("2024-06-03T00:30:00Z")), parse("0 30 0 * * MON", "UTC").nextAfter(from));
  }

  @Test
  void berlinSpringForwardSkipsTheMissingHour() {
    CronSchedule daily = parse("0 30 2 * * *", "Europe/Berlin");
    // 2024-03-31 02:30 does not exist in Berlin (02:00 CET -> 03:00 CEST).
    assertEquals(List.of(at("2024-03-30T01:30:00Z"), at("2024-04-01T00:30:00Z"), at("2024-04-02T00:30:00Z")),
        daily.occurrencesBetween(at("2024-03-29T12:00:00Z"), at("2024-04-02T12:00:00Z"), 10));
    CronSchedule halfHourly = parse("0 0/30 * * * *", "Europe/Berlin");
    assertEquals(List.of(at("2024-03-31T00:30:00Z"), at("2024-03-31T01:00:00Z"), at("2024-03-31T01:30:00Z")),
        halfHourly.occurrencesBetween(at("2024-03-31T00:00:00Z"), at("2024-03-31T01:30:00Z"), 10));
  }

  @Test
  void berlinFallBackFiresARepeatedTimeOnceAtItsFirstOccurrence() {
    CronSchedule daily = parse("0 30 2 * * *", "Europe/Berlin");
    // 2024-10-27 02:30 happens twice: 00:30Z (CEST) and 01:30Z (CET); only the first fires.
    assertEquals(List.of(at("2024-10-26T00:30:00Z"), at("2024-10-27T00:30:00Z"), at("2024-10-28T01:30:00Z")),
        daily.occurrencesBetween(at("2024-10-25T12:00:00Z"), at("2024-10-28T12:00:00Z"), 10));
    // Asked from inside the repeated hour, the next one is the next day's.
    assertEquals(Optional.of(at("2024-10-28T01:30:00Z")), daily.nextAfter(at("2024-10-27T01:10:00Z")));
    CronSchedule halfHourly = parse("0 0/30 * * * *", "Europe/Berlin");
    assertEquals(List.of(at("2024-10-27T00:30:00Z"), at("2024-10-27T02:00:00Z"), at("2024-10-27T02:30:00Z")),
        halfHourly.occurrencesBetween(at("2024-10-27T00:00:00Z"), at("2024-10-27T02:30:00Z"), 10));
  }

  @Test
  void latestAtOrBeforeAgreesWithDaylightSaving() {
    CronSchedule daily = parse("0 30 2 * * *", "Europe/Berlin");
    assertEquals(Optional.of(at("2024-03-30T01:30:00Z")), daily.latestAtOrBefore(at("2024-03-31T12:00:00Z")));
    assertEquals(Optional.of(at("2024-10-27T00:30:00Z")), daily.latestAtOrBefore(at("2024-10-27T00:30:00Z")));
    assertEquals(Optional.of(at("2024-10-26T00:30:00Z")), daily.latestAtOrBefore(at("2024-10-27T00:29:59.999Z")));
    // 01:10Z is 02:10 CET, in the repeated hour: 02:55 CEST (00:55Z) is already past.
    assertEquals(Optional.of(at("2024-10-27T00:55:00Z")),
        parse("0 55 2 * * *", "Europe/Berlin").latestAtOrBefore(at("2024-10-27T01:10:00Z")));
    assertEquals(Optional.empty(), parse("0 0 0 1 1 * 2030", "UTC").latestAtOrBefore(at("2029-12-31T23:59:59Z")));
  }

  @Test
  void occurrencesBetweenStopsAtMax() {
    assertEquals(List.of(at("2024-01-01T00:00:01Z"), at("2024-01-01T00:00:02Z")),
        parse("* * * * * *", "UTC").occurrencesBetween(at("2024-01-01T00:00:00Z"), at("2024-01-02T00:00:00Z"), 2));
  }

  @Test
  void eachInvalidFieldIsNamed() {
    assertEquals("cron_second \"60\" is invalid: value 60 not in range [0, 59]",
        error("60", "*", "*", "*", "*", "*", null, null));
    assertEquals("cron_minute must be a non-empty string", error("0", "", "*", "*", "*", "*", null, null));
    assertEquals("cron_hour \"1 2\" is invalid: a field must not contain whitespace; give each field separately",
        error("0", "0", "1 2", "*", "*", "*", null, null));
    assertEquals("cron_hour \"L\" is invalid: letters are not allowed here (L); use numbers, *, ranges (1-5), "
        + "lists (1,15) and steps (*/10)", error("0", "0", "L", "*", "*", "*", null, null));
    assertEquals("cron_day_of_month \"32\" is invalid: value 32 not in range [1, 31]",
        error("0", "0", "0", "32", "*", "*", null, null));
    assertEquals("cron_month \"13\" is invalid: value 13 not in range [1, 12]",
        error("0", "0", "0", "*", "13", "*", null, null));
    assertEquals("cron_month \"FOO\" is invalid: unknown month name FOO (use 1-12 or JAN-DEC)",
        error("0", "0", "0", "*", "FOO", "*", null, null));
    assertEquals("cron_day_of_week \"0\" is invalid: value 0 not in range [1, 7] (day of week is 1-7 with Sunday = 1 "
        + "(Monday = 2, Saturday = 7) or SUN-SAT)", error("0", "0", "9", "*", "*", "0", null, null));
    assertEquals("cron_day_of_week \"MON-FUN\" is invalid: unknown day name FUN (day of week is 1-7 with Sunday = 1 "
        + "(Monday = 2, Saturday = 7) or SUN-SAT)", error("0", "0", "9", "*", "*", "MON-FUN", null, null));
    assertEquals("cron_year \"1969\" is invalid: value 1969 not in range [1970, 2100]",
        error("0", "0", "0", "*", "*", "*", "1969", null));
    assertEquals("cron_second \"?\" is invalid: ? is only allowed in cron_day_of_month and cron_day_of_week",
        error("?", "0", "0", "*", "*", "*", null, null));
    assertEquals("cron_minute \"*/0\" is invalid: a step (/n) must be at least 1",
        error("0", "*/0", "0", "*", "*", "*", null, null));
    assertEquals("cron_day_of_week must be a non-empty string", error("0", "0", "0", "*", "*", null, null, null));
  }

  @Test
  void timezoneMustBeAnIanaName() {
    String expected = "timezone \"Mars/Olympus\" is not an IANA time zone name (for example Asia/Shanghai, "
        + "Europe/Berlin, America/New_York, UTC)";
    assertEquals(expected, error("0", "0", "0", "*", "*", "*", null, "Mars/Olympus"));
    assertEquals("timezone \"+08:00\" is not an IANA time zone name (for example Asia/Shanghai, Europe/Berlin, "
        + "America/New_York, UTC)", error("0", "0", "0", "*", "*", "*", null, "+08:00"));
  }
}
