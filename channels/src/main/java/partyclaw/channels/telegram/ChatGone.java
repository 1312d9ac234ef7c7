package partyclaw.channels.telegram;

import java.util.List;
import java.util.Locale;

/** Telegram's refusals that mean the chat is gone for the bot for good (spec §2.1.5). */
final class ChatGone {
  private static final List<String> TEXTS = List.of("chat not found", "group chat was deleted",
      "group chat was upgraded to a supergroup chat", "bot was kicked from the group chat",
      "bot is not a member of the channel chat", "forbidden: bot was kicked");

  private ChatGone() {}

  static boolean is(Throwable error) {
    if (!(error instanceof TelegramApiException tae) || tae.description() == null) return false;
    String text = tae.description().toLowerCase(Locale.ROOT);
    return TEXTS.stream().anyMatch(text::contains);
  }
}
