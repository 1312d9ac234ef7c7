package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.testkit.ChaosReport;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.FakeTelegramServer;
import partyclaw.testkit.FuzzInputs;
import partyclaw.testkit.Step;

/**
 * Fuzz through the real daemon: malformed Telegram updates ({@code -Dchaos.fuzz.updates}, default 100), malformed
 * model streams answering real messages ({@code -Dchaos.fuzz.streams}, default 100) and mutated configs through
 * {@code partyclaw validate} ({@code -Dchaos.fuzz.cli-configs}, default 5; the in-process {@code ConfigFuzzTest}
 * takes the bulk). Afterwards the daemon is still up and a normal message in every chat the fuzz touched is
 * answered (no stuck conversation, no stuck poller); every config problem is one line {@code <json path>: <message>}.
 */
class ChaosFuzzIT {
  private static final long UPDATE_CHATS = 9500;
  private static final long STREAM_CHATS = 9600;
  /** A stream-fuzz message as a whole line ("after the stream fuzz <chat>" is a normal message). */
  private static final Pattern STREAM_TAG = Pattern.compile("(?m)^stream fuzz (\\d+)$");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;
  FakeLlmServer llm;
  FakeTelegramServer fake;

  @AfterEach
  void stopAll() {
    ChaosSupport.killToolProcesses(dir);
    if (fake != null) fake.close();
    if (llm != null) llm.close();
  }

