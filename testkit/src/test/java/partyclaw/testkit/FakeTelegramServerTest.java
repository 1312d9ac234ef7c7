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
