package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import partyclaw.channels.telegram.AccessPolicy.Knock;
import partyclaw.channels.telegram.AccessPolicy.Verdict;
import partyclaw.channels.telegram.TelegramAccessStore.Approval;
import partyclaw.channels.telegram.TelegramAccessStore.Command;
import partyclaw.channels.telegram.TelegramAccessStore.Event;
import partyclaw.channels.telegram.TelegramAccessStore.State;

/** The store persists what the policy decides, replies only afterwards, and recovers it (events and snapshots). */
class TelegramAccessStoreTest {
  static ActorTestKit kit;
  static final Instant AT = Instant.parse("2025-03-04T05:06:07Z");
  EventSourcedBehaviorTestKit<Command, Event, State> store;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void fresh() {
    // Serialization of commands, events and state is checked on every step (the testkit's default).
    store = EventSourcedBehaviorTestKit.create(kit.system(),
        TelegramAccessStore.create("tg", AccessPolicyTest.CLOSED));
    store.clear();
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<Verdict>> check(Knock k) {
    return store.<StatusReply<Verdict>>runCommand(replyTo -> new TelegramAccessStore.Check(k, AT, replyTo));
  }

  @Test
  void claimRequestApproveAndRejectArePersistedAndRecovered() {
    var claim = check(AccessPolicyTest.privateMessage(100, "/admin_authorize"));
    assertEquals(List.of(new TelegramAccessStore.AdminClaimed(100, "User100", 100, AT)), claim.events());
    assertFalse(claim.reply().getValue().admitted());
    assertEquals(100, claim.state().admin().userId());

    var group = check(AccessPolicyTest.groupMessage(200, "hi"));
    assertEquals(1, group.events().size());
    assertEquals(Approval.PENDING, group.state().chat(AccessPolicyTest.GROUP).approval());
    assertEquals(2, group.reply().getValue().notices().size(), "the chat and the administrator are told");

    var again = check(AccessPolicyTest.groupMessage(200, "hello?"));
    assertTrue(again.hasNoEvents(), "a second message of a pending chat records nothing");

    var approve = check(AccessPolicyTest.privateMessage(100, "/admin_chat_approve " + AccessPolicyTest.GROUP));
    assertEquals(Approval.APPROVED, approve.state().chat(AccessPolicyTest.GROUP).approval());
    assertTrue(check(AccessPolicyTest.groupMessage(200, "now")).reply().getValue().admitted());

    check(AccessPolicyTest.privateMessage(100, "/admin_chat_reject " + AccessPolicyTest.GROUP));

    store.restart();
    State recovered = store.getState();
    assertEquals(100, recovered.admin().privateChatId());
    assertEquals(Approval.APPROVED, recovered.chat(100).approval());
    assertEquals(Approval.REJECTED, recovered.chat(AccessPolicyTest.GROUP).approval());
    assertEquals(AT, recovered.chat(AccessPolicyTest.GROUP).updatedAt());
    assertFalse(check(AccessPolicyTest.groupMessage(200, "after restart")).reply().getValue().admitted());
    assertTrue(check(AccessPolicyTest.privateMessage(100, "after restart")).reply().getValue().admitted());
  }

  @Test
  void aStrangerWithoutAdministratorChangesNothing() {
    var result = check(AccessPolicyTest.privateMessage(300, "hello"));
    assertTrue(result.hasNoEvents());
    assertNull(result.state().admin());
    assertEquals(List.of(new AccessPolicy.Notice(300, AccessTexts.NO_ADMIN, "no-admin")),
        result.reply().getValue().notices());
  }

  @Test
  void manyChatsSurviveASnapshot() {
    check(AccessPolicyTest.privateMessage(100, "/admin_authorize"));
    for (int i = 1; i <= 120; i++) {
      check(new Knock(-i, "group", "Group " + i, 1000 + i, "U" + i, "hi"));
    }
    // the snapshot after 100 events plus the events after it
    store.restart();
    assertEquals(121, store.getState().chats().size());
    assertEquals("Group 120", store.getState().chat(-120).title());
  }
}
