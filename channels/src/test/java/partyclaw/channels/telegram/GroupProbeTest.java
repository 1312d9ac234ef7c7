package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.core.json.Json;
import partyclaw.testkit.TelegramFailure;

/** Spec §2.1.5's 300 s walk (here every 100 ms) over the group chats the access store knows. */
class GroupProbeTest extends TelegramTestSupport {
  static final long ADMIN = 7001;
  static final Duration WAIT = Duration.ofSeconds(15);

  private void knock(ActorRef<TelegramAccessStore.Command> store, long chatId, String type, long userId, String text) {
    TestProbe<StatusReply<AccessPolicy.Verdict>> reply = kit.createTestProbe();
    store.tell(new TelegramAccessStore.Check(new AccessPolicy.Knock(chatId, type, "t", userId, "u", text),
        Instant.now(), reply.ref()));
    reply.expectMessageClass(StatusReply.class, WAIT);
  }

  private long probesOf(long chatId) {
    return fake.calls("getChatMemberCount").stream().filter(c -> c.chatId() == chatId).count();
  }

  @Test
  void goneChatsAndChatsWithOnlyTheBotCloseOnceAndOthersStay() {
    var cfg = config(List.of(), List.of(), false);
    ActorRef<TelegramAccessStore.Command> store = kit.spawn(TelegramAccessStore.create(channelId, new AccessPolicy(cfg)));
    knock(store, ADMIN, "private", ADMIN, "/admin_authorize");
    for (long group : List.of(-100L, -200L, -300L, -400L, -500L)) knock(store, group, "supergroup", 42, "@bot hi");
    knock(store, ADMIN, "private", ADMIN, "/admin_chat_approve -100");
    knock(store, ADMIN, "private", ADMIN, "/admin_chat_reject -300");
    fake.setMemberCount(-100, 1); // only the bot is left
    fake.setMemberCount(-200, 5);
    fake.failForChat("getChatMemberCount", -400, TelegramFailure.badRequest("chat not found"));
    fake.failForChat("getChatMemberCount", -500, TelegramFailure.serverError());

    kit.spawn(GroupProbe.create(channelId, new TelegramBotApi(kit.system(), fake.baseUrl(), TOKEN, 1, fast()), store,
        conversations::of, Duration.ofMillis(100), Duration.ofSeconds(3)));

    fake.await(() -> probesOf(-100) >= 4 && probesOf(-400) >= 4 && probesOf(-500) >= 4 ? true : null, WAIT,
        () -> "four rounds of probes");
    assertEquals(List.of("only the telegram bot is left in the chat"), conversations.closed(conv(-100)));
    assertEquals(List.of("telegram chat is no longer available"), conversations.closed(conv(-400)));
    assertEquals(List.of(), conversations.closed(conv(-200)));
    assertEquals(List.of(), conversations.closed(conv(-500)), "a transient failure keeps the conversation");
    assertEquals(0, probesOf(-300), "a rejected chat was closed when it was rejected; it is not probed");
    assertEquals(0, probesOf(ADMIN), "private chats are not probed");
  }

  private static ObjectNode serviceMessage(long chatId) {
    ObjectNode update = Json.object();
    ObjectNode message = update.putObject("message").put("message_id", 1).put("date", 1_700_000_000);
    message.putObject("chat").put("id", chatId).put("type", "supergroup").put("title", "g");
    message.putObject("from").put("id", 42).put("first_name", "Ann");
    message.put("new_chat_title", "renamed");
    return update;
  }

  @Test
  void aServiceMessageInAGoneGroupClosesItsConversation() {
    startChannel();
    fake.failForChat("getChat", -600, TelegramFailure.forbidden());
    fake.failForChat("getChat", -601, TelegramFailure.badRequest("chat not found"));
    long first = fake.injectRawUpdate(serviceMessage(-600));
    long second = fake.injectRawUpdate(serviceMessage(-601));
    fake.await(() -> fake.confirmedOffset() > second ? true : null, WAIT, () -> "both service messages confirmed");
    assertEquals(List.of(), conversations.closed(conv(-600)), "forbidden alone does not say the chat is gone");
    assertEquals(List.of("telegram chat is no longer available"), conversations.closed(conv(-601)));
    assertEquals(first + 1, second);
  }
}
