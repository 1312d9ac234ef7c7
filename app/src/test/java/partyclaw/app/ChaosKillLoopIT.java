package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
import partyclaw.testkit.SentMessage;
import partyclaw.testkit.Step;
import partyclaw.testkit.ToolCallSpec;

/**
 * The kill loop: Telegram chats send messages whose answers need tool calls (a short blocking exec, a file write,
 * or a 300 s background process plus a short exec) while the daemon, started through {@code scripts/partyclaw}, is
 * {@code kill -9}ed at random moments and restarted. At the end every message has been answered (whole-text match,
 * counted per message), none twice except across a kill (the at-least-once window: Telegram accepted a reply and
 * the kill came before the journal recorded it; counted and reported), every tool call in every model request has
 * exactly one result, every message is in its conversation's history exactly once, and no tool process of an
 * earlier run is alive.
 *
 * <p>{@code -Dchaos.chats} (default 5), {@code -Dchaos.kills} (default 3), {@code -Dchaos.seed};
 * {@code scripts/chaos kill-loop} runs 20 chats and 30 kills.
 */
class ChaosKillLoopIT {
  private static final Pattern TAG = Pattern.compile("chaos c(\\d+) m(\\d+)");
  private static final long CHAT_BASE = 9100;
  /** How long after a kill the fake may still stamp a request the killed process had sent. */
  private static final Duration IN_FLIGHT = Duration.ofSeconds(1);

  @TempDir Path dir;
  /** How many times the model produced the final answer of each message: two would mean a turn answered twice. */
  final Map<String, Integer> answersGenerated = new ConcurrentHashMap<>();
  FakeLlmServer llm;
  FakeTelegramServer fake;
  DaemonProcess daemon;

