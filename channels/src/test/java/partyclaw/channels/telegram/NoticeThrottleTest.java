package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NoticeThrottleTest {
  static final long MINUTE = Duration.ofMinutes(1).toNanos();

  @Test
  void oneNoticePerChatAndKindPerIntervalAndAtOnceWhenTheKindChanges() {
    NoticeThrottle throttle = new NoticeThrottle(Duration.ofMinutes(10));
    assertTrue(throttle.allow(1, "pending", 0));
    assertFalse(throttle.allow(1, "pending", 9 * MINUTE));
    assertTrue(throttle.allow(2, "pending", 9 * MINUTE), "chats are counted apart");
    assertTrue(throttle.allow(1, "rejected", 9 * MINUTE), "a new state is told at once");
    assertFalse(throttle.allow(1, "rejected", 18 * MINUTE));
    assertTrue(throttle.allow(1, "rejected", 19 * MINUTE), "and again after the interval");
  }

  @Test
  void itForgetsTheLeastRecentlyUsedChatsInsteadOfGrowing() {
    NoticeThrottle throttle = new NoticeThrottle(Duration.ofHours(1));
    assertTrue(throttle.allow(0, "no-admin", 0));
    for (int chat = 1; chat <= NoticeThrottle.REMEMBERED_CHATS; chat++) assertTrue(throttle.allow(chat, "no-admin", 0));
    assertTrue(throttle.allow(0, "no-admin", 0), "chat 0 was forgotten among 10,000 newer ones");
    assertFalse(throttle.allow(NoticeThrottle.REMEMBERED_CHATS, "no-admin", 0));
  }
}
