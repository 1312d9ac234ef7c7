package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.app.TelegramITSupport.awaitReply;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.testkit.RecordedRequest;
import partyclaw.testkit.SentMessage;
import partyclaw.testkit.Step;
import partyclaw.testkit.ToolCallSpec;

/**
 * Agents through the packaged daemon and the fake Bot API: a background agent's report after the turn, exactly once
 * across a {@code kill -9}; broadcast and multi sinks reaching other chats; cron tasks across downtime; {@code /stop}
 * during a join killing the sub-agents' processes.
 */
class AgentsIT extends WithTelegramFakes {
  @TempDir Path dir;

  static boolean fromBackground(RecordedRequest r) {
    return r.messages().get(0).path("content").asText().startsWith("[partyclaw Main Background Agent]");
  }

  /** The task the background agent was given: its first user message's first line. */
  static String task(RecordedRequest r) {
    return r.messages().stream().filter(m -> m.path("role").asText().equals("user")).findFirst()
        .map(m -> m.path("content").asText().lines().findFirst().orElse("")).orElse("");
  }

  /** Bot messages of the chat that are background reports ending with {@code text}. */
  long reports(long chat, String text) {
    return fake.sentMessages(chat).stream().map(SentMessage::visibleText)
        .filter(t -> t.startsWith("[Background agent background-") && t.endsWith("\n\n" + text)).count();
  }

  void awaitReport(long chat, String text) {
    fake.await(() -> reports(chat, text) > 0 ? true : null, Duration.ofSeconds(60),
        () -> "report '" + text + "' in chat " + chat + "; sent: " + TelegramITSupport.visible(fake, chat));
  }

  /**
   * The main agent starts a background agent when told {@code start <sink> | <task>}; the background agent answers
   * {@code done: <task>} at once.
   */
  void scriptStarts() {
    llm.setDefault(r -> {
      if (fromBackground(r)) return Step.text("done: " + task(r));
      String text = r.lastUserText();
      boolean userSpoke = r.messages().get(r.messages().size() - 1).path("role").asText().equals("user");
      if (text.startsWith("start ") && userSpoke) {
        String sink = text.substring(6, text.indexOf('|')).strip();
        String task = text.substring(text.indexOf('|') + 1).strip();
        return Step.toolCalls(new ToolCallSpec("b1", "start_background_agent",
            "{\"task\":\"" + task + "\",\"sink\":\"" + sink + "\"}"));
      }
      return Step.text(userSpoke ? "ok: " + text : "started");
    });
  }

  @Test
  void aBackgroundAgentResumesAfterKill9AndReportsExactlyOnce() throws Exception {
    long chat = 5101;
    Path config = TelegramITSupport.config(dir, llm.baseUrl(), fake.baseUrl());
    AtomicBoolean restarted = new AtomicBoolean();
    llm.setDefault(r -> {
      if (fromBackground(r)) {
        if (r.toolMessages().isEmpty()) {
          return Step.toolCalls(new ToolCallSpec("w1", "file_write", "{\"path\":\"notes.txt\",\"content\":\"42\"}"));
        }
        // Round two hangs until the daemon is killed; the restarted one answers.
        return restarted.get() ? Step.text("the answer is 42") : Step.text("too late").withDelay(Duration.ofMinutes(2));
      }
      if (r.toolMessages().isEmpty()) {
        return Step.toolCalls(new ToolCallSpec("b1", "start_background_agent", "{\"task\":\"find the answer\"}"));
      }
      return Step.text("started");
    });
    try (DaemonProcess first = TelegramITSupport.start(dir, "first", config, Map.of())) {
      fake.injectMessage(chat, "private", chat, "go");
      awaitReply(fake, chat, "started");
      fake.await(() -> llm.requests().stream().filter(AgentsIT::fromBackground).count() >= 2 ? true : null,
          Duration.ofSeconds(60), () -> "the background agent's second round");
      first.kill9();
    }
    assertEquals(0, reports(chat, "the answer is 42"));
    restarted.set(true);
    int before = llm.requests().size();
    try (DaemonProcess second = TelegramITSupport.start(dir, "second", config, Map.of())) {
      awaitReport(chat, "the answer is 42");
      List<RecordedRequest> resumed = llm.requests().subList(before, llm.requests().size()).stream()
          .filter(AgentsIT::fromBackground).toList();
      assertEquals(1, resumed.size(), "one model call finishes the resumed agent");
      List<JsonNode> tools = resumed.get(0).toolMessages();
      assertEquals(1, tools.size(), "it resumed after its journaled first round, not from the start");
      Thread.sleep(2000); // room for a duplicate to show up
      assertEquals(1, reports(chat, "the answer is 42"));
      TelegramITSupport.assertTokenNotLeaked(second, dir);
    }
  }

