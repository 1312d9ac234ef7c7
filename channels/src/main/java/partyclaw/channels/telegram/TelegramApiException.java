package partyclaw.channels.telegram;

import java.time.Duration;
import java.util.Locale;

/**
 * A failed Bot API call. {@code status} is the HTTP status / Telegram {@code error_code}, or 0 when no answer came
 * (transport error or timeout). Messages never contain the bot token.
 */
public final class TelegramApiException extends RuntimeException {
  private final String method;
  private final int status;
  private final Integer retryAfterSeconds;
  private final boolean timeout;
  private final String description;

  TelegramApiException(String method, int status, String description, Integer retryAfterSeconds, boolean timeout) {
    super(method + " failed: " + description);
    this.method = method;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
    this.timeout = timeout;
    this.description = description;
  }

  /** What Telegram (or the transport) said, without the method name. */
  public String description() {
    return description;
  }

  public String method() {
    return method;
  }

  public int status() {
    return status;
  }

  public boolean isTimeout() {
    return timeout;
  }

  /** Telegram's {@code parameters.retry_after}, when it gave one. */
  public Duration retryAfter() {
    return retryAfterSeconds == null ? null : Duration.ofSeconds(Math.max(0, retryAfterSeconds));
  }

  /** Worth trying again: no answer, a server error, or flood control. */
  public boolean isRetryable() {
    return status == 0 || status >= 500 || status == 429;
  }

  /** HTML the API could not parse: the text can still go out as plain text. */
  public boolean isParseError() {
    String m = getMessage().toLowerCase(Locale.ROOT);
    return status == 400 && (m.contains("can't parse entities") || m.contains("can't find end tag")
        || m.contains("unsupported start tag"));
  }

  /** The text was already what the message shows; an edit changed nothing. */
  public boolean isNotModified() {
    return status == 400 && getMessage().toLowerCase(Locale.ROOT).contains("message is not modified");
  }
}
