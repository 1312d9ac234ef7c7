package partyclaw.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import partyclaw.testkit.RecordedRequest;

/** What the Chaos*IT suites share: their daemon's config, the process scan, and the tool-call pairing count. */
final class ChaosSupport {
  private ChaosSupport() {}

  static final String RUN_MARKER = "PARTYCLAW_RUN";

  /**
   * The Telegram config of the suites: the fake model with a short timeout and {@code max_retries} retries (a fuzzed
   * stream must end its turn quickly), the fake Bot API polled every 50 ms.
   */
  static Path config(Path dir, String llmUrl, String telegramUrl, int modelTimeoutSeconds, int maxRetries)
      throws IOException {
    return TelegramITSupport.config(dir, "chaos-config.json", llmUrl, telegramUrl, ("\"timeout_seconds\": %d, "
        + "\"retry_mode\": { \"mode\": \"random\", \"max_retries\": %d, \"retry_random_mean\": 0.2 }")
        .formatted(modelTimeoutSeconds, maxRetries));
  }

  /** The last message of a request that is not a system notice (the restart notice is appended as system). */
  static JsonNode lastNonSystem(RecordedRequest r) {
    List<JsonNode> messages = r.messages();
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (!"system".equals(messages.get(i).path("role").asText())) return messages.get(i);
    }
    return null;
  }

  /** Counts of the pairing check over every recorded model request. */
  record Pairing(int requests, int toolCalls, int unpaired, int duplicated, int orphanResults, List<String> examples) {
    boolean ok() {
      return unpaired == 0 && duplicated == 0 && orphanResults == 0;
    }
  }

  /** Sums pairings request by request, for runs that do not keep their requests. */
  static final class PairingTotal {
    private Pairing total = new Pairing(0, 0, 0, 0, 0, List.of());

    synchronized void add(RecordedRequest r) {
      Pairing p = pairing(List.of(r));
      List<String> examples = new ArrayList<>(total.examples());
      p.examples().stream().limit(Math.max(0, 5 - examples.size())).forEach(examples::add);
      total = new Pairing(total.requests() + 1, total.toolCalls() + p.toolCalls(), total.unpaired() + p.unpaired(),
          total.duplicated() + p.duplicated(), total.orphanResults() + p.orphanResults(), examples);
    }

    synchronized Pairing get() {
      return total;
    }
  }

  /**
   * In every request the model received, every assistant tool call has exactly one tool message after it, and every
   * tool message answers a call made before it. Counts calls (per request), not distinct ids.
   */
  static Pairing pairing(List<RecordedRequest> requests) {
    int calls = 0;
    int unpaired = 0;
    int duplicated = 0;
    int orphans = 0;
    List<String> examples = new ArrayList<>();
    for (RecordedRequest r : requests) {
      List<JsonNode> messages = r.messages();
      Map<String, Integer> results = new HashMap<>();
      Map<String, Integer> callsSoFar = new HashMap<>();
      for (JsonNode m : messages) {
        String role = m.path("role").asText();
        if (role.equals("assistant")) {
          for (JsonNode call : m.path("tool_calls")) callsSoFar.merge(call.path("id").asText(), 1, Integer::sum);
        } else if (role.equals("tool")) {
          String id = m.path("tool_call_id").asText();
          results.merge(id, 1, Integer::sum);
          if (!callsSoFar.containsKey(id)) {
            orphans++;
            if (examples.size() < 5) examples.add("a tool result for unknown call " + id);
          }
        }
      }
      for (Map.Entry<String, Integer> call : callsSoFar.entrySet()) {
        calls += call.getValue();
        int n = results.getOrDefault(call.getKey(), 0);
        if (call.getValue() > 1) {
          duplicated++;
          if (examples.size() < 5) examples.add("call id " + call.getKey() + " made " + call.getValue() + " times");
        }
        if (n == 0) {
          unpaired++;
          if (examples.size() < 5) examples.add("call " + call.getKey() + " without a result");
        } else if (n > call.getValue()) {
          duplicated++;
          if (examples.size() < 5) examples.add("call " + call.getKey() + " with " + n + " results");
        }
      }
    }
    return new Pairing(requests.size(), calls, unpaired, duplicated, orphans, examples);
  }

  // ---- processes ----

  /** A live process whose working directory is inside the suite's directory: a tool process of some run. */
  record ToolProcess(long pid, String cwd, String command, String runMarker, boolean ofCurrentDaemon) {}

  /**
   * Every live process whose cwd is under {@code dir}, with its {@value #RUN_MARKER} value (null when its
   * environment has none) and whether it descends from {@code currentDaemonPid}. A process whose environment cannot
   * be read although it still exists fails the scan: a leak check must not pass because it could not look.
   */
  static List<ToolProcess> toolProcesses(Path dir, long currentDaemonPid) throws IOException {
    String root = dir.toRealPath().toString();
    Set<Long> current = currentDaemonPid <= 0 ? Set.of() : ProcessHandle.of(currentDaemonPid).map(h -> h.descendants().map(ProcessHandle::pid)
        .collect(Collectors.toSet())).orElse(Set.of());
    List<ToolProcess> out = new ArrayList<>();
    for (ProcessHandle h : ProcessHandle.allProcesses().toList()) {
      long pid = h.pid();
      if (pid == ProcessHandle.current().pid() || pid == currentDaemonPid) continue;
      String cwd;
      try {
        cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).toString();
      } catch (NoSuchFileException gone) {
        continue;
      } catch (IOException | SecurityException unreadable) {
        continue; // another user's process: not one the daemon under test started
      }
      if (!(cwd.equals(root) || cwd.startsWith(root + "/"))) continue;
      String marker;
      try {
        marker = marker(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")));
      } catch (NoSuchFileException gone) {
        continue;
      } catch (IOException e) {
        if (!h.isAlive()) continue;
        throw new IOException("cannot read the environment of tool process " + pid + ": " + e, e);
      }
      String command = h.info().commandLine().orElse(h.info().command().orElse("?"));
      out.add(new ToolProcess(pid, cwd, command, marker, current.contains(pid)));
    }
    return out;
  }

  private static String marker(byte[] environ) {
    for (String entry : new String(environ, StandardCharsets.UTF_8).split("\0")) {
      if (entry.startsWith(RUN_MARKER + "=")) return entry.substring(RUN_MARKER.length() + 1);
    }
    return null;
  }

  /** Kills (SIGKILL) every process whose cwd is under {@code dir}: what the suite's daemons left behind. */
  static int killToolProcesses(Path dir) {
    int killed = 0;
    try {
      for (ToolProcess p : toolProcesses(dir, -1)) {
        if (ProcessHandle.of(p.pid()).map(ProcessHandle::destroyForcibly).orElse(false)) killed++;
      }
    } catch (IOException e) {
      System.err.println("chaos: could not scan for leftover tool processes: " + e);
    }
    return killed;
  }

  /**
   * Notes the daemon's pid and the suite's directory in {@code target/chaos-reports/started}, so that
   * {@code scripts/chaos} can kill what is left if the test JVM itself is killed (an interrupted run).
   */
  static DaemonProcess track(DaemonProcess daemon, Path dir) throws IOException {
    Path file = Path.of("target", "chaos-reports", "started");
    Files.createDirectories(file.getParent());
    Files.writeString(file, daemon.pid() + " " + dir.toAbsolutePath() + "\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    return daemon;
  }

  static boolean alive(DaemonProcess daemon) {
    return ProcessHandle.of(daemon.pid()).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Waits for {@code condition} up to {@code timeout}; true when it held. */
  static boolean awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) return true;
      Thread.sleep(100);
    }
    return condition.getAsBoolean();
  }
}
