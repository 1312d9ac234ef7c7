package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.testkit.ApiCall;
import partyclaw.testkit.ChaosReport;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.FakeTelegramServer;
import partyclaw.testkit.RecordedRequest;
import partyclaw.testkit.Step;
import partyclaw.testkit.TelegramFailure;

/**
 * The outage: for {@code -Dchaos.outage.minutes} (default 0.5; {@code scripts/chaos outage} runs 10) every Bot API
 * call fails, in phases chosen by the seed: 500s, 429s with a {@code retry_after}, and calls that hang until they
 * time out. Messages keep arriving in several chats meanwhile. The daemon's poller must survive and, once the API is
 * back, answer every message exactly once (no crash, so no at-least-once window here).
 */
class ChaosOutageIT {
  private static final long CHAT_BASE = 9300;
  private static final Pattern MESSAGE = Pattern.compile("(during|before|after) the outage( \\d+)?");

  @TempDir Path dir;
  FakeLlmServer llm;
  FakeTelegramServer fake;

  @AfterEach
  void stopAll() {
    if (fake != null) fake.close();
    if (llm != null) llm.close();
  }

  /**
   * Messages that waited out the outage in one chat reach the conversation together and make one turn: the model
   * answers each of them, one paragraph per message, the way a real model answers a batch.
   */
  private static Step answerEach(RecordedRequest req) {
    List<JsonNode> messages = req.messages();
    List<String> lines = new ArrayList<>();
    for (int i = messages.size() - 1; i >= 0 && !"assistant".equals(messages.get(i).path("role").asText()); i--) {
      if (!"user".equals(messages.get(i).path("role").asText())) continue;
      Matcher m = MESSAGE.matcher(messages.get(i).path("content").asText());
      List<String> found = new ArrayList<>();
      while (m.find()) found.add("ok: " + m.group());
      lines.addAll(0, found);
    }
    return Step.text(lines.isEmpty() ? "ok: " + req.lastUserText() : String.join("\n\n", lines));
  }

  /** How many times a bot message in the chat has the whole line {@code line}. */
  private static long answers(FakeTelegramServer fake, long chat, String line) {
    return fake.sentMessages(chat).stream().flatMap(m -> m.visibleText().lines()).filter(line::equals).count();
  }

