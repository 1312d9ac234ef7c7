package partyclaw.channels.dingtalk;

import com.typesafe.config.Config;
import java.time.Duration;

/** Timing of the DingTalk channels, from {@code partyclaw.dingtalk} in the Akka config (see reference.conf). */
public record DingtalkSettings(
    Duration backoffBase,
    Duration backoffCap,
    Duration requestTimeout,
    Duration downloadTimeout,
    Duration askTimeout,
    Duration keepAlive,
    Duration signatureWindow,
    Duration callbackTimeout) {

  public static DingtalkSettings fromConfig(Config root) {
    Config c = root.getConfig("partyclaw.dingtalk");
    return new DingtalkSettings(
        c.getDuration("backoff-base"),
        c.getDuration("backoff-cap"),
        c.getDuration("request-timeout"),
        c.getDuration("download-timeout"),
        c.getDuration("ask-timeout"),
        c.getDuration("keep-alive"),
        c.getDuration("signature-window"),
        c.getDuration("callback-timeout"));
  }

  /** The wait before retry number {@code failures} (1 = first failure): base * 2^(n-1), at most the cap. */
  public Duration backoff(int failures) {
    int n = Math.max(1, Math.min(failures, 20));
    Duration d = backoffBase.multipliedBy(1L << (n - 1));
    return d.compareTo(backoffCap) > 0 ? backoffCap : d;
  }
}
