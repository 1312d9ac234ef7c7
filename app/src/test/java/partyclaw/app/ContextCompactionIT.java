package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.app.TelegramITSupport.awaitReply;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.testkit.FakeContextWindow;
import partyclaw.testkit.FakeSummarizer;
import partyclaw.testkit.RecordedRequest;
import partyclaw.testkit.SentMessage;
import partyclaw.testkit.Step;

/**
 * Long conversations on a 32,768-token model through the packaged daemon: they compact by themselves, never send
 * the model more than its window, keep their memory flat, and a crash in the middle of a compaction leaves the
 * conversation fully before or fully after it.
 */
class ContextCompactionIT extends WithTelegramFakes {
  static final long CHAT = 7001;
  static final int WINDOW = 32_768;
  static final String MARKER = "[AgentFrame Context Compression]";
  @TempDir Path dir;

  /** A user message of about 300 tokens that names its number. */
  static String message(int n) {
    StringBuilder sb = new StringBuilder("msg ").append(n).append(':');
    String[] words = {"harbor", "signal", "copper", "meadow", "lantern", "granite", "willow", "ember", "orbit"};
    for (int i = 0; i < 290; i++) sb.append(' ').append(words[(i * 7 + n) % words.length]);
    return sb.toString();
  }

  /** The reply to message {@code n}: its number, then ~60 tokens. */
  static String reply(int n) {
    return "reply " + n + ": noted, " + "the details are in order and nothing else is needed for now. ".repeat(5).strip();
  }

