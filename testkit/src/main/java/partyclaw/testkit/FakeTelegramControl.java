package partyclaw.testkit;

import akka.actor.ActorSystem;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.Query;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Scripting over HTTP, for benchmarks that run {@link FakeTelegramServerMain} in another process:
 * <ul>
 *   <li>{@code POST /_control/message {"chat_id","chat_type","from_id","text"}} queues a message and answers
 *       {@code {"update_id"}};</li>
 *   <li>{@code POST /_control/messages {"messages":[…]}} queues several at once (a held getUpdates gets them in one
 *       batch) and answers {@code {"update_ids":[…]}};</li>
 *   <li>{@code GET /_control/sent?chat_id=N} lists what the bot sent there;</li>
 *   <li>{@code GET /_control/sent_feed?from=K&timeout_ms=T} answers every send and edit from position K of the
 *       feed on as {@code {"next":K',"messages":[{"chat_id","message_id","method","text","edits"}]}}, waiting up to
 *       T ms (at most 30 s) for the first: one request follows every chat, however many are waiting.</li>
 * </ul>
 */
final class FakeTelegramControl {
  private static final long MAX_WAIT_MS = 30_000;

  private FakeTelegramControl() {}

  static CompletionStage<HttpResponse> handle(FakeTelegramServer server, HttpRequest request, ActorSystem system) {
    String path = request.getUri().path();
    Query query = request.getUri().query();
    return request.entity().toStrict(10_000, system).thenComposeAsync(strict -> {
      try {
        String body = strict.getData().decodeString(StandardCharsets.UTF_8);
        return switch (path) {
          case "/_control/message" -> done(FakeTelegramBot.MAPPER.createObjectNode()
              .put("update_id", server.bot().injectMessage(spec(server, FakeTelegramBot.MAPPER.readTree(body)))));
          case "/_control/messages" -> {
            List<FakeTelegramMessage> specs = new ArrayList<>();
            for (JsonNode m : FakeTelegramBot.MAPPER.readTree(body).path("messages")) specs.add(spec(server, m));
            ObjectNode out = FakeTelegramBot.MAPPER.createObjectNode();
            ArrayNode ids = out.putArray("update_ids");
            server.injectMessages(specs).forEach(ids::add);
            yield done(out);
          }
          case "/_control/sent" -> done(list(server.sentMessages(Long.parseLong(query.get("chat_id").orElse("0")))));
          case "/_control/sent_feed" -> sentFeed(server, Integer.parseInt(query.get("from").orElse("0")),
              Math.min(MAX_WAIT_MS, Long.parseLong(query.get("timeout_ms").orElse("0"))));
          default -> CompletableFuture.completedFuture(
              FakeTelegramServer.respond(FakeTelegramBot.error(404, "Not Found: no control endpoint " + path)));
        };
      } catch (Exception e) {
        return CompletableFuture.completedFuture(
            FakeTelegramServer.respond(FakeTelegramBot.error(400, "Bad Request: " + e.getMessage())));
      }
    }, FakeTelegramServer.SAME_THREAD).exceptionally(e -> FakeTelegramServer.respond(FakeTelegramBot.error(500, String.valueOf(e))));
  }

  private static FakeTelegramMessage spec(FakeTelegramServer server, JsonNode m) {
    long chatId = m.path("chat_id").asLong();
    return server.message(chatId, m.path("chat_type").asText(chatId > 0 ? "private" : "group"),
        m.path("from_id").asLong(chatId)).text(m.path("text").asText());
  }

  private static CompletionStage<HttpResponse> sentFeed(FakeTelegramServer server, int from, long timeoutMs) {
    CompletableFuture<Void> grows;
    synchronized (server.bot().lock) {
      if (server.bot().sentFeedSize() > from || timeoutMs <= 0) return done(feed(server, from));
      // a copy: the timeout ends this request's wait, not the feed's future that other requests share
      grows = server.bot().sentFeedGrows().copy().completeOnTimeout(null, timeoutMs, TimeUnit.MILLISECONDS);
    }
    return grows.thenApply(ignored -> FakeTelegramServer.respond(FakeTelegramBot.ok(feed(server, from))));
  }

  private static ObjectNode feed(FakeTelegramServer server, int from) {
    synchronized (server.bot().lock) {
      ObjectNode out = FakeTelegramBot.MAPPER.createObjectNode();
      out.put("next", server.bot().sentFeedSize());
      ArrayNode messages = out.putArray("messages");
      for (SentMessage m : server.bot().sentFeed(from)) {
        messages.addObject().put("chat_id", m.chatId()).put("message_id", m.messageId()).put("method", m.method())
            .put("text", m.visibleText()).put("edits", m.edits());
      }
      return out;
    }
  }

  private static ArrayNode list(List<SentMessage> sent) {
    ArrayNode list = FakeTelegramBot.MAPPER.createArrayNode();
    for (SentMessage m : sent) {
      list.addObject().put("message_id", m.messageId()).put("method", m.method()).put("text", m.visibleText())
          .put("edits", m.edits());
    }
    return list;
  }

  private static CompletionStage<HttpResponse> done(JsonNode result) {
    return CompletableFuture.completedFuture(FakeTelegramServer.respond(FakeTelegramBot.ok(result)));
  }
}
