package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.FakeTelegramServer;
import partyclaw.testkit.TelegramFailure;

/**
 * The packaged daemon's management endpoint: /alive, /ready turning from 503 to 200 once every channel started,
 * /metrics counting exactly what was sent.
 */
class ManagementIT {
  @TempDir Path dir;
  FakeLlmServer llm;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void startLlm() {
    llm = FakeLlmServer.start().setDefault(FakeLlmServer.ECHO_DEFAULT);
  }

  @AfterEach
  void stopLlm() {
    llm.close();
  }

  @Test
  void readinessAliveAndMetricsThatMoveByExactlyTheMessagesSent() throws Exception {
    int port = freePort();
    String base = "http://127.0.0.1:" + port;
    Path config = TestConfigs.cliWithManagement(dir, llm.baseUrl(), "127.0.0.1:" + port);
    try (DaemonProcess p = DaemonProcess.startInteractive(dir, "run", Map.of(),
        "run", "--config", config.toString(), "--workdir", dir.resolve("wd").toString())) {
      awaitReady(base, p);
      HttpResponse<String> alive = get(base + "/alive");
      assertEquals(200, alive.statusCode());
      assertEquals("alive\n", alive.body());

      Scrape before = scrape(base);
      for (int i = 1; i <= 3; i++) {
        p.send("message " + i);
        String expected = "ok: message " + i;
        await(Duration.ofSeconds(60), () -> p.stdout().contains(expected), Duration.ofMillis(50), p);
      }
      // The finished-turn activity reaches the channel right after the reply: awaited, not assumed.
      await(Duration.ofSeconds(30), () -> scrape(base).value("partyclaw_turns_total", "outcome=\"completed\"")
          == before.value("partyclaw_turns_total", "outcome=\"completed\"") + 3, Duration.ofMillis(50), p);
      Scrape after = scrape(base);
      assertEquals(before.value("partyclaw_messages_received_total", "channel=\"cli\"") + 3,
          after.value("partyclaw_messages_received_total", "channel=\"cli\""), after.text());
      assertEquals(before.value("partyclaw_turns_total", "outcome=\"completed\"") + 3,
          after.value("partyclaw_turns_total", "outcome=\"completed\""));
      assertEquals(before.value("partyclaw_replies_delivered_total", "kind=\"reply\"") + 3,
          after.value("partyclaw_replies_delivered_total", "kind=\"reply\""), after.text());
      assertEquals(before.value("partyclaw_model_request_seconds_count", "model=\"main\",outcome=\"ok\"") + 3,
          after.value("partyclaw_model_request_seconds_count", "model=\"main\",outcome=\"ok\""), after.text());
      assertEquals(0, after.value("partyclaw_outbox_pending", ""), after.text());
      assertEquals(1, after.value("partyclaw_conversations_active", ""), after.text());
      assertTrue(after.value("partyclaw_journal_write_seconds_count", "outcome=\"ok\"") > 0, after.text());
      assertTrue(after.value("partyclaw_journal_write_seconds_bucket", "le=\"+Inf\"") > 0, after.text());
      assertTrue(after.value("jvm_threads_live_threads", "") > 0, after.text());

      p.closeStdin();
      assertEquals(0, p.waitForExit(Duration.ofSeconds(60)), p.stderr());
      assertTrue(p.stderr().contains("management endpoint listening on http://127.0.0.1:" + port), p.stderr());
    }
  }

