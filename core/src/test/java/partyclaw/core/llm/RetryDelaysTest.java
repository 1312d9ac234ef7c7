package partyclaw.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryDelaysTest {

  private static final RetryPolicy POLICY = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(500));

  @Test
  void backoffDoublesPerAttemptAndIsCappedAtMaxDelay() {
    assertEquals(Duration.ofMillis(100), RetryDelays.next(POLICY, 1, null, () -> 0.5));
    assertEquals(Duration.ofMillis(200), RetryDelays.next(POLICY, 2, null, () -> 0.5));
    assertEquals(Duration.ofMillis(400), RetryDelays.next(POLICY, 3, null, () -> 0.5));
    assertEquals(Duration.ofMillis(500), RetryDelays.next(POLICY, 4, null, () -> 0.5));
    assertEquals(Duration.ofMillis(500), RetryDelays.next(POLICY, 40, null, () -> 0.5));
  }

  @Test
  void jitterStaysWithinTenPercent() {
    long low = RetryDelays.next(POLICY, 2, null, () -> 0.0).toMillis();
    long high = RetryDelays.next(POLICY, 2, null, () -> 0.999999).toMillis();
    assertEquals(180, low);
    assertTrue(high >= 219 && high <= 220, "high=" + high);
  }

  @Test
  void retryAfterUpToSixtySecondsIsObeyedBeyondMaxDelayAndLongerOnesAreCapped() {
    assertEquals(Duration.ofSeconds(3), RetryDelays.next(POLICY, 1, Duration.ofSeconds(3), () -> 0.5));
    assertEquals(Duration.ofMillis(500), RetryDelays.next(POLICY, 1, Duration.ofSeconds(120), () -> 0.5));
    RetryPolicy generous = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(90));
    assertEquals(Duration.ofSeconds(75), RetryDelays.next(generous, 1, Duration.ofSeconds(75), () -> 0.5));
  }

  @Test
  void parsesRetryAfterSecondsAndHttpDates() {
    Instant now = Instant.parse("2024-05-01T10:00:00Z");
    assertEquals(Duration.ofSeconds(7), RetryDelays.parseRetryAfter(" 7 ", now));
    assertEquals(Duration.ofMillis(1500), RetryDelays.parseRetryAfter("1.5", now));
    assertEquals(Duration.ofSeconds(30), RetryDelays.parseRetryAfter("Wed, 01 May 2024 10:00:30 GMT", now));
    assertEquals(Duration.ZERO, RetryDelays.parseRetryAfter("Wed, 01 May 2024 09:00:00 GMT", now));
    assertNull(RetryDelays.parseRetryAfter("soon", now));
    assertNull(RetryDelays.parseRetryAfter(null, now));
  }
}
