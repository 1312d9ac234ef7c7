package partyclaw.channels.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.stream.Materializer;
import akka.stream.javadsl.Sink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The broadcast bus: a client that does not read loses events beyond its buffer, and only it does. */
class WebEventsTest {
  static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create();
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aStalledClientDropsItsOwnOverflowWhileAReadingClientGetsEverything() throws Exception {
    Materializer mat = Materializer.matFromSystem(kit.system());
    WebEvents events = new WebEvents("web", mat);
    var stalled = events.open(); // its source is never run: nothing is ever read from its buffer
    var reading = events.open();
    List<String> got = new CopyOnWriteArrayList<>();
    reading.second().runWith(Sink.foreach(got::add), mat);
    events.join(stalled.first());
    events.join(reading.first());
    int n = 1000;
    for (int i = 0; i < n; i++) {
      events.publish(WebEvents.event("delta", "k").put("i", i));
      if (i % 100 == 99) awaitSize(got, i + 1); // bursts within its buffer: a reader that keeps up loses nothing
    }
    assertEquals(n, got.size());
    assertEquals("{\"type\":\"delta\",\"conversation_key\":\"k\",\"i\":999}", got.get(n - 1));
    // its buffer, plus the few elements the pre-materialized stream stage holds: bounded, and the rest dropped
    long dropped = stalled.first().dropped.get();
    assertTrue(dropped <= n - WebEvents.CLIENT_BUFFER && dropped >= n - WebEvents.CLIENT_BUFFER - 16,
        "dropped " + dropped);
    assertEquals(0, reading.first().dropped.get());
    events.leave(stalled.first());
    events.leave(reading.first());
    assertEquals(0, events.clientCount());
  }

  private static void awaitSize(List<String> got, int n) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (got.size() < n && System.currentTimeMillis() < deadline) Thread.sleep(5);
  }
}