  @Test
  void noCrashNoStuckConversationAndEveryConfigProblemOneLine() throws Exception {
    long seed = ChaosReport.seed();
    int updates = ChaosReport.count("chaos.fuzz.updates", 100);
    int streams = ChaosReport.count("chaos.fuzz.streams", 100);
    int configs = ChaosReport.count("chaos.fuzz.cli-configs", 5);
    int chats = 5;
    ChaosReport report = new ChaosReport("fuzz-daemon");
    report.line("seed %d, %d malformed updates, %d malformed model streams, %d mutated configs through validate "
        + "(reproduce: scripts/chaos fuzz --seed %d --count N)", seed, updates, streams, configs, seed);
    Random random = new Random(seed);

    // the model: a message tagged "stream fuzz <i>" is answered by malformed stream i the first time, normally after
    // made when needed (some are a megabyte), each from its own seed so that the order of requests does not matter
    Map<Integer, FuzzInputs.FuzzStream> fuzzStreams = new ConcurrentHashMap<>();
    java.util.function.IntFunction<FuzzInputs.FuzzStream> stream =
        i -> fuzzStreams.computeIfAbsent(i, k -> FuzzInputs.modelStream(new Random(seed * 31 + k)));
    Set<Integer> served = ConcurrentHashMap.newKeySet();
    ChaosSupport.PairingTotal pairings = new ChaosSupport.PairingTotal();
    llm = FakeLlmServer.start().setRecording(false);
    llm.setDefault(req -> {
      pairings.add(req);
      Matcher m = STREAM_TAG.matcher(req.lastUserText());
      JsonNode last = ChaosSupport.lastNonSystem(req);
      boolean fromUser = last != null && "user".equals(last.path("role").asText());
      while (m.find()) {
        int i = Integer.parseInt(m.group(1));
        if (fromUser && i < streams && served.add(i)) {
          Step step = stream.apply(i).step();
          fuzzStreams.put(i, new FuzzInputs.FuzzStream(fuzzStreams.get(i).kinds(), new byte[0], "", false));
          return step;
        }
      }
      return Step.text("ok: " + req.lastUserText());
    });
    fake = TelegramITSupport.telegram();
    Path config = ChaosSupport.config(dir, llm.baseUrl(), fake.baseUrl(), 10, 1);

    try (DaemonProcess daemon = ChaosSupport.track(TelegramITSupport.start(dir, "daemon", config, Map.of()), dir)) {
      fake.injectMessage(UPDATE_CHATS, "private", UPDATE_CHATS, "warm-up");
      TelegramITSupport.awaitReply(fake, UPDATE_CHATS, "ok: warm-up");

      // 1. malformed updates, all queued at once, over a few chats (and chats that do not parse)
      Map<String, Integer> updateKinds = new TreeMap<>();
      long start = System.nanoTime();
      for (int i = 0; i < updates; i++) {
        FuzzInputs.FuzzUpdate u = FuzzInputs.telegramUpdate(random, UPDATE_CHATS + random.nextInt(chats));
        updateKinds.merge(u.kind(), 1, Integer::sum);
        fake.injectRawUpdate(u.update());
      }
      List<String> stuck = new ArrayList<>();
      for (long chat = UPDATE_CHATS; chat < UPDATE_CHATS + chats; chat++) {
        String text = "after the update fuzz " + chat;
        fake.injectMessage(chat, "private", chat, text);
        if (!answered(fake, chat, "ok: " + text, Duration.ofSeconds(180))) stuck.add("chat " + chat + " (updates)");
      }
      boolean confirmed = ChaosSupport.awaitTrue(() -> fake.pendingUpdateIds().isEmpty(), Duration.ofSeconds(30));
      report.line("updates: %d by kind %s; every update confirmed: %s; %d s", updates, updateKinds,
          confirmed ? "yes" : "NO, pending " + fake.pendingUpdateIds(), (System.nanoTime() - start) / 1_000_000_000);

      // 2. malformed model streams: each chat sends its next message once the previous one got some answer
      start = System.nanoTime();
      List<String> unanswered = new CopyOnWriteArrayList<>();
      List<Thread> senders = new ArrayList<>();
      Set<Long> streamChats = ConcurrentHashMap.newKeySet();
      for (int c = 0; c < chats; c++) {
        int first = c;
        Thread t = new Thread(() -> {
          for (int i = first; i < streams; i += chats) {
            // a fresh chat every 10 messages: a transcript with a megabyte of fuzzed arguments is sent on every call
            long chat = STREAM_CHATS + first + (long) chats * (i / (chats * 10));
            streamChats.add(chat);
            int before = fake.sentMessages(chat).size();
            String text = "stream fuzz " + i;
            fake.injectMessage(chat, "private", chat, text);
            if (!answered(fake, chat, before, Duration.ofSeconds(60))) unanswered.add(text + " (" + stream.apply(i).kinds() + ")");
          }
        }, "chaos-fuzz-" + c);
        senders.add(t);
        t.start();
      }
      for (Thread t : senders) t.join(Duration.ofMinutes(20).toMillis());
      for (long chat : new java.util.TreeSet<>(streamChats)) {
        String text = "after the stream fuzz " + chat;
        fake.injectMessage(chat, "private", chat, text);
        if (!answered(fake, chat, "ok: " + text, Duration.ofSeconds(120))) stuck.add("chat " + chat + " (streams)");
      }
      Map<String, Integer> replyKinds = new TreeMap<>();
      for (long chat : streamChats) {
        for (var m : fake.sentMessages(chat)) replyKinds.merge(firstWords(m.visibleText()), 1, Integer::sum);
      }
      report.line("model streams: %d served of %d in %d chats, messages without any answer: %d; %d s", served.size(),
          streams, streamChats.size(), unanswered.size(), (System.nanoTime() - start) / 1_000_000_000);
      report.line("what the stream-fuzz chats were told (first words: count): %s", replyKinds);

      // 3. the daemon: still up, a normal message in a fresh chat answered, tool calls still paired
      fake.injectMessage(9999, "private", 9999, "after all the fuzz");
      boolean fresh = answered(fake, 9999, "ok: after all the fuzz", Duration.ofSeconds(60));
      ChaosSupport.Pairing pairing = pairings.get();
      long errorLines = daemon.stderr().lines().filter(l -> l.contains(" ERROR ")).count();
      long traces = daemon.stderr().lines().filter(l -> l.startsWith("\tat ")).count();
      report.line("daemon alive: %s, fresh chat answered: %s, stuck chats: %s, ERROR log lines: %d, stack frames: %d",
          ChaosSupport.alive(daemon), fresh, stuck, errorLines, traces);
      report.line("model requests: %d, tool calls checked: %d, unpaired: %d, duplicated: %d, results without a call: %d",
          pairing.requests(), pairing.toolCalls(), pairing.unpaired(), pairing.duplicated(), pairing.orphanResults());
      unanswered.stream().limit(10).forEach(u -> report.line("FAILED no answer to %s", u));
      pairing.examples().forEach(p -> report.line("pairing: %s", p));

      // 4. mutated configs through the real CLI
      List<String> badReports = validateMutatedConfigs(random, configs, report);

      assertTrue(ChaosSupport.alive(daemon), "no crash:\n" + daemon.stderr());
      assertEquals(List.of(), stuck, "a normal message after the fuzz is answered in every chat (seed " + seed + ")");
      assertTrue(fresh, "a fresh chat is answered");
      assertTrue(confirmed, "every update confirmed");
      assertEquals(List.of(), unanswered, "every fuzzed model stream ended its turn with an answer");
      assertEquals(List.of(), badReports, "every config problem is one clear line");
      assertEquals(0, pairing.unpaired(), "every tool call has a result: " + pairing);
      assertEquals(0, pairing.duplicated(), "no two tool calls share an id: " + pairing);
      assertEquals(0, pairing.orphanResults(), "every tool result answers a call: " + pairing);
      TelegramITSupport.assertTokenNotLeaked(daemon, dir);
    }
  }

