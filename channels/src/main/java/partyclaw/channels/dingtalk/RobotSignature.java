package partyclaw.channels.dingtalk;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * DingTalk's signature on robot callbacks (spec 2.3): headers {@code timestamp} (epoch ms) and {@code sign}, where
 * {@code sign = Base64(HMAC-SHA256(key = app secret, message = "<timestamp>\n<app secret>"))} and the timestamp is
 * within the window of now. Compared in constant time.
 */
final class RobotSignature {
  private final byte[] secret;
  private final String secretText;
  private final Duration window;

  RobotSignature(String appSecret, Duration window) {
    this.secret = appSecret.getBytes(StandardCharsets.UTF_8);
    this.secretText = appSecret;
    this.window = window;
  }

  /** Whether the headers' values prove the request came from DingTalk, at {@code nowMillis}. */
  boolean verify(String timestamp, String sign, long nowMillis) {
    if (timestamp == null || sign == null || timestamp.isBlank() || sign.isBlank()) return false;
    long ts;
    try {
      ts = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(nowMillis - ts) > window.toMillis()) return false;
    byte[] expected = sign(timestamp.strip()).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, sign.strip().getBytes(StandardCharsets.UTF_8));
  }

  /** The {@code sign} DingTalk sends with {@code timestamp}. */
  String sign(String timestamp) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] digest = mac.doFinal((timestamp + "\n" + secretText).getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