  static int number(String userText) {
    Matcher m = Pattern.compile("^msg (\\d+):").matcher(userText);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private Path config() throws IOException {
    return TelegramITSupport.config(dir, "telegram-config.json", llm.baseUrl(), fake.baseUrl(),
        "\"timeout_seconds\": 60, \"context_window_tokens\": " + WINDOW);
  }

  private void say(int n) {
    fake.injectMessage(CHAT, "private", CHAT, message(n));
    awaitReply(fake, CHAT, reply(n));
  }

  @Test
  void twoThousandMessagesAreAllAnsweredWithinTheWindowAndTheDaemonsMemoryStaysFlat() throws Exception {
    FakeContextWindow window = new FakeContextWindow(WINDOW);
    llm.setRecording(false);
    llm.setDefault(window.wrap(FakeSummarizer.or(r -> Step.text(reply(number(r.lastUserText()))))));
    // A fixed, pre-touched heap: resident memory then shows any growth outside the heap; the heap itself is
    // measured after a full collection.
    Map<String, String> env = Map.of("PARTYCLAW_JAVA_OPTS", "-Xms192m -Xmx192m -XX:+AlwaysPreTouch");
    try (DaemonProcess p = TelegramITSupport.start(dir, "long", config(), env)) {
      for (int n = 1; n <= 500; n++) say(n);
      Memory at500 = Memory.of(p.pid());
      for (int n = 501; n <= 2000; n++) say(n);
      Memory at2000 = Memory.of(p.pid());
      assertEquals(0, window.refused(), "requests over the window; largest " + window.largest());
      assertTrue(window.largest() <= WINDOW, "largest request " + window.largest());
      assertEquals(2000, fake.sentMessages(CHAT).stream().filter(m -> m.visibleText().startsWith("reply ")).count());
      assertTrue(at2000.rssKb() <= at500.rssKb() * 1.10, "RSS " + at500 + " -> " + at2000);
      assertTrue(at2000.heapUsedKb() <= at500.heapUsedKb() * 1.10 + 2048, "heap after GC " + at500 + " -> " + at2000);
      String status = status();
      Matcher compactions = Pattern.compile("(?m)^Automatic context compaction: enabled, compactions: (\\d+)")
          .matcher(status);
      assertTrue(compactions.find(), status);
      assertTrue(Integer.parseInt(compactions.group(1)) >= 10, status);
      System.out.println("ContextCompactionIT: after 500 messages " + at500 + ", after 2000 " + at2000
          + "; largest request " + window.largest() + " tokens; compactions " + compactions.group(1));
    }
  }

  @Test
  void killedDuringACompactionTheConversationIsFullyBeforeOrAfterIt() throws Exception {
    FakeContextWindow window = new FakeContextWindow(WINDOW);
    llm.setDefault(window.wrap(r -> FakeSummarizer.isSummaryRequest(r)
        ? FakeSummarizer.summary(r).withDelay(Duration.ofSeconds(120))
        : Step.text(reply(number(r.lastUserText())))));
    int n = 0;
    try (DaemonProcess first = TelegramITSupport.start(dir, "first", config(), Map.of())) {
      // Each exchange is ~370 tokens: the threshold (29,491) is crossed before message 90.
      while (summaryRequests() == 0 && n < 120) {
        int sent = ++n;
        fake.injectMessage(CHAT, "private", CHAT, message(sent));
        fake.await(() -> summaryRequests() > 0 || hasReply(sent) ? Boolean.TRUE : null, Duration.ofSeconds(60),
            () -> "a reply or a compaction after message " + sent);
      }
      assertTrue(summaryRequests() > 0, "no compaction after " + n + " messages");
      first.kill9();
    }
    int pending = n;
    llm.setDefault(window.wrap(FakeSummarizer.or(r -> Step.text(reply(number(r.lastUserText()))))));
    try (DaemonProcess second = TelegramITSupport.start(dir, "second", config(), Map.of())) {
      awaitReply(fake, CHAT, reply(pending));
      say(pending + 1);
      RecordedRequest last = lastModelRequest();
      List<String> users = last.messages().stream().filter(m -> "user".equals(m.path("role").asText()))
          .map(m -> m.path("content").asText()).toList();
      long summaries = last.messages().stream()
          .filter(m -> m.path("content").asText().startsWith(MARKER)).count();
      assertEquals(1, summaries, "exactly one summary in the context");
      for (int i = 1; i <= pending + 1; i++) {
        String text = message(i);
        assertTrue(users.stream().filter(text::equals).count() <= 1, "message " + i + " appears twice");
      }
      assertEquals(message(pending + 1), users.get(users.size() - 1));
      assertEquals(0, window.refused());
      String status = status();
      assertTrue(status.contains("\nAutomatic context compaction: enabled, compactions: 1 (last "), status);
    }
  }

  private long summaryRequests() {
    return llm.requests().stream().filter(FakeSummarizer::isSummaryRequest).count();
  }

  private boolean hasReply(int n) {
    return fake.sentMessages(CHAT).stream().anyMatch(m -> m.visibleText().equals(reply(n)));
  }

  private RecordedRequest lastModelRequest() {
    List<RecordedRequest> all = llm.requests().stream().filter(r -> !FakeSummarizer.isSummaryRequest(r)).toList();
    return all.get(all.size() - 1);
  }

  private String status() {
    int before = fake.sentMessages(CHAT).size();
    fake.injectMessage(CHAT, "private", CHAT, "/status");
    SentMessage status = fake.awaitSentMessages(CHAT, before + 1, Duration.ofSeconds(30)).get(before);
    return status.visibleText();
  }

  /** Resident set (kB) from /proc and heap used after a full collection (kB) from jcmd. */
  record Memory(long rssKb, long heapUsedKb) {
    static Memory of(long pid) throws Exception {
      String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
      run(jcmd, Long.toString(pid), "GC.run");
      String heap = run(jcmd, Long.toString(pid), "GC.heap_info");
      // Every generation's "total …K, used …K" (one line for G1, young and tenured for the serial collector).
      Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(heap);
      long heapUsed = 0;
      int generations = 0;
      while (used.find()) {
        heapUsed += Long.parseLong(used.group(1));
        generations++;
      }
      if (generations == 0) throw new AssertionError("no heap figure in: " + heap);
      String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
      Matcher rss = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB").matcher(status);
      if (!rss.find()) throw new AssertionError("no VmRSS in /proc/" + pid + "/status");
      return new Memory(Long.parseLong(rss.group(1)), heapUsed);
    }

    private static String run(String... cmd) throws Exception {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
      return out;
    }
  }
}
