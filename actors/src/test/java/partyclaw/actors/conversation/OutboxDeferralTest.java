package partyclaw.actors.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryReport;

/** A channel that holds a reply (no webhook yet, flood control) stops the every-5-s resend for a while. */
class OutboxDeferralTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  @TempDir Path workdir;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void aDeferredReplyIsNotResentUntilItsTimeAndStaysInTheOutbox() {
    EntityFixture f = new EntityFixture(testKit, workdir, 20);
    f.send("/think");
    Deliver first = f.expectDelivery(Duration.ofSeconds(15));
    first.reportTo().tell(new DeliveryReport.Deferred(first.outboundId(), Duration.ofMinutes(10), "held"));
    // Without the deferral the resend timer (every 5 s) would send it again within this window.
    f.channel.expectNoMessage(ConversationEntity.RESEND_INTERVAL.plusSeconds(2));
    assertEquals(1, f.entity.getState().outbox().size(), "deferred is not delivered: it stays in the outbox");

    first.reportTo().tell(new DeliveryReport.Delivered(first.outboundId()));
    f.await("outbox empty", s -> s.outbox().isEmpty());
  }

  @Test
  void aShortDeferralEndsAndTheReplyIsSentAgain() {
    EntityFixture f = new EntityFixture(testKit, workdir, 20);
    f.send("/think");
    Deliver first = f.expectDelivery(Duration.ofSeconds(15));
    first.reportTo().tell(new DeliveryReport.Deferred(first.outboundId(), Duration.ofMillis(100), "held briefly"));
    Deliver again = f.expectDelivery(ConversationEntity.RESEND_INTERVAL.plusSeconds(5));
    assertEquals(first.outboundId(), again.outboundId());
  }
}
