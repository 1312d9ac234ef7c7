package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import partyclaw.core.json.Json;
import partyclaw.testkit.TelegramFailure;

/** Flood-control bans at the API client: no call of any kind reaches a banned chat (or a banned bot). */
class TelegramBotApiBanTest extends TelegramTestSupport {

  private TelegramApiException failure(java.util.concurrent.CompletionStage<?> call) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> call.toCompletableFuture().get(5, TimeUnit.SECONDS));
    return assertInstanceOf(TelegramApiException.class, e.getCause());
  }

  @Test
  void aChatBanStopsEveryCallToThatChatAndOnlyThatChat() throws Exception {
    TelegramBotApi api = new TelegramBotApi(kit.system(), fake.baseUrl(), TOKEN, 1, fast());
    fake.failNext("sendMessage", 1, TelegramFailure.tooManyRequests(600));
    assertEquals(429, failure(api.call("sendMessage", Json.object().put("chat_id", 5).put("text", "a"))).status());
    assertTrue(api.banRemaining(5).compareTo(Duration.ofSeconds(590)) > 0, api.banRemaining(5).toString());

    TelegramApiException typing = failure(api.call("sendChatAction", Json.object().put("chat_id", 5).put("action", "typing")));
    assertEquals(429, typing.status());
    assertTrue(typing.retryAfter().toSeconds() > 590, typing.getMessage());
    assertEquals(429, failure(api.upload("sendDocument", Map.of("chat_id", "5"), "document", dir)).status());
    assertEquals(1, fake.calls(null).stream().filter(c -> c.chatId() == 5).count(), "nothing else reached Telegram");

    api.call("sendMessage", Json.object().put("chat_id", 6).put("text", "b")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(1, fake.sentMessages(6).size());
    assertEquals(Duration.ZERO, api.banRemaining(6));
  }

  @Test
  void aBanOnACallNotAddressedToAChatCoversTheWholeBot() throws Exception {
    TelegramBotApi api = new TelegramBotApi(kit.system(), fake.baseUrl(), TOKEN, 1, fast());
    fake.failNext("answerCallbackQuery", 1, TelegramFailure.tooManyRequests(600));
    assertEquals(429, failure(api.call("answerCallbackQuery", Json.object().put("callback_query_id", "1"))).status());
    assertEquals(429, failure(api.call("sendMessage", Json.object().put("chat_id", 7).put("text", "c"))).status());
    assertEquals(0, fake.calls("sendMessage").size());
    assertTrue(api.banRemaining(8).toSeconds() > 590);
  }
}
