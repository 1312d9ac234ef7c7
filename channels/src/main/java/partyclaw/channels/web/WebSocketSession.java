package partyclaw.channels.web;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.japi.Pair;
import akka.stream.Materializer;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import partyclaw.core.json.Json;

/**
 * One {@code /ws} connection (spec 2.5). Authenticated by {@code ?token=} / the Authorization header before the
 * upgrade, or by a first frame {@code {"type":"auth","token":…}} within {@link #AUTH_WINDOW}; a wrong or missing
 * token closes the socket. Once in, it receives every event of the bus through its own bounded buffer, and may ask
 * {@code {"type":"transcript_detail", request_id?, conversation_key?, seq_start, seq_end}}, answered to it alone.
 */
final class WebSocketSession {
  static final Duration AUTH_WINDOW = Duration.ofSeconds(10);
  static final int MAX_FRAME_CHARS = 64 * 1024;

  private WebSocketSession() {}

  /**
   * The connection's flow. {@code detail} answers a transcript_detail request with the event to send back (a
   * {@code transcript_detail} or {@code transcript_error}).
   */
  static Flow<Message, Message, NotUsed> flow(ActorSystem<?> system, WebEvents events, WebAuth auth,
      boolean preAuthenticated, Function<JsonNode, CompletionStage<ObjectNode>> detail) {
    Materializer mat = Materializer.matFromSystem(system);
    Pair<WebEvents.Client, Source<String, NotUsed>> opened = events.open();
    WebEvents.Client client = opened.first();
    AtomicBoolean in = new AtomicBoolean(preAuthenticated);
    if (preAuthenticated) {
      events.join(client);
    } else {
      system.scheduler().scheduleOnce(AUTH_WINDOW, () -> {
        if (!in.get()) client.close();
      }, system.executionContext());
    }
    Sink<Message, CompletionStage<Done>> incoming = Flow.<Message>create()
        .mapAsync(1, m -> text(m, mat))
        .toMat(Sink.foreach(frame -> {
          if (frame != null) onFrame(frame, client, in, events, auth, detail);
        }), (a, b) -> b);
    Source<Message, NotUsed> outgoing = opened.second()
        .watchTermination((nu, done) -> {
          done.whenComplete((d, e) -> events.leave(client));
          return nu;
        })
        .map(s -> (Message) TextMessage.create(s));
    return Flow.fromSinkAndSourceCoupled(incoming, outgoing);
  }

  private static CompletionStage<String> text(Message m, Materializer mat) {
    if (m.isText()) {
      return m.asTextMessage().getStreamedText().limitWeighted(MAX_FRAME_CHARS, s -> (long) s.length())
          .runFold(new StringBuilder(), StringBuilder::append, mat).thenApply(StringBuilder::toString);
    }
    m.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), mat);
    return CompletableFuture.completedFuture(null);
  }

  private static void onFrame(String frame, WebEvents.Client client, AtomicBoolean in, WebEvents events, WebAuth auth,
      Function<JsonNode, CompletionStage<ObjectNode>> detail) {
    JsonNode msg;
    try {
      msg = Json.parse(frame);
    } catch (Exception e) {
      msg = null;
    }
    String type = msg == null ? "" : msg.path("type").asText("");
    if (!in.get()) {
      if ("auth".equals(type) && auth.matches(msg.path("token").asText(null))) {
        in.set(true);
        events.join(client);
        client.offer(Json.write(WebEvents.event("auth_ok", null)));
      } else {
        client.close(); // wrong token, or anything before authenticating: the socket closes
      }
      return;
    }
    if ("transcript_detail".equals(type)) {
      detail.apply(msg).thenAccept(reply -> client.offer(Json.write(reply)));
    }
    // a later auth frame, and anything unknown, is ignored
  }
}
