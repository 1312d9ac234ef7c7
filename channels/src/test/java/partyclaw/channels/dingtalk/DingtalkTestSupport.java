package partyclaw.channels.dingtalk;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.actors.outbox.DeliveryRouter;
import partyclaw.testkit.FakeDingtalkServer;

/** A fake DingTalk, stub conversations and a channel on them, with every delay shortened. */
abstract class DingtalkTestSupport {
  static final String CLIENT_ID = "ding-client-id";
  static final String CLIENT_SECRET = "ding-client-secret-value";
  static ActorTestKit kit;
  private static final AtomicInteger channels = new AtomicInteger();

  @TempDir Path dir;
  FakeDingtalkServer fake;
  ConversationStubs conversations;
  DeliveryRouter router;
  String channelId;
  private final List<ActorRef<ChannelMessage>> started = new ArrayList<>();

  static DingtalkSettings fast() {
    return new DingtalkSettings(Duration.ofMillis(100), Duration.ofMillis(800), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofMillis(500), Duration.ofSeconds(20), Duration.ofHours(1),
        Duration.ofSeconds(5));
  }

  @BeforeAll
  static void startKit() {
    kit = ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void setUpFake() {
    fake = FakeDingtalkServer.start(CLIENT_ID, CLIENT_SECRET);
    conversations = new ConversationStubs(kit, dir.resolve("workspaces"));
    router = new DeliveryRouter();
    channelId = "dt" + channels.incrementAndGet();
  }

  @AfterEach
  void stopAll() {
    started.forEach(kit::stop);
    fake.close();
  }

  ActorRef<ChannelMessage> track(ActorRef<ChannelMessage> ref) {
    started.add(ref);
    return ref;
  }

  String conv(String id) {
    return channelId + ":" + id;
  }

  /** Delivers {@code text} as outbox entry {@code id} of the conversation; the probe gets the report. */
  TestProbe<DeliveryReport> deliver(ActorRef<ChannelMessage> channel, String conversationId, long id, String text) {
    TestProbe<DeliveryReport> probe = kit.createTestProbe();
    channel.tell(new Deliver(conversationId, id, "reply", text, conversations.workspace(conversationId).toString(),
        probe.getRef()));
    return probe;
  }
}
