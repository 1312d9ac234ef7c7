package partyclaw.core.config;

import java.util.List;
import java.util.Optional;

/**
 * {@code kind: "telegram"}. {@code apiBaseUrl} has no trailing {@code /}. {@code allowedChatIds} and
 * {@code allowedUserIds} are a partyclaw extension ({@code allowed_chat_ids}, {@code allowed_user_ids}):
 * when non-empty, only those chats / users are served; empty means everyone.
 */
public record TelegramChannelConfig(
    String id,
    String botToken,
    String botTokenEnv,
    String apiBaseUrl,
    int pollTimeoutSeconds,
    long pollIntervalMs,
    List<Long> allowedChatIds,
    List<Long> allowedUserIds) implements ChannelConfig {

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

  public boolean chatAllowed(long chatId) {
    return allowedChatIds.isEmpty() || allowedChatIds.contains(chatId);
  }

  public boolean userAllowed(long userId) {
    return allowedUserIds.isEmpty() || allowedUserIds.contains(userId);
  }

  @Override
  public String toString() {
    return "TelegramChannelConfig[" + id + ", token " + (botToken != null && !botToken.isBlank() ? "literal" : "env " + botTokenEnv)
        + ", " + apiBaseUrl + ", allowedChatIds=" + allowedChatIds + ", allowedUserIds=" + allowedUserIds + "]";
  }
}
