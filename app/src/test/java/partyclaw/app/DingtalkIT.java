package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.testkit.DingtalkSigning;
import partyclaw.testkit.FakeDingtalkServer;
import partyclaw.testkit.FakeLlmServer;

/**
 * The daemon with a DingTalk Stream bot and a DingTalk robot on a fake DingTalk and an echoing fake model: replies
 * go through the session webhooks; disconnects, dropped sockets and a kill -9 lose nothing; robot callbacks are
 * answered only with a good signature.
 */
class DingtalkIT {
  static final String CLIENT_ID = "dingIT-client";
  static final String CLIENT_SECRET = "dingIT-client-secret-XYZ987";
  static final String APP_KEY = "dingIT-app-key";
  static final String APP_SECRET = "dingIT-app-secret-QRS654";
  static final String ROBOT_TOKEN = "dingIT-robot-token-LMN321";
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  FakeLlmServer llm;
  FakeDingtalkServer fake;
  int robotPort;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startFakes() throws IOException {
    llm = TelegramITSupport.llm();
    fake = FakeDingtalkServer.start(CLIENT_ID, CLIENT_SECRET);
    fake.setApp(APP_KEY, APP_SECRET);
    try (ServerSocket s = new ServerSocket(0)) {
      robotPort = s.getLocalPort();
    }
  }

  @AfterEach
  void stopFakes() {
    fake.close();
    llm.close();
  }

  Path config() throws IOException {
    String json = """
        {
          "version": "0.21",
          "models": { "main": { "type": "openrouter", "api_endpoint": "%s", "model": "fake-model",
                                "capabilities": ["chat"], "timeout_seconds": 60 } },
          "main_agent": { "language": "en" },
          "channels": [
            { "kind": "dingtalk", "id": "dt", "client_id_env": "PARTYCLAW_IT_DT_ID",
              "client_secret_env": "PARTYCLAW_IT_DT_SECRET", "api_base_url": "%s" },
            { "kind": "dingtalk_robot", "id": "robot", "webhook_url_env": "PARTYCLAW_IT_ROBOT_WEBHOOK",
              "app_key_env": "PARTYCLAW_IT_ROBOT_KEY", "app_secret_env": "PARTYCLAW_IT_ROBOT_SECRET",
              "http_listen_addr": "127.0.0.1:%d", "http_callback_path": "/dingtalk/robot", "api_base_url": "%s" }
          ]
        }
        """.formatted(llm.baseUrl(), fake.baseUrl(), robotPort, fake.baseUrl());
    Path file = dir.resolve("dingtalk-config.json");
    Files.writeString(file, json);
    return file;
  }

  DaemonProcess start(String name, Path config) throws IOException {
    Map<String, String> env = Map.of("PARTYCLAW_IT_DT_ID", CLIENT_ID, "PARTYCLAW_IT_DT_SECRET", CLIENT_SECRET,
        "PARTYCLAW_IT_ROBOT_WEBHOOK", fake.robotWebhook(ROBOT_TOKEN), "PARTYCLAW_IT_ROBOT_KEY", APP_KEY,
        "PARTYCLAW_IT_ROBOT_SECRET", APP_SECRET);
    return DaemonProcess.start(dir, name, null, env, "run", "--config", config.toString(), "--workdir",
        dir.resolve("wd").toString());
  }

  void assertNoSecretLeaked(DaemonProcess p) throws IOException {
    // session webhooks and gateway tickets carry tokens too
    LogLeakCheck.assertNoSecret(p, dir.resolve("wd"), CLIENT_SECRET, APP_SECRET, ROBOT_TOKEN, "sendBySession?session",
        "ticket-");
  }

  private long count(String target, String text) {
    return fake.texts(target).stream().filter(text::equals).count();
  }

