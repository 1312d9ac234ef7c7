package partyclaw.app.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import partyclaw.actors.metrics.RuntimeMetrics.DeliveryResult;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.TurnActivity;

/** Each hook moves exactly its series, under the names and labels the README documents. */
class PrometheusRuntimeMetricsTest {
  private final PrometheusRuntimeMetrics metrics = new PrometheusRuntimeMetrics();

  @AfterEach
  void close() {
    metrics.close();
  }

  private List<String> lines(String prefix) {
    return metrics.scrape().lines().filter(l -> l.startsWith(prefix)).toList();
  }

  @Test
  void countersAndTheirLabels() {
    metrics.messageReceived("cli");
    metrics.messageReceived("cli");
    metrics.messageReceived("tg");
    metrics.toolCall("exec", "ok");
    metrics.toolCall("exec", "error");
    metrics.toolCall("unknown", "error");
    metrics.modelTokens("main", 100, 20, 0);

    assertEquals(List.of("partyclaw_messages_received_total{channel=\"cli\"} 2.0",
        "partyclaw_messages_received_total{channel=\"tg\"} 1.0"), sorted(lines("partyclaw_messages_received_total")));
    assertEquals(List.of("partyclaw_tool_calls_total{outcome=\"error\",tool=\"exec\"} 1.0",
        "partyclaw_tool_calls_total{outcome=\"error\",tool=\"unknown\"} 1.0",
        "partyclaw_tool_calls_total{outcome=\"ok\",tool=\"exec\"} 1.0"), sorted(lines("partyclaw_tool_calls_total")));
    assertEquals(List.of("partyclaw_model_tokens_total{kind=\"completion\",model=\"main\"} 20.0",
        "partyclaw_model_tokens_total{kind=\"prompt\",model=\"main\"} 100.0"), sorted(lines("partyclaw_model_tokens_total")));
  }

  @Test
  void turnsAreCountedFromFinishedActivityOnly() {
    assertEquals(List.of("partyclaw_turns_total{outcome=\"completed\"} 0.0"), lines("partyclaw_turns_total"));
    metrics.channelMessage(new TurnActivity("cli:local", "t1", TurnActivity.Phase.STARTED, List.of(), null, "main"));
    metrics.channelMessage(new TurnActivity("cli:local", "t1", TurnActivity.Phase.FINISHED, List.of(), "completed", null));
    metrics.channelMessage(new TurnActivity("cli:local", "t2", TurnActivity.Phase.FINISHED, List.of(), "failed", null));
    assertEquals(List.of("partyclaw_turns_total{outcome=\"completed\"} 1.0",
        "partyclaw_turns_total{outcome=\"failed\"} 1.0"), sorted(lines("partyclaw_turns_total")));
  }

  @Test
  void outboxPendingFollowsOffersAndSettlementsAndRepliesCountOnce() {
    Deliver one = new Deliver("tg:42", 1, "reply", "hi", "/w", null);
    Deliver two = new Deliver("tg:42", 2, "notice", "n", "/w", null);
    metrics.channelMessage(one);
    metrics.channelMessage(one); // a re-send while in flight is still one pending entry
    metrics.channelMessage(two);
    assertEquals(List.of("partyclaw_outbox_pending 2.0"), lines("partyclaw_outbox_pending"));

    metrics.deliveryDone(one, DeliveryResult.DELIVERED);
    metrics.deliveryDone(one, DeliveryResult.ALREADY_REPORTED);
    metrics.deliveryDone(two, DeliveryResult.UNDELIVERABLE);
    assertEquals(List.of("partyclaw_outbox_pending 0.0"), lines("partyclaw_outbox_pending"));
    assertEquals(List.of("partyclaw_replies_delivered_total{channel=\"tg\",kind=\"reply\"} 1.0"),
        lines("partyclaw_replies_delivered_total"));
    assertEquals(List.of("partyclaw_deliveries_undeliverable_total{channel=\"tg\",kind=\"notice\"} 1.0"),
        lines("partyclaw_deliveries_undeliverable_total"));
  }

  @Test
  void modelRequestsAndJournalWritesAreHistograms() {
    metrics.modelRequest("main", Duration.ofMillis(700), true);
    metrics.modelRequest("main", Duration.ofSeconds(3), false);
    metrics.journalWrite(Duration.ofMillis(2), true);

    assertTrue(lines("partyclaw_model_request_seconds_bucket{model=\"main\",outcome=\"ok\",le=\"1.0\"} 1")
        .size() == 1, metrics.scrape());
    assertEquals(List.of("partyclaw_model_request_seconds_bucket{model=\"main\",outcome=\"ok\",le=\"0.5\"} 0"),
        lines("partyclaw_model_request_seconds_bucket{model=\"main\",outcome=\"ok\",le=\"0.5\"}"));
    assertEquals(List.of("partyclaw_model_request_seconds_count{model=\"main\",outcome=\"error\"} 1"),
        lines("partyclaw_model_request_seconds_count{model=\"main\",outcome=\"error\"}"));
    assertEquals(List.of("partyclaw_journal_write_seconds_count{outcome=\"ok\"} 1"),
        lines("partyclaw_journal_write_seconds_count"));
  }

  @Test
  void gaugesAndJvmMetrics() {
    metrics.conversationsActive(3);
    assertEquals(List.of("partyclaw_conversations_active 3.0"), lines("partyclaw_conversations_active"));
    assertTrue(!lines("jvm_memory_used_bytes{").isEmpty(), "JVM memory metrics are exported");
    assertTrue(!lines("jvm_threads_live_threads").isEmpty(), "JVM thread metrics are exported");
    assertTrue(!lines("process_uptime_seconds").isEmpty(), "uptime is exported");
  }

  private static List<String> sorted(List<String> lines) {
    return lines.stream().sorted().toList();
  }
}
