package partyclaw.app.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.actors.outbox.ChannelMessage;
import partyclaw.actors.outbox.Deliver;
import partyclaw.actors.outbox.DeliveryReport;
import partyclaw.actors.outbox.DeliveryRouter;
import partyclaw.actors.outbox.TurnActivity;

/**
 * The console channel: a reply to {@code console:<user>} is delivered only once a terminal got it, each entry is
 * shown once, and a watched conversation of another channel is shown and passed on unchanged to its owner.
 */
class ConsoleChannelTest {
  static final ActorTestKit kit = ActorTestKit.create();
  @TempDir Path dir;
  private ServerSocketChannel server;
  private SocketChannel client;
  private JsonLines clientIn;
  private final AttachedTerminals terminals = new AttachedTerminals();
  private final DeliveryRouter router = new DeliveryRouter();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** A terminal attached to {@code conversation} over a real socket pair; its events are read on the client side. */
  @BeforeEach
  void terminal() throws Exception {
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(dir.resolve("s")));
    client = SocketChannel.open(StandardProtocolFamily.UNIX);
    client.connect(UnixDomainSocketAddress.of(dir.resolve("s")));
    clientIn = new JsonLines(client);
  }

  @AfterEach
  void close() throws Exception {
    client.close();
    server.close();
  }

  private ConsoleConnection attach(String conversation) throws Exception {
    SocketChannel accepted = server.accept();
    ConsoleConnection c = new ConsoleConnection(accepted, new NoBackend(), terminals);
    Thread t = new Thread(c::serve);
    t.setDaemon(true);
    t.start();
    ObjectNode attach = ConsoleClient.request("attach");
    if (conversation.startsWith("console:")) attach.put("user", conversation.substring(8));
    else attach.put("conversation", conversation);
    JsonLines.write(client, attach);
    assertEquals("attached", clientIn.read().path("type").asText());
    return c;
  }

  @Test
  void aConsoleReplyIsDeliveredOnlyOnceATerminalShowedItAndShownOnce() throws Exception {
    ActorRef<ChannelMessage> channel = kit.spawn(ConsoleChannel.create(router, terminals));
    TestProbe<DeliveryReport> reports = kit.createTestProbe();
    channel.tell(new Deliver("console:alice", 1, "reply", "nobody is here", "/tmp", reports.getRef()));
    reports.expectNoMessage(Duration.ofMillis(300)); // stays in the outbox

    attach("console:alice");
    channel.tell(new Deliver("console:alice", 1, "reply", "nobody is here", "/tmp", reports.getRef()));
    assertEquals(new DeliveryReport.Delivered(1), reports.receiveMessage());
    JsonNode shown = clientIn.read();
    assertEquals("message", shown.path("type").asText());
    assertEquals("console:alice", shown.path("conversation").asText());
    assertEquals("reply", shown.path("kind").asText());
    assertEquals("nobody is here", shown.path("text").asText());

    // the outbox re-sends: confirmed again, not shown again
    channel.tell(new Deliver("console:alice", 1, "reply", "nobody is here", "/tmp", reports.getRef()));
    assertEquals(new DeliveryReport.Delivered(1), reports.receiveMessage());
    channel.tell(new Deliver("console:alice", 2, "tell", "second", "/tmp", reports.getRef()));
    assertEquals(new DeliveryReport.Delivered(2), reports.receiveMessage());
    assertEquals("second", clientIn.read().path("text").asText());
  }

  @Test
  void aWatchedConversationIsShownAndPassedOnToItsOwner() throws Exception {
    TestProbe<ChannelMessage> telegram = kit.createTestProbe();
    router.register("tg", telegram.getRef());
    ActorRef<ChannelMessage> channel = kit.spawn(ConsoleChannel.create(router, terminals));
    attach("tg:555");
    router.observe("tg:555", channel);
    assertEquals(channel, router.channelOf("tg:555").orElseThrow());
    TestProbe<DeliveryReport> reports = kit.createTestProbe();
    Deliver d = new Deliver("tg:555", 7, "reply", "hello group", "/tmp", reports.getRef());
    router.channelOf("tg:555").orElseThrow().tell(d);
    assertEquals(d, telegram.receiveMessage());
    reports.expectNoMessage(Duration.ofMillis(200)); // the owner reports, not the console
    assertEquals("hello group", clientIn.read().path("text").asText());

    TurnActivity activity = new TurnActivity("tg:555", "t1", TurnActivity.Phase.TOOLS,
        List.of(new TurnActivity.ToolLine("c", "exec_start", "ls", "running")), null, "main");
    channel.tell(activity);
    assertEquals(activity, telegram.receiveMessage());
    JsonNode shown = clientIn.read();
    assertEquals("activity", shown.path("type").asText());
    assertEquals("[tools] exec_start(running)", partyclaw.app.ChatCommand.activityLine(shown));

    router.unobserve("tg:555", channel);
    assertEquals(telegram.getRef(), router.channelOf("tg:555").orElseThrow());
  }

  @Test
  void badConversationIdsAreRefused() {
    assertNull(ConversationIds.problem("tg:1"));
    assertEquals("conversation id 'x' must look like <channel id>:<chat id>, e.g. telegram-main:12345",
        ConversationIds.problem("x"));
    assertEquals("conversation id ':1' must look like <channel id>:<chat id>, e.g. telegram-main:12345",
        ConversationIds.problem(":1"));
    assertEquals("conversation id must not contain control characters", ConversationIds.problem("a:b\nc"));
  }

  private static final class NoBackend implements ConsoleBackend {
    @Override
    public CompletionStage<ObjectNode> status() {
      return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public CompletionStage<Boolean> submit(String c, String id, String user, String text) {
      return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<Boolean> quiet(String c) {
      return CompletableFuture.completedFuture(true);
    }

    @Override
    public void attached(String c) {}

    @Override
    public void detached(String c) {}
  }
}