  @Test
  void broadcastReachesEverySubscriberAndMultiEachTarget() throws Exception {
    long source = 5200;
    long news1 = 5201;
    long news2 = 5202;
    long ops = 5203;
    scriptStarts();
    Path config = TelegramITSupport.config(dir, llm.baseUrl(), fake.baseUrl());
    try (DaemonProcess daemon = TelegramITSupport.start(dir, "daemon", config, Map.of())) {
      fake.injectMessage(news1, "private", news1, "/subscribe news");
      fake.injectMessage(news2, "private", news2, "/subscribe news");
      fake.injectMessage(ops, "private", ops, "/subscribe ops");
      for (long chat : new long[] {news1, news2}) {
        awaitReply(fake, chat, "Subscribed to news: reports broadcast to it will arrive here.");
      }
      awaitReply(fake, ops, "Subscribed to ops: reports broadcast to it will arrive here.");

      fake.injectMessage(source, "private", source, "start broadcast:news | headlines");
      awaitReply(fake, source, "started");
      awaitReport(news1, "done: headlines");
      awaitReport(news2, "done: headlines");

      fake.injectMessage(source, "private", source, "start multi:this,topic:ops | deploy status");
      awaitReport(source, "done: deploy status");
      awaitReport(ops, "done: deploy status");
      Thread.sleep(2000); // room for a duplicate or a stray delivery to show up
      assertEquals(1, reports(news1, "done: headlines"));
      assertEquals(1, reports(news2, "done: headlines"));
      assertEquals(0, reports(ops, "done: headlines"));
      assertEquals(0, reports(source, "done: headlines"));
      assertEquals(1, reports(source, "done: deploy status"));
      assertEquals(1, reports(ops, "done: deploy status"));
      assertEquals(0, reports(news1, "done: deploy status"));
      // The subscribers' models see the report in their context with their next message.
      fake.injectMessage(news1, "private", news1, "what came in?");
      awaitReply(fake, news1, "ok: what came in?");
      RecordedRequest next = TelegramITSupport.requestFor(llm, "what came in?");
      assertTrue(next.messages().stream().anyMatch(m -> m.path("role").asText().equals("assistant")
          && m.path("content").asText().endsWith("\n\ndone: headlines")), "the report is in the context");
    }
  }

  /** Two tasks due while the daemon is down: {@code run_once} fires once after the restart, {@code skip} never. */
  @Test
  void aTaskMissedDuringDowntimeRunsOnceUnderRunOnceAndNotUnderSkip() throws Exception {
    long chat = 5301;
    scriptStarts();
    Path config = TelegramITSupport.config(dir, llm.baseUrl(), fake.baseUrl());
    // Due a few seconds after the model creates them, whenever that is.
    AtomicReference<ZonedDateTime> due = new AtomicReference<>();
    llm.enqueue(Step.dynamic(r -> {
      due.set(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(6).withNano(0));
      return Step.toolCalls(cronTask("c1", "catch up", "run_once", due.get()),
          cronTask("c2", "drop it", "skip", due.get()));
    }), Step.text("scheduled"));
    try (DaemonProcess first = TelegramITSupport.start(dir, "first", config, Map.of())) {
      fake.injectMessage(chat, "private", chat, "schedule both");
      awaitReply(fake, chat, "scheduled");
      first.kill9();
    }
    assertTrue(ZonedDateTime.now(ZoneOffset.UTC).isBefore(due.get()), "killed before the due time");
    // Down across the due time, for 10 s beyond it.
    Thread.sleep(Duration.between(ZonedDateTime.now(ZoneOffset.UTC), due.get().plusSeconds(10)).toMillis());
    try (DaemonProcess second = TelegramITSupport.start(dir, "second", config, Map.of())) {
      awaitReport(chat, "done: catch up");
      Thread.sleep(3000); // room for the skipped one or a repeat to show up
      assertEquals(1, reports(chat, "done: catch up"));
      assertEquals(0, reports(chat, "done: drop it"));
    }
  }

  static ToolCallSpec cronTask(String id, String task, String missedRuns, ZonedDateTime at) {
    return new ToolCallSpec(id, "create_cron_task", ("{\"name\":\"%s\",\"description\":\"test\",\"cron_second\":\"%d\","
        + "\"cron_minute\":\"%d\",\"cron_hour\":\"%d\",\"cron_day_of_month\":\"%d\",\"cron_month\":\"%d\","
        + "\"cron_day_of_week\":\"?\",\"cron_year\":\"%d\",\"timezone\":\"UTC\",\"task\":\"%s\",\"missed_runs\":\"%s\"}")
        .formatted(id, at.getSecond(), at.getMinute(), at.getHour(), at.getDayOfMonth(), at.getMonthValue(),
            at.getYear(), task, missedRuns));
  }

