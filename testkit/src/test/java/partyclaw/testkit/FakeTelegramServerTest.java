package partyclaw.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeTelegramServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();
  FakeTelegramServer fake;

  @BeforeEach
  void start() {
    fake = FakeTelegramServer.start("T0KEN");
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  CompletableFuture<HttpResponse<String>> post(String method, String body) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/botT0KEN/" + method))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode ok(String method, String body) throws Exception {
    HttpResponse<String> r = post(method, body).get();
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body()).get("result");
  }

  @Test
  void getUpdatesIsHeldUntilAnUpdateArrivesAndTheOffsetConfirms() throws Exception {
    long t0 = System.nanoTime();
    CompletableFuture<HttpResponse<String>> held = post("getUpdates", "{\"offset\":0,\"timeout\":5}");
    fake.awaitCalls("getUpdates", 1, Duration.ofSeconds(5)); // the poll reached the server
    assertTrue(!held.isDone(), "held open while there is nothing");
    long id = fake.injectMessage(10, "private", 10, "hi");
    JsonNode updates = JSON.readTree(held.get().body()).get("result");
    assertTrue(System.nanoTime() - t0 < 4_000_000_000L, "answered when the update came, not at the timeout");
    assertEquals(id, updates.get(0).get("update_id").asLong());
    assertEquals("hi", updates.get(0).get("message").get("text").asText());
    assertEquals(1, ok("getUpdates", "{\"offset\":" + id + ",\"timeout\":0}").size(), "unconfirmed: delivered again");
    assertEquals(0, ok("getUpdates", "{\"offset\":" + (id + 1) + ",\"timeout\":0}").size());
    assertEquals(id + 1, fake.confirmedOffset());
  }

  CompletableFuture<HttpResponse<String>> control(String pathAndQuery, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/_control/" + pathAndQuery));
    b = body == null ? b.GET() : b.header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBatchOfInjectedMessagesAnswersAHeldPollAtOnce() throws Exception {
    CompletableFuture<HttpResponse<String>> held = post("getUpdates", "{\"offset\":0,\"timeout\":5}");
    fake.awaitCalls("getUpdates", 1, Duration.ofSeconds(5));
    JsonNode ids = JSON.readTree(control("messages", "{\"messages\":[{\"chat_id\":1,\"text\":\"a\"},"
        + "{\"chat_id\":2,\"text\":\"b\"},{\"chat_id\":-3,\"from_id\":9,\"text\":\"c\"}]}").get().body())
        .path("result").path("update_ids");
    assertEquals(3, ids.size());
    JsonNode updates = JSON.readTree(held.get().body()).get("result");
    assertEquals(3, updates.size(), "the held poll answered the whole batch");
    for (int i = 0; i < 3; i++) assertEquals(ids.get(i).asLong(), updates.get(i).get("update_id").asLong());
    assertEquals("group", updates.get(2).path("message").path("chat").path("type").asText());
    assertEquals(9, updates.get(2).path("message").path("from").path("id").asLong());
  }

  @Test
  void theSentFeedWaitsForTheNextSendAndListsEditsInOrder() throws Exception {
    JsonNode empty = JSON.readTree(control("sent_feed?from=0&timeout_ms=0", null).get().body()).get("result");
    assertEquals(0, empty.get("next").asInt());
    assertEquals(0, empty.get("messages").size());
    CompletableFuture<HttpResponse<String>> waiting = control("sent_feed?from=0&timeout_ms=5000", null);
    long t0 = System.nanoTime();
    long first = ok("sendMessage", "{\"chat_id\":5,\"text\":\"one\"}").get("message_id").asLong();
    JsonNode fed = JSON.readTree(waiting.get().body()).get("result");
    assertTrue(System.nanoTime() - t0 < 4_000_000_000L, "answered at the send, not at the timeout");
    assertEquals(1, fed.get("next").asInt());
    assertEquals(1, fed.get("messages").size());
    assertEquals(5, fed.get("messages").get(0).get("chat_id").asLong());
    assertEquals("one", fed.get("messages").get(0).get("text").asText());
    ok("sendMessage", "{\"chat_id\":6,\"text\":\"two\"}");
    ok("editMessageText", "{\"chat_id\":5,\"message_id\":" + first + ",\"text\":\"one, edited\"}");
    JsonNode rest = JSON.readTree(control("sent_feed?from=1&timeout_ms=5000", null).get().body()).get("result");
    assertEquals(3, rest.get("next").asInt());
    assertEquals(2, rest.get("messages").size());
    assertEquals("two", rest.get("messages").get(0).get("text").asText());
    assertEquals("one, edited", rest.get("messages").get(1).get("text").asText());
    assertEquals(1, rest.get("messages").get(1).get("edits").asInt());
    long t1 = System.nanoTime();
    JsonNode timedOut = JSON.readTree(control("sent_feed?from=3&timeout_ms=200", null).get().body()).get("result");
    assertTrue(System.nanoTime() - t1 >= 150_000_000L, "waited for the timeout");
    assertEquals(0, timedOut.get("messages").size());
    assertEquals(3, timedOut.get("next").asInt());
  }

  @Test
  void aNewerPollEndsAHeldOneWithConflict() throws Exception {
    CompletableFuture<HttpResponse<String>> first = post("getUpdates", "{\"timeout\":5}");
    fake.awaitCalls("getUpdates", 1, Duration.ofSeconds(5)); // the first poll is held before the second comes
    CompletableFuture<HttpResponse<String>> second = post("getUpdates", "{\"timeout\":1}");
    assertEquals(409, first.get().statusCode());
    assertEquals(200, second.get().statusCode());
  }

  @Test
  void htmlIsCheckedLikeTheBotApiAndScriptedFailuresApply() throws Exception {
    HttpResponse<String> bad = post("sendMessage", "{\"chat_id\":5,\"text\":\"<b>open\",\"parse_mode\":\"HTML\"}").get();
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("can't parse entities"), bad.body());
    ok("sendMessage", "{\"chat_id\":5,\"text\":\"<b>a &amp; b</b>\",\"parse_mode\":\"HTML\"}");
    assertEquals("a & b", fake.sentMessages(5).get(0).visibleText());
    HttpResponse<String> tooLong = post("sendMessage", "{\"chat_id\":5,\"text\":\"" + "x".repeat(4097) + "\"}").get();
    assertEquals(400, tooLong.statusCode());

    fake.failNext("sendMessage", 1, TelegramFailure.tooManyRequests(3));
    HttpResponse<String> limited = post("sendMessage", "{\"chat_id\":5,\"text\":\"x\"}").get();
    assertEquals(429, limited.statusCode());
    assertEquals(3, JSON.readTree(limited.body()).path("parameters").path("retry_after").asInt());
    assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/botWRONG/getMe"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  @Test
  void filesCanBeFetchedThroughGetFile() throws Exception {
    fake.message(7, "private", 7).photo(new byte[] {5, 6, 7}).inject();
    JsonNode update = ok("getUpdates", "{\"timeout\":0}").get(0);
    JsonNode sizes = update.get("message").get("photo");
    String fileId = sizes.get(sizes.size() - 1).get("file_id").asText();
    String path = ok("getFile", "{\"file_id\":\"" + fileId + "\"}").get("file_path").asText();
    byte[] bytes = http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/file/botT0KEN/" + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray()).body();
    assertEquals(3, bytes.length);
    assertEquals(7, bytes[2]);
  }

  @Test
  void visibleTextRejectsWhatTelegramRejects() {
    assertThrows(TelegramHtml.ParseException.class, () -> TelegramHtml.visibleText("<div>x</div>"));
    assertThrows(TelegramHtml.ParseException.class, () -> TelegramHtml.visibleText("a & b"));
    assertThrows(TelegramHtml.ParseException.class, () -> TelegramHtml.visibleText("<b><i>x</b></i>"));
  }

  @Test
  void awaitFailsWithWhatItWaitedFor() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> fake.awaitSentMessages(1, 1, Duration.ofMillis(200)));
    assertTrue(e.getMessage().contains("1 messages sent to chat 1"), e.getMessage());
  }
}
