package partyclaw.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FuzzInputsTest {

  /** A message's numeric {@code date} is the wall clock, not the seed: two calls may straddle a second. */
  static com.fasterxml.jackson.databind.JsonNode withoutClock(com.fasterxml.jackson.databind.node.ObjectNode update) {
    com.fasterxml.jackson.databind.node.ObjectNode copy = update.deepCopy();
    copy.forEach(v -> {
      if (v.isObject() && v.path("date").isNumber()) ((com.fasterxml.jackson.databind.node.ObjectNode) v).remove("date");
    });
    return copy;
  }

  @Test
  void theSameSeedMakesTheSameInputs() {
    Random a = new Random(99);
    Random b = new Random(99);
    for (int i = 0; i < 200; i++) {
      assertEquals(withoutClock(FuzzInputs.telegramUpdate(a, 5).update()),
          withoutClock(FuzzInputs.telegramUpdate(b, 5).update()));
      FuzzInputs.FuzzStream sa = FuzzInputs.modelStream(a);
      FuzzInputs.FuzzStream sb = FuzzInputs.modelStream(b);
      assertArrayEquals(sa.body(), sb.body());
      assertEquals(sa.kinds(), sb.kinds());
    }
  }

  @Test
  void everyKindOfUpdateAndStreamMutationIsMade() {
    Random r = new Random(1);
    Set<String> updateKinds = new HashSet<>();
    Set<String> streamKinds = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      updateKinds.add(FuzzInputs.telegramUpdate(r, 1).kind());
      for (String k : FuzzInputs.modelStream(r).kinds().split(", ")) streamKinds.add(k);
    }
    assertEquals(12, updateKinds.size(), updateKinds.toString());
    assertEquals(14, streamKinds.size(), streamKinds.toString());
  }

  @Test
  void configMutationsChangeTheConfig() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    var base = mapper.readTree("{\"version\":\"0.21\",\"models\":{\"main\":{\"type\":\"openrouter\",\"model\":\"m\"}},"
        + "\"channels\":[{\"kind\":\"command_line\",\"id\":\"cli\"}]}");
    Random r = new Random(3);
    int changed = 0;
    for (int i = 0; i < 200; i++) {
      FuzzInputs.FuzzConfig c = FuzzInputs.mutateConfig(r, base);
      assertFalse(c.mutations().isEmpty());
      if (!c.json().equals(base.toPrettyString())) changed++;
    }
    assertTrue(changed >= 190, "mutations change the config: " + changed + " of 200");
  }

  @Test
  void aRawStreamArrivesByteForByte() throws Exception {
    byte[] body = {'d', 'a', 't', 'a', ':', ' ', (byte) 0xff, (byte) 0xc3, '\n', '\n', 'x'};
    try (FakeLlmServer llm = FakeLlmServer.start()) {
      llm.enqueue(Step.rawStream(body, "text/event-stream", false));
      HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(llm.chatCompletionsUrl()))
              .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}", StandardCharsets.UTF_8)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, response.statusCode());
      assertArrayEquals(body, response.body());
      assertEquals("text/event-stream", response.headers().firstValue("content-type").orElse("").split(";")[0]);
    }
  }

  @Test
  void aRawUpdateIsServedAsGivenWithItsOwnId() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    try (FakeTelegramServer fake = FakeTelegramServer.start("1:T")) {
      var update = mapper.createObjectNode();
      update.put("update_id", "bogus");
      update.putObject("zz_future_kind").put("text", 42);
      long id = fake.injectRawUpdate(update);
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/bot1:T/getUpdates")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      var served = mapper.readTree(response.body()).path("result").get(0);
      assertEquals(id, served.path("update_id").asLong());
      assertEquals(42, served.path("zz_future_kind").path("text").asInt());
      assertEquals(2, served.size(), served.toString());
    }
  }
}
