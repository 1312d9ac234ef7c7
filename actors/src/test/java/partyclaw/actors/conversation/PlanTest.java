package partyclaw.actors.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.actors.outbox.TurnActivity;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;

/** update_plan: journaled, shown in /status and in the progress activity; the reminder every 10 tool rounds. */
class PlanTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  @TempDir Path workdir;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void thePlanIsJournaledAndShownInStatusAndProgress() {
    EntityFixture f = new EntityFixture(testKit, workdir, 5);
    f.chat.calls(new ToolCall("p1", "update_plan", "{\"plan\":[{\"step\":\"read the code\",\"status\":\"completed\"},"
        + "{\"step\":\"write tests\",\"status\":\"in_progress\"}],\"explanation\":\"started\"}")).text("planned");
    f.send("make a plan");
    assertEquals("planned", f.nextDelivery().text());
    ConversationState s = f.await("quiet", ConversationState::quiet);
    assertEquals(2, s.plan().steps().size());
    assertTrue(f.lastToolResult().contains("\"updated\" : true"), f.lastToolResult());
    assertTrue(f.activities.stream().anyMatch(a -> a instanceof TurnActivity t
        && t.plan().equals(List.of("✅ read the code", "▶️ write tests"))), f.activities.toString());
    f.send("/status");
    String status = f.nextDelivery().text();
    assertTrue(status.contains("\nPlan (started):\n✅ read the code\n▶️ write tests\n"), status);
    f.entity.restart();
    assertEquals(s.plan(), f.entity.getState().plan(), "the plan survives a restart");
  }

  @Test
  void aPlanBreakingTheRulesIsRefusedWithTheReason() {
    EntityFixture f = new EntityFixture(testKit, workdir, 5);
    f.chat.calls(new ToolCall("p1", "update_plan", "{\"plan\":[{\"step\":\"a\",\"status\":\"in_progress\"},"
        + "{\"step\":\"b\",\"status\":\"in_progress\"}]}")).text("noted");
    f.send("plan badly");
    assertEquals("noted", f.nextDelivery().text());
    assertTrue(f.lastToolResult().contains("at most one step may be in_progress, not 2"), f.lastToolResult());
    assertTrue(f.entity.getState().plan().steps().isEmpty());
  }

  @Test
  void theReminderComesWithEveryTenthToolRoundUnlessThatRoundUpdatedThePlan() {
    List<ChatMessage> t = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      ToolCall c = new ToolCall("c" + i, "echo", "{}");
      t.add(ChatMessage.assistant(null, List.of(c)));
      t.add(ChatMessage.toolResult(c, "{}"));
      assertEquals(i == 10, TurnRunner.planReminderDue(t), "after " + i + " tool rounds");
    }
    List<ChatMessage> withPlan = new ArrayList<>(t.subList(0, 18));
    ToolCall plan = new ToolCall("c10", "update_plan", "{}");
    withPlan.add(ChatMessage.assistant(null, List.of(plan)));
    withPlan.add(ChatMessage.toolResult(plan, "{}"));
    assertFalse(TurnRunner.planReminderDue(withPlan));
    assertFalse(TurnRunner.planReminderDue(List.of()));
  }
}