  @Test
  void notReadyUntilEveryChannelStartedThenReadyAndCountingTelegramToo() throws Exception {
    int port = freePort();
    String base = "http://127.0.0.1:" + port;
    try (FakeLlmServer tgLlm = TelegramITSupport.llm(); FakeTelegramServer telegram = TelegramITSupport.telegram()) {
      // The bot cannot start while the Bot API fails getMe: the node must say so instead of claiming to be ready.
      telegram.failDuring("getMe", Duration.ofMinutes(5), TelegramFailure.serverError());
      Path config = TelegramITSupport.config(dir, tgLlm.baseUrl(), telegram.baseUrl());
      Files.writeString(config, Files.readString(config).replace("\"channels\": [",
          "\"management\": { \"listen_addr\": \"127.0.0.1:" + port + "\" },\n  \"channels\": ["));
      try (DaemonProcess p = TelegramITSupport.start(dir, "tg", config,
          Map.of("PARTYCLAW_JAVA_OPTS", "-Dpartyclaw.telegram.backoff-cap=1s"))) {
        telegram.awaitCalls("getMe", 1, Duration.ofSeconds(90));
        // Journal recovered and cluster up come quickly; the channel stays the one thing waited for.
        await(Duration.ofSeconds(60), () -> {
          HttpResponse<String> r = get(base + "/ready");
          return r != null && r.statusCode() == 503 && r.body().equals("not ready: waiting for channels tg\n");
        }, Duration.ofMillis(50), p);
        assertEquals(200, get(base + "/alive").statusCode(), "alive while not ready");

        telegram.clearFailures();
        awaitReady(base, p);

        telegram.injectMessage(5001, "private", 5001, "hello bot");
        TelegramITSupport.awaitReply(telegram, 5001, "ok: hello bot");
        await(Duration.ofSeconds(30), () -> scrape(base).value("partyclaw_turns_total", "outcome=\"completed\"") == 1,
            Duration.ofMillis(50), p);
        Scrape after = scrape(base);
        assertEquals(1, after.value("partyclaw_messages_received_total", "channel=\"tg\""), after.text());
        assertEquals(1, after.value("partyclaw_replies_delivered_total", "channel=\"tg\",kind=\"reply\""),
            after.text());
        await(Duration.ofSeconds(30), () -> scrape(base).value("partyclaw_outbox_pending", "") == 0,
            Duration.ofMillis(50), p);
      }
    }
  }

  /** Polls /ready until 200; every answer before it must be a 503 that says what the node waits for. */
  private void awaitReady(String base, DaemonProcess p) throws InterruptedException {
    List<HttpResponse<String>> answers = new ArrayList<>();
    await(Duration.ofSeconds(90), () -> {
      assertTrue(p.alive(), "the daemon exited:\n" + p.stderr());
      HttpResponse<String> r = get(base + "/ready");
      if (r != null) answers.add(r);
      return r != null && r.statusCode() == 200;
    }, Duration.ofMillis(20), p);
    assertEquals("ready\n", answers.get(answers.size() - 1).body());
    for (HttpResponse<String> r : answers.subList(0, answers.size() - 1)) {
      assertEquals(503, r.statusCode(), r.body());
      assertTrue(r.body().startsWith("not ready: waiting for "), r.body());
    }
  }

  /** The sum of the samples of {@code name} whose labels contain {@code labels}. */
  record Scrape(String text) {
    double value(String name, String labels) {
      double sum = 0;
      for (String line : text.lines().toList()) {
        if (line.startsWith("#")) continue;
        int space = line.lastIndexOf(' ');
        String series = line.substring(0, space);
        String seriesName = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
        if (seriesName.equals(name) && series.contains(labels)) sum += Double.parseDouble(line.substring(space + 1));
      }
      return sum;
    }
  }

  private Scrape scrape(String base) {
    HttpResponse<String> r = get(base + "/metrics");
    if (r == null || r.statusCode() != 200) throw new AssertionError("/metrics did not answer 200: " + r);
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
    return new Scrape(r.body());
  }

  /** The response, or null while nothing listens yet. */
  private HttpResponse<String> get(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      return null;
    } catch (IOException e) {
      if (e.getCause() instanceof ConnectException) return null;
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void await(Duration timeout, BooleanSupplier condition, Duration every, DaemonProcess p)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout + "\nstdout:\n" + p.stdout() + "\nstderr:\n"
            + p.stderr());
      }
      Thread.sleep(every.toMillis());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
