package partyclaw.channels.telegram;

import com.typesafe.config.Config;
import java.time.Duration;

/** Timing of the Telegram channel, from {@code partyclaw.telegram} in the Akka config (see reference.conf). */
public record TelegramSettings(
    Duration backoffBase,
    Duration backoffCap,
    Duration requestTimeout,
    Duration pollGrace,
    Duration uploadTimeout,
    int sendAttempts,
    Duration sendRetryBase,
    Duration maxRetryAfter,
    int downloadAttempts,
    Duration albumWindow,
    Duration typingInterval,
    Duration typingCap,
    Duration progressMinEdit,
    Duration memberCountTtl,
    Duration askTimeout,
    Duration chatIdle,
    Duration pollCoalesce,
    Duration accessNoticeInterval) {

  public static TelegramSettings fromConfig(Config root) {
    Config c = root.getConfig("partyclaw.telegram");
    return new TelegramSettings(
        c.getDuration("backoff-base"),
        c.getDuration("backoff-cap"),
        c.getDuration("request-timeout"),
        c.getDuration("poll-grace"),
        c.getDuration("upload-timeout"),
        c.getInt("send-attempts"),
        c.getDuration("send-retry-base"),
        c.getDuration("max-retry-after"),
        c.getInt("download-attempts"),
        c.getDuration("album-window"),
        c.getDuration("typing-interval"),
        c.getDuration("typing-cap"),
        c.getDuration("progress-min-edit"),
        c.getDuration("member-count-ttl"),
        c.getDuration("ask-timeout"),
        c.getDuration("chat-idle"),
        c.getDuration("poll-coalesce"),
        c.getDuration("access-notice-interval"));
  }

  /** The wait before retry number {@code failures} (1 = first failure): base * 2^(n-1), at most the cap. */
  public Duration backoff(int failures) {
    int n = Math.max(1, Math.min(failures, 20));
    Duration d = backoffBase.multipliedBy(1L << (n - 1));
    return d.compareTo(backoffCap) > 0 ? backoffCap : d;
  }
}
