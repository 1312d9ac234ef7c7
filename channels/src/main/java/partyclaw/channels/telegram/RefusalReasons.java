package partyclaw.channels.telegram;

/**
 * Which Bot API errors mean an outbox entry will never be delivered, and the reason the conversation records (shown
 * in /status; Telegram's descriptions are already free of the token).
 */
final class RefusalReasons {
  private RefusalReasons() {}

  /** The reason, or null when resending may still work. {@code textPart}: the failed part is text, not a file. */
  static String forEntry(TelegramApiException e, int partIndex, int parts, boolean textPart) {
    return switch (e.status()) {
      case 401 -> "Telegram rejects the bot token (401 Unauthorized): the token is wrong or was revoked";
      case 404 -> "Telegram does not know the bot (404 Not Found): the token or api_base_url is wrong";
      case 403 -> "Telegram forbids the bot to write to this chat (" + e.description() + ")";
      case 400 -> textPart
          ? "Telegram refused part " + (partIndex + 1) + " of " + parts + " even as plain text in smaller pieces ("
              + e.description() + ")"
          : null;
      default -> null;
    };
  }
}
