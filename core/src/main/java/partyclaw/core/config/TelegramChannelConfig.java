package partyclaw.core.config;

import java.util.List;
import java.util.Optional;

/**
 * {@code kind: "telegram"}. {@code apiBaseUrl} has no trailing {@code /}. Access is closed by default, as in the
 * reference: an administrator claims the bot and approves chats. Two partyclaw extensions act on top:
 * {@code allowedChatIds} / {@code allowedUserIds} ({@code allowed_chat_ids}, {@code allowed_user_ids}) let the
 * messages they match through without approval (an empty list matches every chat / user, but only when the other
 * list is set), and {@code open} ({@code "open": true}) turns access control off: then the allow-lists alone decide,
 * as before access control existed, and with none set everyone is served.
 */
public record TelegramChannelConfig(
    String id,
    String botToken,
    String botTokenEnv,
    String apiBaseUrl,
    int pollTimeoutSeconds,
    long pollIntervalMs,
    List<Long> allowedChatIds,
    List<Long> allowedUserIds,
    boolean open) implements ChannelConfig {

  public static final String KIND = "telegram";
  public static final String DEFAULT_BOT_TOKEN_ENV = "TELEGRAM_BOT_TOKEN";
  public static final String DEFAULT_API_BASE_URL = "https://api.telegram.org";
  public static final int DEFAULT_POLL_TIMEOUT_SECONDS = 30;
  public static final long DEFAULT_POLL_INTERVAL_MS = 250;

  public TelegramChannelConfig {
    allowedChatIds = allowedChatIds == null ? List.of() : List.copyOf(allowedChatIds);
    allowedUserIds = allowedUserIds == null ? List.of() : List.copyOf(allowedUserIds);
  }

  @Override
  public String kind() {
    return KIND;
  }

  public Optional<String> resolveBotToken(Environment env) {
    return env.resolve(botToken, botTokenEnv);
  }

  public boolean hasAllowLists() {
    return !allowedChatIds.isEmpty() || !allowedUserIds.isEmpty();
  }

  /** Whether a message from {@code userId} in {@code chatId} passes the configured allow-lists (none set: no). */
  public boolean allowListed(long chatId, long userId) {
    return hasAllowLists() && chatAllowed(chatId) && userAllowed(userId);
  }

  public boolean chatAllowed(long chatId) {
    return allowedChatIds.isEmpty() || allowedChatIds.contains(chatId);
  }

  public boolean userAllowed(long userId) {
    return allowedUserIds.isEmpty() || allowedUserIds.contains(userId);
  }

  @Override
  public String toString() {
    return "TelegramChannelConfig[" + id + ", token " + (botToken != null && !botToken.isBlank() ? "literal" : "env " + botTokenEnv)
        + ", " + apiBaseUrl + ", allowedChatIds=" + allowedChatIds + ", allowedUserIds=" + allowedUserIds
        + (open ? ", open" : "") + "]";
  }
}
