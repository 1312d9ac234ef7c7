package partyclaw.channels.dingtalk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionWebhookStoreTest {
  static final ActorTestKit kit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  private EventSourcedBehaviorTestKit<SessionWebhookStore.Command, SessionWebhookStore.Event, SessionWebhookStore.State> store;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    store = EventSourcedBehaviorTestKit.create(kit.system(), SessionWebhookStore.create("dt"));
  }

  private void remember(String conv, String url, long expiresAt) {
    var r = store.<StatusReply<Done>>runCommand(replyTo -> new SessionWebhookStore.Remember(conv, url, expiresAt, replyTo));
    assertEquals(StatusReply.ack(), r.reply());
  }

  private Optional<String> lookup(String conv) {
    return store.<Optional<String>>runCommand(replyTo -> new SessionWebhookStore.Lookup(conv, replyTo)).reply();
  }

  @Test
  void theLatestLiveWebhookIsKeptAcrossARestart() {
    long later = System.currentTimeMillis() + 60_000;
    remember("dt:a", "http://hook/1", later);
    remember("dt:a", "http://hook/2", later);
    remember("dt:b", "http://hook/b", System.currentTimeMillis() - 1); // already expired
    assertEquals(Optional.of("http://hook/2"), lookup("dt:a"));
    assertEquals(Optional.empty(), lookup("dt:b"));
    store.restart();
    assertEquals(Optional.of("http://hook/2"), lookup("dt:a"));
  }

  @Test
  void expiredWebhooksAreDroppedAndOnlyTheRefusedOneIsForgotten() {
    long later = System.currentTimeMillis() + 60_000;
    remember("dt:old", "http://hook/old", System.currentTimeMillis() - 1);
    remember("dt:a", "http://hook/a", later);
    assertEquals(1, store.getState().webhooks().size(), "the expired webhook went when a new one came");
    store.runCommand(new SessionWebhookStore.Forget("dt:a", "http://hook/other"));
    assertEquals(Optional.of("http://hook/a"), lookup("dt:a"));
    store.runCommand(new SessionWebhookStore.Forget("dt:a", "http://hook/a"));
    assertEquals(Optional.empty(), lookup("dt:a"));
  }
}
