package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.TurnActivity;
import partyclaw.testkit.SentMessage;

/** With {@code main_agent.language} zh-CN (the daemon puts it at {@code partyclaw.language}) progress is Chinese. */
class TelegramChineseProgressTest extends TelegramTestSupport {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final long CHAT = 902;

  /** Hides the support class's kit: this one runs with the language the daemon would set. */
  @BeforeAll
  static void startKit() {
    kit = ActorTestKit.create(ConfigFactory.parseMap(Map.of("partyclaw.language", "zh-CN"))
        .withFallback(EventSourcedBehaviorTestKit.config()).withFallback(ConfigFactory.load()));
  }

  @Test
  void progressMessageInChinese() throws Exception {
    ActorRef<ChannelMessage> channel = startChannel();
    String conv = conv(CHAT);
    channel.tell(new TurnActivity(conv, "t1", TurnActivity.Phase.STARTED, List.of(), null, "main"));
    channel.tell(new TurnActivity(conv, "t1", TurnActivity.Phase.TOOLS,
        List.of(new TurnActivity.ToolLine("c1", "exec_start", "sleep 30", "running")), null, "main"));
    SentMessage progress = fake.awaitSentMessages(CHAT, 1, WAIT).get(0);
    assertEquals("⚙️ 正在执行\n🤖 模型：main\n🔧 状态：工具执行中\n⏳ exec_start sleep 30", progress.text());
    channel.tell(new TurnActivity(conv, "t1", TurnActivity.Phase.FINISHED, List.of(), "completed", null));
    SentMessage done = fake.await(() -> {
      SentMessage m = fake.sentMessages(CHAT).get(0);
      return m.text().startsWith("✅ 完成") ? m : null;
    }, WAIT, () -> "final progress text, got " + fake.sentMessages(CHAT));
    assertTrue(done.text().matches("✅ 完成 \\| ⏱ \\d+s"), done.text());
  }
}