  @Test
  void streamMessagesAreAnsweredAcrossADisconnectAndADroppedSocket() throws Exception {
    try (DaemonProcess daemon = start("stream", config())) {
      fake.awaitConnections(1, WAIT);
      fake.pushCallback(fake.textMessage("1", "cidA", "staffA", "Alice", "m-1", "hello", "sA1"));
      assertEquals(List.of("ok: hello"), fake.awaitTexts("session:sA1", 1, WAIT));

      fake.disconnect("gateway maintenance");
      fake.awaitConnections(2, WAIT);
      fake.pushCallback(fake.textMessage("1", "cidA", "staffA", "Alice", "m-2", "after disconnect", "sA2"));
      assertEquals(List.of("ok: after disconnect"), fake.awaitTexts("session:sA2", 1, WAIT));

      fake.dropSocket();
      // pushed while no socket is open: the gateway redelivers it to the next connection
      fake.pushCallback(fake.textMessage("1", "cidA", "staffA", "Alice", "m-3", "after drop", "sA3"));
      fake.awaitConnections(3, WAIT);
      assertEquals(List.of("ok: after drop"), fake.awaitTexts("session:sA3", 1, WAIT));

      fake.await(() -> fake.unackedCallbacks().isEmpty() ? true : null, WAIT, () -> "every callback acknowledged");
      Thread.sleep(1500); // room for a duplicate to show up
      assertEquals(3, fake.webhookPosts().size(), fake.webhookPosts().toString());
      assertEquals(List.of("hello", "after disconnect", "after drop"),
          TelegramITSupport.userTexts(TelegramITSupport.requestFor(llm, "after drop")));
      assertNoSecretLeaked(daemon);
    }
  }

  @Test
  void aMessageAckedBeforeAKill9IsAnsweredAfterTheRestart() throws Exception {
    Path config = config();
    llm.setDelay(Duration.ofSeconds(60));
    try (DaemonProcess first = start("first", config)) {
      fake.awaitConnections(1, WAIT);
      String frame = fake.pushCallback(fake.textMessage("1", "cidK", "staffK", "Kim", "m-k", "survive this", "sK"));
      assertEquals(200, fake.awaitAck(frame, WAIT).code()); // acked only once journaled
      llm.awaitRequests(1, WAIT);
      first.kill9();
      assertNoSecretLeaked(first);
    }
    assertEquals(0, fake.webhookPosts().size());

    llm.setDelay(Duration.ZERO);
    try (DaemonProcess second = start("second", config)) {
      // the session webhook cached before the crash answers the resumed turn; nobody wrote again
      assertEquals(List.of("ok: survive this"), fake.awaitTexts("session:sK", 1, WAIT));
      fake.pushCallback(fake.textMessage("1", "cidK", "staffK", "Kim", "m-k2", "and again", "sK2"));
      assertEquals(List.of("ok: and again"), fake.awaitTexts("session:sK2", 1, WAIT));
      Thread.sleep(1500);
      assertEquals(1, count("session:sK", "ok: survive this"));
      assertEquals(List.of("survive this", "and again"),
          TelegramITSupport.userTexts(TelegramITSupport.requestFor(llm, "and again")));
      assertNoSecretLeaked(second);
    }
  }

  @Test
  void robotCallbacksNeedAGoodSignatureAndAreAnsweredThroughTheSessionWebhook() throws Exception {
    try (DaemonProcess daemon = start("robot", config())) {
      String body = fake.textMessage("2", "cidGroupR", "staffR", "Rob", "r-1", "robot hello", "sR").toString();
      awaitListening();
      long now = System.currentTimeMillis();
      long stale = now - Duration.ofHours(2).toMillis();
      HttpResponse<String> forged = post(body, now, DingtalkSigning.sign(now, "not-the-secret"));
      HttpResponse<String> old = post(body, stale, DingtalkSigning.sign(stale, APP_SECRET));
      for (HttpResponse<String> r : List.of(forged, old)) {
        assertEquals(403, r.statusCode());
        assertEquals("invalid signature", r.body());
      }
      assertEquals(0, llm.requests().size(), "a refused callback never reaches the model");

      long t = System.currentTimeMillis();
      HttpResponse<String> good = post(body, t, DingtalkSigning.sign(t, APP_SECRET));
      assertEquals(200, good.statusCode());
      assertEquals("{\"success\":true}", good.body());
      assertEquals(List.of("ok: robot hello"), fake.awaitTexts("session:sR", 1, WAIT));
      assertEquals(1, llm.requests().size());
      assertEquals(List.of(), fake.texts("robot:" + ROBOT_TOKEN));
      assertNoSecretLeaked(daemon);
    }
  }

  private HttpResponse<String> post(String body, long timestamp, String sign) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + robotPort + "/dingtalk/robot"))
        .timeout(Duration.ofSeconds(30)).header("timestamp", Long.toString(timestamp)).header("sign", sign)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The robot's server is up once an unsigned probe gets its 403. */
  private void awaitListening() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + robotPort
            + "/dingtalk/robot")).timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 403) return;
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) throw new AssertionError("the robot callback server never listened");
      Thread.sleep(200);
    }
  }
}