  @Test
  void thePollerSurvivesAndEverythingSentDuringTheOutageIsAnsweredOnce() throws Exception {
    long seed = ChaosReport.seed();
    double minutes = ChaosReport.number("chaos.outage.minutes", 0.5);
    int chats = ChaosReport.count("chaos.chats", 5);
    int messages = ChaosReport.count("chaos.outage.messages", 20);
    Duration outage = Duration.ofMillis((long) (minutes * 60_000));
    // a compressed outage gets a compressed backoff, or the recovery would take longer than the outage
    boolean compressed = outage.compareTo(Duration.ofMinutes(2)) < 0;
    ChaosReport report = new ChaosReport("outage");
    report.line("seed %d, outage %.2f min, %d chats, %d messages during it, %s poller timings "
        + "(reproduce: scripts/chaos outage --seed %d --minutes %s)", seed, minutes, chats, messages,
        compressed ? "compressed" : "default", seed, minutes);
    Random random = new Random(seed);
    llm = FakeLlmServer.start();
    llm.setDefault(ChaosOutageIT::answerEach);
    fake = TelegramITSupport.telegram();
    Path config = ChaosSupport.config(dir, llm.baseUrl(), fake.baseUrl(), 60, 3);
    Map<String, String> env = compressed
        ? Map.of("PARTYCLAW_JAVA_OPTS", "-Dpartyclaw.telegram.poll-grace=3s -Dpartyclaw.telegram.backoff-cap=4s"
            + " -Dpartyclaw.telegram.request-timeout=10s")
        : Map.of();

    try (DaemonProcess daemon = ChaosSupport.track(TelegramITSupport.start(dir, "daemon", config, env), dir)) {
      fake.injectMessage(CHAT_BASE, "private", CHAT_BASE, "before the outage");
      fake.await(() -> answers(fake, CHAT_BASE, "ok: before the outage") > 0 ? Boolean.TRUE : null,
          Duration.ofSeconds(60), () -> "the answer before the outage");
      report.line("daemon up, first message answered; the outage begins");

      // phases of 500 / 429 / hang, each a tenth of the outage (at least 5 s), in a seeded order
      long outageStart = System.nanoTime();
      long end = outageStart + outage.toNanos();
      Duration phase = Duration.ofMillis(Math.max(5000, outage.toMillis() / 10));
      Map<String, Integer> phases = new LinkedHashMap<>();
      List<String> texts = new ArrayList<>();
      Map<String, Long> chatOf = new LinkedHashMap<>();
      long nextMessage = outageStart;
      long messageEvery = outage.toNanos() / Math.max(1, messages);
      while (System.nanoTime() < end) {
        long left = end - System.nanoTime();
        Duration thisPhase = Duration.ofNanos(Math.min(phase.toNanos(), left));
        int kind = random.nextInt(3);
        TelegramFailure failure = switch (kind) {
          case 0 -> TelegramFailure.serverError();
          case 1 -> TelegramFailure.tooManyRequests(1 + random.nextInt(5));
          default -> TelegramFailure.hang(Duration.ofSeconds(compressed ? 20 : 90));
        };
        phases.merge(failure.status() == 504 ? "hang" : Integer.toString(failure.status()), 1, Integer::sum);
        fake.failDuring("*", thisPhase, failure);
        long phaseEnd = System.nanoTime() + thisPhase.toNanos();
        while (System.nanoTime() < phaseEnd) {
          if (System.nanoTime() >= nextMessage && texts.size() < messages) {
            long chat = CHAT_BASE + random.nextInt(chats);
            String text = "during the outage " + (texts.size() + 1);
            texts.add(text);
            chatOf.put(text, chat);
            fake.injectMessage(chat, "private", chat, text);
            nextMessage += messageEvery;
          }
          Thread.sleep(50);
        }
      }
      fake.clearFailures();
      long outageEnd = System.nanoTime();
      report.line("the outage ends");
      for (String text : texts) {
        fake.await(() -> answers(fake, chatOf.get(text), "ok: " + text) > 0 ? Boolean.TRUE : null,
            Duration.ofMinutes(3), () -> "the answer to '" + text + "' after the outage");
      }
      long recoveredMs = (System.nanoTime() - outageEnd) / 1_000_000;
      fake.injectMessage(CHAT_BASE, "private", CHAT_BASE, "after the outage");
      fake.await(() -> answers(fake, CHAT_BASE, "ok: after the outage") > 0 ? Boolean.TRUE : null,
          Duration.ofSeconds(60), () -> "the answer after the outage");
      Thread.sleep(2000); // room for a duplicate to show up

      int answered = 0;
      List<String> duplicates = new ArrayList<>();
      for (String text : texts) {
        long n = answers(fake, chatOf.get(text), "ok: " + text);
        if (n >= 1) answered++;
        if (n > 1) duplicates.add(text + " (" + n + " times)");
      }
      List<ApiCall> calls = fake.calls(null);
      Map<Integer, Integer> statuses = new LinkedHashMap<>();
      for (ApiCall c : calls) statuses.merge(c.status(), 1, Integer::sum);
      report.line("phases: %s; API calls: %d by status %s (0 = no answer)", phases, calls.size(), statuses);
      report.line("sent during the outage: %d, answered: %d, duplicates: %d; all answered %d ms after the outage ended",
          texts.size(), answered, duplicates.size(), recoveredMs);
      duplicates.forEach(d -> report.line("FAILED duplicate %s", d));

      assertTrue(ChaosSupport.alive(daemon), "the daemon is still up:\n" + daemon.stderr());
      assertEquals(texts.size(), answered, "every message sent during the outage is answered");
      assertEquals(List.of(), duplicates, "nothing answered twice");
      assertEquals(1, answers(fake, CHAT_BASE, "ok: after the outage"));
      assertTrue(daemon.stderr().lines().anyMatch(l -> l.contains("Bot API reachable again")), "recovery is logged");
      TelegramITSupport.assertTokenNotLeaked(daemon, dir);
    }
  }
}
