package partyclaw.testkit;

import akka.actor.ActorSystem;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Scripting over HTTP, for benchmarks that run {@link FakeTelegramServerMain} in another process:
 * {@code POST /_control/message {"chat_id","chat_type","from_id","text"}} queues a message and answers
 * {@code {"update_id"}}; {@code GET /_control/sent?chat_id=N} lists what the bot sent there.
 */
final class FakeTelegramControl {
  private FakeTelegramControl() {}

  static CompletionStage<HttpResponse> handle(FakeTelegramServer server, HttpRequest request, ActorSystem system) {
    String path = request.getUri().path();
    return request.entity().toStrict(10_000, system).thenApply(strict -> {
      try {
        if (path.equals("/_control/message")) {
          JsonNode body = FakeTelegramBot.MAPPER.readTree(strict.getData().decodeString(StandardCharsets.UTF_8));
          long chatId = body.path("chat_id").asLong();
          long id = server.injectMessage(chatId, body.path("chat_type").asText(chatId > 0 ? "private" : "group"),
              body.path("from_id").asLong(chatId), body.path("text").asText());
          return FakeTelegramServer.respond(FakeTelegramBot.ok(FakeTelegramBot.MAPPER.createObjectNode().put("update_id", id)));
        }
        if (path.equals("/_control/sent")) {
          long chatId = Long.parseLong(request.getUri().query().get("chat_id").orElse("0"));
          ArrayNode list = FakeTelegramBot.MAPPER.createArrayNode();
          for (SentMessage m : server.sentMessages(chatId)) {
            ObjectNode o = list.addObject();
            o.put("message_id", m.messageId()).put("method", m.method()).put("text", m.visibleText()).put("edits", m.edits());
          }
          return FakeTelegramServer.respond(FakeTelegramBot.ok(list));
        }
        return FakeTelegramServer.respond(FakeTelegramBot.error(404, "Not Found: no control endpoint " + path));
      } catch (Exception e) {
        return FakeTelegramServer.respond(FakeTelegramBot.error(400, "Bad Request: " + e.getMessage()));
      }
    }).exceptionally(e -> FakeTelegramServer.respond(FakeTelegramBot.error(500, String.valueOf(e))))
        .thenCompose(CompletableFuture::completedFuture);
  }
}
