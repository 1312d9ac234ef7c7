package partyclaw.actors.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.cron.Checker;
import partyclaw.core.cron.CronFields;
import partyclaw.core.cron.CronRun;
import partyclaw.core.cron.CronTask;
import partyclaw.core.cron.CronTasks;
import partyclaw.core.llm.ChatResponse;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Usage;

/** Cron tasks journaled in their conversation, fired by its own timer, gated by a checker in its workspace. */
class CronTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  static final CronFields EVERY_2S = new CronFields("*/2", "*", "*", "*", "*", "*", null);

  @TempDir Path workdir;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  EntityFixture fixture() {
    EntityFixture f = new EntityFixture(testKit, workdir, 5);
    f.chat.fallback = r -> new ChatResponse(ChatMessage.assistant("cron done", List.of()), new Usage(0, 1, 0, 1),
        "stop");
    return f;
  }

  static CronTasks port(EntityFixture f) {
    return f.resources.of(f.id).find(CronTasks.class).orElseThrow();
  }

  static long cronMessages(EntityFixture f) {
    return f.events().stream().filter(e -> e instanceof ConversationEntity.InboundAccepted a
        && a.messageId().startsWith(CronHandlers.MESSAGE_PREFIX)).count();
  }

  static CronTask task(EntityFixture f, String id) {
    return f.entity.getState().cronTasks().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void aBlockingCheckerKeepsTheTaskFromFiringUntilItPasses() {
    EntityFixture f = fixture();
    CronTasks cron = port(f);
    CronTask created = cron.create(f.id, new CronTask.Draft("report", "daily report", EVERY_2S, "UTC",
        "write the report", "main", true, new Checker("exit 1", 5, null), null,
        new CronRun(CronRun.PROMPT, null)));
    assertEquals(List.of(created.id()), cron.list(f.id).stream().map(CronTask::id).toList());
    f.await("checked and blocked", s -> "checker_blocked".equals(task(f, created.id()).lastCheckOutcome()));
    f.await("checked again", s -> task(f, created.id()).lastCheckedAt() != null
        && task(f, created.id()).lastScheduledFor().isAfter(created.createdAt().plusSeconds(2)));
    assertEquals(0, cronMessages(f), "a blocked checker never fires");
    assertEquals(false, f.entity.getState().dormant(), "a conversation with an enabled task stays awake");
    f.send("/status");
    String status = f.nextDelivery().text();
    assertTrue(status.contains("\nCron tasks:\n- report (next 20") && status.contains("; last check checker_blocked)"),
        status);

    cron.update(f.id, created.id(), CronTask.Patch.builder().checkerCommand("exit 0").build());
    partyclaw.actors.outbox.Deliver d = f.nextDelivery(Duration.ofSeconds(20));
    assertEquals("cron done", d.text());
    assertTrue(cronMessages(f) >= 1);
    String sent = f.chat.requests.get(0).messages().stream().filter(m -> m.role() == partyclaw.core.transcript.Role.USER)
        .map(ChatMessage::content).findFirst().orElseThrow();
    assertEquals("[Cron Task: report]\nwrite the report", sent);
    assertEquals("checker_passed", task(f, created.id()).lastCheckOutcome());

    cron.remove(f.id, created.id());
    assertEquals(List.of(), cron.list(f.id));
  }

  /** The default run: a background agent on the task, its report delivered, its outcome recorded on the task. */
  @Test
  void aCheckerPastItsTimeoutIsKilledAndTheTaskFiresAsTheReferenceDoes() {
    EntityFixture f = fixture();
    CronTask created = port(f).create(f.id, new CronTask.Draft("slow", "slow checker", EVERY_2S, "UTC", "go",
        "main", true, new Checker("sleep 30", 1, null), null));
    String report = f.nextDelivery(Duration.ofSeconds(20)).text();
    assertTrue(report.startsWith("[Background agent background-") && report.endsWith(" finished]\nTask: go\n\ncron done"),
        report);
    String outcome = task(f, created.id()).lastCheckOutcome();
    assertTrue(outcome.startsWith("checker_error_triggered: "), outcome);
    BackgroundAgentRecord agent = f.entity.getState().background().agents().get(0);
    assertEquals("cron:" + created.id(), agent.origin());
    f.await("outcome recorded", s -> "completed".equals(task(f, created.id()).lastTriggerOutcome()));
    assertEquals(0, cronMessages(f), "an agent run sends no message into the conversation");
    CronTask disabled = port(f).update(f.id, created.id(), CronTask.Patch.builder().enabled(false).build());
    assertEquals(false, disabled.enabled());
    assertEquals(false, task(f, created.id()).enabled(), "journaled");
  }

  @Test
  void tasksBelongToTheirConversationAndBadSchedulesAreRefused() {
    EntityFixture f = fixture();
    CronTasks cron = port(f);
    try {
      cron.create(f.id, new CronTask.Draft("x", "y", new CronFields("0", "0", "9", "*", "*", "0", null), "UTC",
          "p", "main", true, null, null));
      throw new AssertionError("day of week 0 must be refused");
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().contains("cron_day_of_week"), e.getMessage());
    }
    try {
      cron.list("other:1");
      throw new AssertionError("another conversation's tasks must be refused");
    } catch (IllegalArgumentException e) {
      assertEquals("cron tasks of another conversation", e.getMessage());
    }
  }
}
