package partyclaw.channels.telegram;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Telegram's flood-control bans ({@code 429} with {@code retry_after}), however long: per chat, or for the whole
 * bot when the refused call was not addressed to a chat. While a ban runs, nothing is sent to what it covers, so
 * no retry can come early and extend it. Times are {@link System#nanoTime()}.
 */
final class FloodGate {
  private final ConcurrentHashMap<Long, Long> chatBans = new ConcurrentHashMap<>();
  private volatile long botBanUntil = System.nanoTime();

  /** Records a ban of {@code length} for {@code chatId}, or for the whole bot when {@code chatId} is null. */
  void ban(Long chatId, Duration length) {
    long now = System.nanoTime();
    long until = now + length.toNanos();
    chatBans.values().removeIf(t -> t - now <= 0); // ended bans are forgotten: the map stays as small as the bans
    if (chatId == null) {
      synchronized (this) {
        if (until - botBanUntil > 0) botBanUntil = until;
      }
    } else {
      chatBans.merge(chatId, until, (a, b) -> b - a > 0 ? b : a);
    }
  }

  /** What is left of the bans covering {@code chatId} (null: a call not addressed to a chat); zero when none. */
  Duration remaining(Long chatId) {
    long now = System.nanoTime();
    long left = botBanUntil - now;
    if (chatId != null) {
      Long chat = chatBans.get(chatId);
      if (chat != null) left = Math.max(left, chat - now);
    }
    return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
  }
}
