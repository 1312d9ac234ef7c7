package partyclaw.channels.telegram;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.DeliveryRouter;
import partyclaw.core.config.TelegramChannelConfig;
import partyclaw.testkit.FakeTelegramServer;

/** A fake Bot API, fake conversations and a channel on them, with every delay shortened. */
abstract class TelegramTestSupport {
  static final String TOKEN = "123456:TEST-token_value";
  static ActorTestKit kit;
  private static final AtomicInteger channels = new AtomicInteger();

  @TempDir Path dir;
  FakeTelegramServer fake;
  FakeConversations conversations;
  DeliveryRouter router;
  String channelId;

  static TelegramSettings fast() {
    return fast(Duration.ofMinutes(10));
  }

  static TelegramSettings fast(Duration chatIdle) {
    return new TelegramSettings(ms(50), ms(400), Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(10),
        3, ms(50), Duration.ofSeconds(5), 3, ms(400), ms(200), Duration.ofMinutes(1), ms(300), Duration.ofSeconds(60),
        Duration.ofSeconds(2), chatIdle, ms(15), Duration.ofMinutes(10));
  }

  static Duration ms(long n) {
    return Duration.ofMillis(n);
  }

  @BeforeEach
  void setUpFake() {
    fake = FakeTelegramServer.start(TOKEN);
    conversations = new FakeConversations(kit, dir.resolve("workspaces"));
    router = new DeliveryRouter();
    channelId = "tg" + channels.incrementAndGet();
  }

  private final List<ActorRef<ChannelMessage>> started = new java.util.ArrayList<>();

  @AfterEach
  void stopFake() {
    started.forEach(kit::stop);
    fake.close();
  }

  @BeforeAll
  static void startKit() {
    kit = ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  void stopChannel(ActorRef<ChannelMessage> ref) {
    started.remove(ref);
    kit.stop(ref);
  }

  /** Without allow-lists the bot is {@code open}, as the tests written before access control expect. */
  TelegramChannelConfig config(List<Long> chats, List<Long> users) {
    return config(chats, users, chats.isEmpty() && users.isEmpty());
  }

  TelegramChannelConfig config(List<Long> chats, List<Long> users, boolean open) {
    return new TelegramChannelConfig(channelId, null, "UNUSED_ENV", fake.baseUrl(), 1, 20, chats, users, open);
  }

  ActorRef<ChannelMessage> startChannel() {
    return startChannel(config(List.of(), List.of()));
  }

  ActorRef<ChannelMessage> startChannel(TelegramChannelConfig cfg) {
    ActorRef<ChannelMessage> ref = kit.spawn(TelegramChannel.create(cfg, TOKEN, router, conversations::of, fast()));
    started.add(ref);
    return ref;
  }

  String conv(long chatId) {
    return channelId + ":" + chatId;
  }
}