  @AfterEach
  void stopAll() throws Exception {
    if (daemon != null) daemon.close();
    // every run's log, for the report of a failed loop (the temporary directory goes away)
    Path logs = Path.of("target", "chaos-reports", "kill-loop-logs");
    java.nio.file.Files.createDirectories(logs);
    try (var files = java.nio.file.Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("run-")).toList()) {
        java.nio.file.Files.copy(f, logs.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    int killed = ChaosSupport.killToolProcesses(dir);
    if (killed > 0) System.out.println("[chaos kill-loop] killed " + killed + " leftover tool process(es)");
    if (fake != null) fake.close();
    if (llm != null) llm.close();
  }

  @Test
  void everyMessageIsAnsweredAcrossRandomKills() throws Exception {
    long seed = ChaosReport.seed();
    int chats = ChaosReport.count("chaos.chats", 5);
    int kills = ChaosReport.count("chaos.kills", 3);
    Duration deadline = Duration.ofMinutes(ChaosReport.count("chaos.deadline.minutes", 6));
    ChaosReport report = new ChaosReport("kill-loop");
    report.line("seed %d, %d chats, %d kills (reproduce: scripts/chaos kill-loop --seed %d --chats %d --kills %d)",
        seed, chats, kills, seed, chats, kills);
    Random random = new Random(seed);
    long started = System.nanoTime();

    llm = FakeLlmServer.start();
    AtomicLong callIds = new AtomicLong();
    llm.setDefault(req -> answer(req, seed, callIds, answersGenerated));
    fake = TelegramITSupport.telegram();
    Path config = ChaosSupport.config(dir, llm.baseUrl(), fake.baseUrl(), 60, 3);

    // Each chat sends its next message once the previous one was answered, until the kills are over.
    AtomicBoolean stop = new AtomicBoolean();
    Map<Long, List<String>> sent = new ConcurrentHashMap<>();
    List<String> senderErrors = new CopyOnWriteArrayList<>();
    List<Thread> senders = new ArrayList<>();
    for (int c = 0; c < chats; c++) {
      long chat = CHAT_BASE + c;
      int chatNo = c;
      sent.put(chat, new CopyOnWriteArrayList<>());
      Thread t = new Thread(() -> {
        try {
          for (int n = 1; !stop.get(); n++) {
            String text = "chaos c" + chatNo + " m" + n;
            sent.get(chat).add(text);
            fake.injectMessage(chat, "private", chat, text);
            fake.await(() -> TelegramITSupport.count(fake, chat, "done: " + text) > 0 ? Boolean.TRUE : null,
                deadline, () -> "the answer to '" + text + "'");
          }
        } catch (Throwable e) {
          senderErrors.add(e.toString());
        }
      }, "chaos-sender-" + c);
      senders.add(t);
    }

    List<Instant> killTimes = new ArrayList<>();
    List<Long> startupMs = new ArrayList<>();
    daemon = startRun(0, config, startupMs);
    senders.forEach(Thread::start);
    for (int k = 1; k <= kills; k++) {
      // a random moment of the run's working life (from its first poll), not of its JVM start-up
      long waitMs = 200 + random.nextInt(4800);
      Thread.sleep(waitMs);
      assertTrue(ChaosSupport.alive(daemon), "run " + (k - 1) + " died by itself:\n" + daemon.stderr());
      daemon.kill9();
      killTimes.add(Instant.now());
      daemon = startRun(k, config, startupMs);
      assertTrue(System.nanoTime() - started < deadline.toNanos(), "the kill loop ran past its deadline " + deadline);
    }
    stop.set(true);
    for (Thread t : senders) t.join(Math.max(1000, deadline.toMillis() - (System.nanoTime() - started) / 1_000_000));
    assertEquals(List.of(), senderErrors, "every message was answered within the deadline");
    Thread.sleep(3000); // room for a late duplicate to show up (it would be one)

    // 1. every message answered; duplicates only across a kill
    int messages = 0;
    int answered = 0;
    int duplicatesInWindow = 0;
    long widestWindowMs = 0;
    List<String> problems = new ArrayList<>();
    for (Map.Entry<Long, List<String>> e : sent.entrySet()) {
      for (String text : e.getValue()) {
        messages++;
        long copies = TelegramITSupport.count(fake, e.getKey(), "done: " + text);
        if (copies >= 1) answered++;
        else problems.add("'" + text + "' not answered");
        if (copies > 1) {
          List<Instant> at = acceptedSends(fake, e.getKey(), "done: " + text);
          for (int i = 1; i < at.size(); i++) {
            Instant first = at.get(i - 1);
            Instant next = at.get(i);
            // The fake stamps a call once it has read the request, which can be just after the kill of the process
            // that sent it: a kill up to IN_FLIGHT before the first copy still separates the two copies (a restart
            // takes seconds, so the second copy cannot come from within that slack).
            Instant kill = killTimes.stream().filter(t -> t.isAfter(first.minus(IN_FLIGHT)) && t.isBefore(next))
                .findFirst().orElse(null);
            if (kill == null) {
              problems.add("'" + text + "' answered twice without a kill in between (" + first + ", " + next
                  + "; the model gave its answer " + answersGenerated.getOrDefault(text, 0) + " time(s); sends: "
                  + sendsOf(fake, e.getKey(), "done: " + text) + ")");
            } else {
              duplicatesInWindow++;
              widestWindowMs = Math.max(widestWindowMs, Math.max(0, Duration.between(first, kill).toMillis()));
            }
          }
        }
      }
    }
    List<String> others = new ArrayList<>();
    for (long chat = CHAT_BASE; chat < CHAT_BASE + chats; chat++) {
      for (SentMessage m : fake.sentMessages(chat)) {
        if (!m.visibleText().startsWith("done: chaos c")) others.add(m.visibleText());
      }
    }

    // 2. every tool call paired with exactly one result, in every request the model saw
    List<RecordedRequest> requests = llm.requests();
    ChaosSupport.Pairing pairing = ChaosSupport.pairing(requests);

    // 3. every message in its conversation's history exactly once (inbound deduplication across restarts)
    int historyProblems = 0;
    for (Map.Entry<Long, List<String>> e : sent.entrySet()) {
      RecordedRequest last = lastRequestOf(requests, e.getValue());
      if (last == null) continue;
      for (String text : e.getValue()) {
        long n = last.messages().stream().filter(m -> "user".equals(m.path("role").asText()))
            .filter(m -> m.path("content").asText().lines().anyMatch(text::equals)).count();
        boolean sentBeforeLast = e.getValue().indexOf(text) <= e.getValue().indexOf(tagOf(last));
        if (sentBeforeLast && n != 1) {
          historyProblems++;
          if (problems.size() < 30) problems.add("'" + text + "' is " + n + " times in its conversation's history");
        }
      }
    }

    // 4. no tool process of an earlier run alive
    List<ChaosSupport.ToolProcess> processes = ChaosSupport.toolProcesses(dir, daemon.pid());
    List<ChaosSupport.ToolProcess> earlier = processes.stream().filter(p -> !p.ofCurrentDaemon()).toList();
    boolean markerPresent = processes.stream().anyMatch(p -> p.runMarker() != null);
    java.util.Set<String> currentRuns = new java.util.HashSet<>();
    processes.stream().filter(ChaosSupport.ToolProcess::ofCurrentDaemon).filter(p -> p.runMarker() != null)
        .forEach(p -> currentRuns.add(p.runMarker()));
    long earlierByMarker = processes.stream().filter(p -> p.runMarker() != null && !currentRuns.contains(p.runMarker()))
        .count();

    long tookS = (System.nanoTime() - started) / 1_000_000_000;
    report.line("messages: %d, answered: %d, kills: %d, duplicates within the at-least-once window: %d "
        + "(widest: reply accepted %d ms before the kill), other bot messages: %d, time: %d s",
        messages, answered, kills, duplicatesInWindow, widestWindowMs, others.size(), tookS);
    report.line("start-up to first poll: median %d ms, max %d ms", startupMs.stream().sorted().toList()
        .get(startupMs.size() / 2), startupMs.stream().mapToLong(Long::longValue).max().orElse(0));
    report.line("model requests: %d, tool calls checked: %d, unpaired: %d, duplicated: %d, results without a call: %d",
        pairing.requests(), pairing.toolCalls(), pairing.unpaired(), pairing.duplicated(), pairing.orphanResults());
    report.line("history: every message once in its conversation's last request: %s",
        historyProblems == 0 ? "yes" : "NO (" + historyProblems + ")");
    if (markerPresent) {
      report.line("processes of earlier runs alive (%s marker): %d; tool processes of the current run: %d",
          ChaosSupport.RUN_MARKER, earlierByMarker, processes.size() - earlier.size());
    } else {
      report.line("processes of earlier runs alive: %s marker not present (by working directory: %d of earlier runs, "
          + "%d of the current one)", ChaosSupport.RUN_MARKER, earlier.size(), processes.size() - earlier.size());
    }
    others.stream().distinct().limit(5).forEach(o -> report.line("other bot message: %s", o.lines().findFirst().orElse("")));
    problems.stream().limit(20).forEach(p -> report.line("FAILED %s", p));
    pairing.examples().forEach(p -> report.line("FAILED pairing: %s", p));
    earlier.stream().limit(5).forEach(p -> report.line("process %d not of the current run: %s (marker %s)",
        p.pid(), p.command(), p.runMarker()));

    assertEquals(messages, answered, "every message answered");
    assertEquals(List.of(), problems, "seed " + seed);
    assertTrue(pairing.toolCalls() > 0, "the messages made tool calls");
    assertTrue(pairing.ok(), "tool calls paired: " + pairing);
    // Without the marker the daemon has no start-up sweep either: the orphans are reported, not failed (issue 9 #3).
    if (markerPresent) {
      assertEquals(0, earlierByMarker, "no process of an earlier run alive (by " + ChaosSupport.RUN_MARKER + ")");
    }
    assertTrue(ChaosSupport.alive(daemon), "the last run is still up");
    TelegramITSupport.assertTokenNotLeaked(daemon, dir);
  }

  /** Starts run {@code n} and waits until it polls the Bot API (its start-up time is recorded). */
  private DaemonProcess startRun(int n, Path config, List<Long> startupMs) throws Exception {
    int polls = fake.calls("getUpdates").size();
    long start = System.nanoTime();
    DaemonProcess p = ChaosSupport.track(TelegramITSupport.start(dir, "run-" + n, config, Map.of()), dir);
    fake.await(() -> fake.calls("getUpdates").size() > polls ? Boolean.TRUE : null, Duration.ofSeconds(90),
        () -> "run " + n + " polling the Bot API");
    startupMs.add((System.nanoTime() - start) / 1_000_000);
    return p;
  }

  /**
   * The model: a user message gets a round of tool calls (chosen from the message and the seed), the round's results
   * get the final answer {@code done: <message>}. Call ids are unique across the whole run.
   */
  private static Step answer(RecordedRequest req, long seed, AtomicLong callIds, Map<String, Integer> generated) {
    String tag = tagOf(req);
    if (tag == null) return Step.text("ok: " + req.lastUserText());
    JsonNode last = ChaosSupport.lastNonSystem(req);
    if (last != null && "tool".equals(last.path("role").asText())) {
      generated.merge(tag, 1, Integer::sum);
      return Step.text("done: " + tag);
    }
    int plan = Math.floorMod(new Random(seed ^ tag.hashCode()).nextInt(), 3);
    String id = "call_chaos_" + callIds.incrementAndGet();
    String file = tag.replace(' ', '_');
    return switch (plan) {
      case 0 -> Step.toolCalls(new ToolCallSpec(id, "exec_start",
          "{\"command\":\"sleep 0.3; echo " + file + "\",\"wait_timeout_seconds\":30}"));
      case 1 -> Step.toolCalls(new ToolCallSpec(id, "file_write",
          "{\"file_path\":\"notes/" + file + ".txt\",\"content\":\"" + tag + "\"}"));
      default -> Step.toolCalls(
          new ToolCallSpec(id, "exec_start", "{\"command\":\"sleep 300\",\"return_immediate\":true}"),
          new ToolCallSpec("call_chaos_" + callIds.incrementAndGet(), "exec_start",
              "{\"command\":\"sleep 0.2; echo " + file + "\",\"wait_timeout_seconds\":30}"));
    };
  }

  /** The chaos tag ({@code chaos c<chat> m<n>}) of the last user message, or null. */
  private static String tagOf(RecordedRequest req) {
    Matcher m = TAG.matcher(req.lastUserText());
    String tag = null;
    while (m.find()) tag = m.group();
    return tag;
  }

  private static RecordedRequest lastRequestOf(List<RecordedRequest> requests, List<String> texts) {
    RecordedRequest best = null;
    int bestIndex = -1;
    for (RecordedRequest r : requests) {
      String tag = tagOf(r);
      int i = tag == null ? -1 : texts.indexOf(tag);
      if (i >= 0 && i >= bestIndex) {
        best = r;
        bestIndex = i;
      }
    }
    return best;
  }

  /** Every call that put {@code text} in the chat: method, arrival time, status (evidence for a report). */
  private static List<String> sendsOf(FakeTelegramServer fake, long chat, String text) {
    List<String> out = new ArrayList<>();
    for (ApiCall c : fake.calls(null)) {
      if (c.chatId() == chat && text.equals(c.params().path("text").asText())) {
        out.add(c.method() + "@" + c.at() + "=" + c.status()
            + (c.params().has("message_id") ? " message " + c.params().path("message_id").asText() : ""));
      }
    }
    return out;
  }

  /** When the Bot API accepted (200) each send or edit that put {@code text} in the chat, in order. */
  private static List<Instant> acceptedSends(FakeTelegramServer fake, long chat, String text) {
    List<Instant> at = new ArrayList<>();
    for (ApiCall c : fake.calls(null)) {
      if (c.status() != 200 || c.chatId() != chat) continue;
      if (!c.method().equals("sendMessage") && !c.method().equals("editMessageText")) continue;
      if (text.equals(c.params().path("text").asText())) at.add(c.at());
    }
    Collections.sort(at);
    return at;
  }
}
