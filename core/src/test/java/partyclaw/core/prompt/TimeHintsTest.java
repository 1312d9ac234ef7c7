package partyclaw.core.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeHintsTest {
  static final Instant LAST = Instant.parse("2025-03-07T10:00:00Z");

  @Test
  void noTipBelowFiveMinutes() {
    assertEquals(Optional.empty(), TimeHints.idleGapTip(LAST, LAST.plus(Duration.ofSeconds(299))));
    assertEquals(Optional.empty(), TimeHints.idleGapTip(LAST, LAST.minusSeconds(3600)));
    assertEquals(Optional.empty(), TimeHints.idleGapTip(null, LAST));
  }

  @Test
  void tipFromFiveMinutesInHoursWithOneDecimal() {
    assertEquals(Optional.of("[System Tip: 0.1 hours since the last user message.]"),
        TimeHints.idleGapTip(LAST, LAST.plus(Duration.ofMinutes(5))));
    assertEquals(Optional.of("[System Tip: 1.5 hours since the last user message.]"),
        TimeHints.idleGapTip(LAST, LAST.plus(Duration.ofMinutes(90))));
    assertEquals(Optional.of("[System Tip: 26.0 hours since the last user message.]"),
        TimeHints.idleGapTip(LAST, LAST.plus(Duration.ofHours(26))));
  }

  @Test
  void systemDatePrefixUsesTheGivenZoneAndEnglishNames() {
    assertEquals("[System Date: 2025-03-07 11:05 CET, Friday] ",
        TimeHints.systemDatePrefix(ZonedDateTime.of(2025, 3, 7, 11, 5, 0, 0, ZoneId.of("Europe/Berlin"))));
    assertEquals("[System Date: 2025-03-07 10:05 UTC, Friday] ",
        TimeHints.systemDatePrefix(ZonedDateTime.of(2025, 3, 7, 10, 5, 59, 0, ZoneId.of("UTC"))));
  }
}
