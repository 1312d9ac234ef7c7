package partyclaw.testkit;

import java.time.Duration;

/**
 * How {@link FakeTelegramServer} fails a Bot API call on purpose: an HTTP status with the API's error body
 * ({@code retryAfter} adds {@code parameters.retry_after}), or {@code hang}: no answer for {@code hangFor}.
 */
public record TelegramFailure(int status, String description, Integer retryAfter, Duration hangFor) {

  public static TelegramFailure serverError() {
    return new TelegramFailure(500, "Internal Server Error", null, null);
  }

  public static TelegramFailure badGateway() {
    return new TelegramFailure(502, "Bad Gateway", null, null);
  }

  public static TelegramFailure tooManyRequests(int retryAfterSeconds) {
    return new TelegramFailure(429, "Too Many Requests: retry after " + retryAfterSeconds, retryAfterSeconds, null);
  }

  public static TelegramFailure conflict() {
    return new TelegramFailure(409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running", null, null);
  }

  public static TelegramFailure cantParseEntities() {
    return new TelegramFailure(400, "Bad Request: can't parse entities: injected by the test", null, null);
  }

  public static TelegramFailure forbidden() {
    return new TelegramFailure(403, "Forbidden: bot was blocked by the user", null, null);
  }

  /** A revoked or wrong bot token. */
  public static TelegramFailure unauthorized() {
    return new TelegramFailure(401, "Unauthorized", null, null);
  }

  /** What Telegram answers for a token it has never issued. */
  public static TelegramFailure notFound() {
    return new TelegramFailure(404, "Not Found", null, null);
  }

  public static TelegramFailure badRequest(String what) {
    return new TelegramFailure(400, "Bad Request: " + what, null, null);
  }

  /** No answer at all for {@code duration}, then a 504, as a stuck proxy would. */
  public static TelegramFailure hang(Duration duration) {
    return new TelegramFailure(504, "Gateway Timeout", null, duration);
  }

  public boolean hangs() {
    return hangFor != null;
  }
}
