package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.actors.outbox.TextDelta;
import partyclaw.actors.outbox.TurnActivity;
import partyclaw.testkit.ApiCall;

/** Streamed model text in Telegram: one silent draft in a private chat, edited in place, replaced by the reply. */
class TelegramDraftTest extends TelegramTestSupport {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final long PRIVATE = 4242;
  static final long GROUP = -100777;

  ActorRef<ChannelMessage> channel;
  TestProbe<DeliveryReport> entity;
  Path workspace;

  @BeforeEach
  void start() throws Exception {
    channel = startChannel();
    entity = kit.createTestProbe();
    workspace = Files.createDirectories(dir.resolve("ws"));
  }

  private void delta(long chat, String turn, int round, String text) {
    channel.tell(new TextDelta(conv(chat), turn, round, 1, text));
  }

  @Test
  void aPrivateChatSeesOneDraftEditedInPlaceThenReplacedByTheReply() throws Exception {
    delta(PRIVATE, "t1", 1, "Hello");
    long t0 = System.nanoTime();
    List<ApiCall> created = fake.awaitCalls("sendMessage", 1, WAIT);
    assertTrue(System.nanoTime() - t0 >= 900_000_000L, "the draft appears only after draft-delay");
    assertEquals("Hello", created.get(0).params().path("text").asText());
    assertTrue(created.get(0).params().path("disable_notification").asBoolean());
    delta(PRIVATE, "t1", 1, ", world");
    delta(PRIVATE, "t1", 1, " and more <attachment>out.png</attachment>");
    List<ApiCall> edits = fake.awaitCalls("editMessageText", 1, WAIT);
    assertEquals("Hello, world and more", edits.get(edits.size() - 1).params().path("text").asText());
    long draftId = fake.sentMessages(PRIVATE).get(0).messageId();

    channel.tell(new Deliver(conv(PRIVATE), 1, "reply", "**Hello**, world and more", workspace.toString(),
        entity.ref()));
    assertEquals(new DeliveryReport.Delivered(1), entity.expectMessageClass(DeliveryReport.Delivered.class, WAIT));
    List<ApiCall> deleted = fake.awaitCalls("deleteMessage", 1, WAIT);
    assertEquals(draftId, deleted.get(0).params().path("message_id").asLong());
    assertEquals(2, fake.calls("sendMessage").size(), "the draft and the formatted reply");

    // a delta of the answered turn arriving late starts no new draft
    channel.tell(new TurnActivity(conv(PRIVATE), "t1", TurnActivity.Phase.FINISHED, List.of(), "completed", null));
    delta(PRIVATE, "t1", 1, " late");
    Thread.sleep(300);
    assertEquals(2, fake.calls("sendMessage").size());
  }

  @Test
  void aQuickReplyShowsNoDraft() throws Exception {
    delta(PRIVATE, "q1", 1, "quick");
    channel.tell(new Deliver(conv(PRIVATE), 1, "reply", "quick", workspace.toString(), entity.ref()));
    assertEquals(new DeliveryReport.Delivered(1), entity.expectMessageClass(DeliveryReport.Delivered.class, WAIT));
    Thread.sleep(1500); // past draft-delay: the dropped draft's timer must not create one now
    assertEquals(1, fake.calls("sendMessage").size());
    assertEquals("quick", fake.calls("sendMessage").get(0).params().path("text").asText());
  }

  @Test
  void groupsGetNoDraft() throws Exception {
    delta(GROUP, "g1", 1, "streaming in a group");
    channel.tell(new Deliver(conv(GROUP), 1, "reply", "the reply", workspace.toString(), entity.ref()));
    assertEquals(new DeliveryReport.Delivered(1), entity.expectMessageClass(DeliveryReport.Delivered.class, WAIT));
    assertEquals(1, fake.calls("sendMessage").size());
    assertEquals("the reply", fake.calls("sendMessage").get(0).params().path("text").asText());
    assertEquals(0, fake.calls("editMessageText").size());
  }

  @Test
  void draftShowsTheTailOfAVeryLongText() {
    String shown = ChatOutbox.draftDisplay("x".repeat(5000) + "END");
    assertEquals(4000, shown.length());
    assertTrue(shown.startsWith("…") && shown.endsWith("END"));
  }
}
