package partyclaw.actors.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TopicSubscriptionsTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  EventSourcedBehaviorTestKit<TopicSubscriptions.Command, TopicSubscriptions.Event, TopicSubscriptions.State> kit =
      EventSourcedBehaviorTestKit.create(testKit.system(), TopicSubscriptions.create());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    kit.clear();
  }

  Set<String> subscribers(String topic) {
    var result = kit.<StatusReply<TopicSubscriptions.Subscribers>>runCommand(
        r -> new TopicSubscriptions.GetSubscribers(topic, r));
    return result.reply().getValue().conversations();
  }

  @Test
  void subscriptionsAreJournaledOnceAndSurviveARestart() {
    var first = kit.runCommand(new TopicSubscriptions.Subscribe("news", "tg:1", true));
    assertEquals(List.of(new TopicSubscriptions.ConversationSubscribed("news", "tg:1")), first.events());
    assertEquals(List.of(), kit.runCommand(new TopicSubscriptions.Subscribe("news", "tg:1", true)).events(),
        "a repeated subscription writes nothing");
    kit.runCommand(new TopicSubscriptions.Subscribe("news", "tg:2", true));
    kit.runCommand(new TopicSubscriptions.Subscribe("ops", "tg:2", true));
    assertEquals(List.of(), kit.runCommand(new TopicSubscriptions.Subscribe("dev", "tg:3", false)).events());
    assertEquals(Set.of("tg:1", "tg:2"), subscribers("news"));
    kit.restart();
    assertEquals(Set.of("tg:1", "tg:2"), subscribers("news"));
    kit.runCommand(new TopicSubscriptions.Subscribe("news", "tg:1", false));
    assertEquals(Set.of("tg:2"), subscribers("news"));
    kit.runCommand(new TopicSubscriptions.Subscribe("ops", "tg:2", false));
    assertEquals(Set.of(), subscribers("ops"));
    assertEquals(Set.of("news"), kit.getState().topics().keySet(), "a topic without subscribers is dropped");
  }
}