  /** Mutated shipped configs through {@code partyclaw validate}: exit 0 or 2, problems as one line each, no trace. */
  private List<String> validateMutatedConfigs(Random random, int count, ChaosReport report) throws Exception {
    List<JsonNode> bases = new ArrayList<>();
    try (Stream<Path> files = Files.list(DaemonProcess.REPO.resolve("conf"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        bases.add(MAPPER.readTree(Files.readString(f)));
      }
    }
    Pattern problemLine = Pattern.compile("^  \\$\\S*: \\S.*$");
    List<String> bad = new ArrayList<>();
    int ok = 0;
    int rejected = 0;
    for (int i = 0; i < count; i++) {
      FuzzInputs.FuzzConfig fuzz = FuzzInputs.mutateConfig(random, bases.get(random.nextInt(bases.size())));
      Path file = dir.resolve("fuzz-config-" + i + ".json");
      Files.writeString(file, fuzz.json());
      try (DaemonProcess p = DaemonProcess.start(dir, "validate-" + i, null,
          Map.of("OPENROUTER_API_KEY", "sk-fuzz-secret", "TELEGRAM_BOT_TOKEN", "4242:fuzz-secret"),
          "validate", "--config", file.toString())) {
        int exit = p.waitForExit(Duration.ofSeconds(60));
        List<String> lines = p.stderr().lines().filter(l -> !l.isBlank()).toList();
        String why = null;
        if (exit == 0) {
          ok++;
        } else if (exit == 2) {
          rejected++;
          if (lines.isEmpty() || !lines.get(0).startsWith("config ")) why = "no header line";
          for (String l : lines.subList(Math.min(1, lines.size()), lines.size())) {
            if (!problemLine.matcher(l).matches()) why = "not a '<json path>: <message>' line: " + l;
          }
        } else {
          why = "exit code " + exit;
        }
        if (p.stderr().contains("\tat ") || p.stderr().contains("Exception")) why = "a stack trace or exception";
        if (p.stderr().contains("fuzz-secret")) why = "a secret in the report";
        if (why != null) bad.add("config " + i + " (" + fuzz.mutations() + ", " + file + "): " + why);
      }
    }
    report.line("configs through 'partyclaw validate': %d, valid: %d, rejected with one line per problem: %d, bad: %d",
        count, ok, rejected, bad.size());
    bad.forEach(b -> report.line("FAILED %s", b));
    return bad;
  }

  /**
   * True once the echo model answered {@code text} ({@code ok: <text>}). A turn of the fuzz may still run when the
   * message arrives: then the message reaches the model as an interrupted follow-up and the echo carries that marker.
   */
  private static boolean answered(FakeTelegramServer fake, long chat, String text, Duration timeout) {
    String asFollowUp = text.replaceFirst("^ok: ", "ok: [Interrupted Follow-up]\n");
    try {
      fake.await(() -> TelegramITSupport.count(fake, chat, text) + TelegramITSupport.count(fake, chat, asFollowUp) > 0
          ? Boolean.TRUE : null, timeout, () -> text);
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  /** True once the bot sent the chat a message more than the {@code before} it had (an answer, an error, progress). */
  private static boolean answered(FakeTelegramServer fake, long chat, int before, Duration timeout) {
    try {
      fake.await(() -> fake.sentMessages(chat).size() > before ? Boolean.TRUE : null, timeout, () -> "an answer");
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  private static String firstWords(String text) {
    String[] words = text.strip().split("\\s+");
    return String.join(" ", java.util.Arrays.asList(words).subList(0, Math.min(2, words.length)));
  }
}
