package partyclaw.channels.telegram;

import java.time.Duration;
import java.util.Map;
import partyclaw.channels.common.LruMap;

/**
 * Keeps refusal notices from becoming spam: a chat hears a notice at once when its kind changes (no administrator,
 * pending, rejected…) and the same one again only after {@code interval}, however many messages it sends. In memory
 * and bounded: after a restart, or once the chat was forgotten among many, it may hear the notice once more.
 */
final class NoticeThrottle {
  private record Last(String key, long atNanos) {}

  static final int REMEMBERED_CHATS = 10_000;
  private final Map<Long, Last> last = new LruMap<>(REMEMBERED_CHATS);
  private final long intervalNanos;

  NoticeThrottle(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /** Whether a notice of kind {@code key} may go to {@code chatId} now; if so, it counts as sent. */
  synchronized boolean allow(long chatId, String key, long nowNanos) {
    Last previous = last.get(chatId);
    if (previous != null && previous.key().equals(key) && nowNanos - previous.atNanos() < intervalNanos) return false;
    last.put(chatId, new Last(key, nowNanos));
    return true;
  }
}
