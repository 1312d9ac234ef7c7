package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.actors.outbox.TurnActivity;

/** Per-chat outboxes exist while a chat has something to do and are stopped once it has been idle. */
class ChatDirectoryTest extends TelegramTestSupport {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final Duration IDLE = Duration.ofMillis(300);

  private int count(ActorRef<ChatDirectory.Command> directory) {
    TestProbe<Integer> probe = kit.createTestProbe();
    directory.tell(new ChatDirectory.CountChats(probe.ref()));
    return probe.receiveMessage();
  }

  private void awaitCount(ActorRef<ChatDirectory.Command> directory, int n) {
    TestProbe<Object> waiter = kit.createTestProbe();
    waiter.awaitAssert(WAIT, Duration.ofMillis(50), () -> {
      assertEquals(n, count(directory));
      return null;
    });
  }

  @Test
  void idleChatsAreStoppedAndAChatWithATurnRunningIsKept() {
    TelegramSettings settings = fast(IDLE);
    TelegramBotApi api = new TelegramBotApi(kit.system(), fake.baseUrl(), TOKEN, 1, settings);
    ActorRef<ChatDirectory.Command> directory =
        kit.spawn(ChatDirectory.create(api, new OutboundSender(kit.system(), api, settings), settings));
    TestProbe<DeliveryReport> entity = kit.createTestProbe();
    for (long chat = 1; chat <= 3; chat++) {
      directory.tell(new ChatDirectory.Route(chat, new Deliver("tg:" + chat, 1, "reply", "hi " + chat, dir.toString(),
          entity.ref())));
    }
    directory.tell(new ChatDirectory.Route(4, new TurnActivity("tg:4", "t1", TurnActivity.Phase.STARTED, List.of(),
        null, "main")));
    for (int i = 0; i < 3; i++) entity.expectMessageClass(DeliveryReport.Delivered.class, WAIT);
    assertEquals(4, count(directory));

    awaitCount(directory, 1); // chats 1-3 delivered and went idle; chat 4 shows typing
    entity.expectNoMessage(IDLE.multipliedBy(3)); // room for chat 4 to be stopped wrongly
    assertEquals(1, count(directory), "the chat with a running turn keeps its outbox");

    directory.tell(new ChatDirectory.Route(4, new TurnActivity("tg:4", "t1", TurnActivity.Phase.FINISHED, List.of(),
        "completed", null)));
    awaitCount(directory, 0);

    // a chat that comes back gets a fresh outbox that works
    directory.tell(new ChatDirectory.Route(2, new Deliver("tg:2", 2, "reply", "again", dir.toString(), entity.ref())));
    assertEquals(new DeliveryReport.Delivered(2), entity.expectMessageClass(DeliveryReport.Delivered.class, WAIT));
    assertEquals(List.of("hi 2", "again"), fake.sentMessages(2).stream().map(m -> m.text()).toList());
  }
}