  /** {@code /stop} while the main agent joins a sub-agent that runs a process: the process is gone within 1 s. */
  @Test
  void stopDuringAJoinKillsTheSubAgentsProcessesWithinASecond() throws Exception {
    long chat = 5401;
    String sleeper = "sleep 311";
    llm.setDefault(r -> {
      String system = r.messages().get(0).path("content").asText();
      if (system.startsWith("[partyclaw Sub-Agent]")) {
        return Step.toolCalls(new ToolCallSpec("x1", "exec_start",
            "{\"command\":\"" + sleeper + "\",\"wait_timeout_seconds\":250}"));
      }
      if (r.toolMessages().isEmpty()) {
        return Step.toolCalls(new ToolCallSpec("s1", "subagent_start", "{\"description\":\"run the sleeper\"}"));
      }
      String agentId = r.toolMessages().get(0).path("content").asText()
          .replaceAll("(?s).*\"agent_id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
      return Step.toolCalls(new ToolCallSpec("j1", "subagent_join", "{\"agent_id\":\"" + agentId + "\"}"));
    });
    Path config = TelegramITSupport.config(dir, llm.baseUrl(), fake.baseUrl());
    try (DaemonProcess daemon = TelegramITSupport.start(dir, "daemon", config, Map.of())) {
      fake.injectMessage(chat, "private", chat, "delegate");
      fake.await(() -> sleepers(sleeper) > 0 && llm.requests().stream().anyMatch(r -> r.toolMessages().size() == 1
          && !fromBackground(r) && r.messages().get(0).path("content").asText().startsWith("[partyclaw Main"))
          ? true : null, Duration.ofSeconds(60), () -> "the sub-agent's process and the main agent's join");
      int before = fake.sentMessages(chat).size();
      fake.injectMessage(chat, "private", chat, "/stop");
      fake.awaitSentMessages(chat, before + 1, Duration.ofSeconds(30));
      long stoppedAt = System.nanoTime();
      while (sleepers(sleeper) > 0) {
        assertTrue(System.nanoTime() - stoppedAt < 1_000_000_000L, "the sub-agent's process outlived /stop by 1 s");
        Thread.sleep(20);
      }
    } finally {
      ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").endsWith(sleeper))
          .forEach(ProcessHandle::destroyForcibly);
    }
  }

  static long sleepers(String command) {
    return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().orElse("").endsWith(command)).count();
  }

  /**
   * A turn starts three sub-agents that each run several rounds with tools; their model requests overlap in time and
   * their answers come back paired with the joins.
   */
  @Test
  void threeSubAgentsWorkInParallelAndTheirAnswersPairWithTheJoins() throws Exception {
    long chat = 5501;
    Duration modelTime = Duration.ofMillis(800);
    Map<String, Long> firstRequestAt = new java.util.concurrent.ConcurrentHashMap<>();
    llm.setDefault(r -> {
      String system = r.messages().get(0).path("content").asText();
      if (system.startsWith("[partyclaw Sub-Agent]")) {
        String task = task(r);
        firstRequestAt.putIfAbsent(task, System.nanoTime());
        int done = r.toolMessages().size();
        Step step = done < 2 ? Step.toolCalls(new ToolCallSpec("l" + done, "ls", "{\"path\":\".\"}"))
            : Step.text("answer of " + task);
        return step.withDelay(modelTime);
      }
      List<String> ids = r.toolMessages().stream().map(m -> m.path("content").asText())
          .filter(c -> c.contains("\"agent_id\"") && c.contains("\"timeout_seconds\""))
          .map(c -> c.replaceAll("(?s).*\"agent_id\"\\s*:\\s*\"([^\"]+)\".*", "$1")).toList();
      if (ids.isEmpty()) {
        return Step.toolCalls(new ToolCallSpec("s1", "subagent_start", "{\"description\":\"alpha\"}"),
            new ToolCallSpec("s2", "subagent_start", "{\"description\":\"beta\"}"),
            new ToolCallSpec("s3", "subagent_start", "{\"description\":\"gamma\"}"));
      }
      if (r.toolMessages().size() == 3) {
        return Step.toolCalls(ids.stream().map(id -> new ToolCallSpec("j-" + id, "subagent_join",
            "{\"agent_id\":\"" + id + "\"}")).toArray(ToolCallSpec[]::new));
      }
      List<String> texts = r.toolMessages().stream().skip(3).map(m -> m.path("content").asText()
          .replaceAll("(?s).*\"text\"\\s*:\\s*\"([^\"]*)\".*", "$1")).toList();
      return Step.text("joined: " + String.join(" | ", texts));
    });
    Path config = TelegramITSupport.config(dir, llm.baseUrl(), fake.baseUrl());
    try (DaemonProcess daemon = TelegramITSupport.start(dir, "daemon", config, Map.of())) {
      fake.injectMessage(chat, "private", chat, "delegate");
      awaitReply(fake, chat, "joined: answer of alpha | answer of beta | answer of gamma");
    }
    assertEquals(Set.of("alpha", "beta", "gamma"), firstRequestAt.keySet());
    long spread = java.util.Collections.max(firstRequestAt.values()) - java.util.Collections.min(firstRequestAt.values());
    assertTrue(spread < modelTime.toNanos(), "the three sub-agents' first model requests were in flight together;"
        + " spread " + spread / 1_000_000 + " ms");
    assertEquals(9, llm.requests().stream().filter(r -> r.messages().get(0).path("content").asText()
        .startsWith("[partyclaw Sub-Agent]")).count(), "three rounds each");
  }
}
