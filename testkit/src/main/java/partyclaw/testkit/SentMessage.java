package partyclaw.testkit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message the bot sent to a chat of {@link FakeTelegramServer}, as it stands now (after edits).
 *
 * @param method sendMessage, sendPhoto, sendDocument…
 * @param text the text or caption as sent (HTML when {@code parseMode} is HTML)
 * @param file the uploaded file of a media message, else null
 * @param edits how often editMessageText changed it
 */
public record SentMessage(long chatId, long messageId, String method, String text, String parseMode,
    UploadedFile file, JsonNode replyMarkup, int edits) {

  /** What the user sees: tags removed and entities decoded for HTML. */
  public String visibleText() {
    if (text == null) return "";
    return "HTML".equalsIgnoreCase(parseMode) ? TelegramHtml.visibleOrRaw(text) : text;
  }

  SentMessage edited(String newText, String newParseMode) {
    return new SentMessage(chatId, messageId, method, newText, newParseMode, file, replyMarkup, edits + 1);
  }
}
