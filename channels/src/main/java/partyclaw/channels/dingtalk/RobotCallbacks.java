package partyclaw.channels.dingtalk;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.pattern.StatusReply;
import akka.stream.Materializer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.channels.common.Retries;
import partyclaw.channels.telegram.InboundFile;
import partyclaw.core.json.Json;

/**
 * The robot's inbound HTTP callbacks (spec 2.3): only {@code POST <callback path>} (query ignored; else 404
 * {@code not found}); the signature is checked before the body is read (403 {@code invalid signature}); the body is
 * read up to {@link #MAX_BODY_BYTES} (413 beyond); a body that is no JSON object gets 400 {@code invalid json}.
 * A good callback answers 200 {@code {"success":true}} only once its conversation journaled the message; when that
 * takes longer than {@code callback-timeout} the answer is 503 (the message is still being submitted, and a retry
 * is deduplicated by its message id).
 */
final class RobotCallbacks {
  private static final Logger LOG = LoggerFactory.getLogger(RobotCallbacks.class);
  static final long MAX_BODY_BYTES = 1024 * 1024;

  private final ActorSystem<?> system;
  private final Materializer mat;
  private final String channelId;
  private final String path;
  private final RobotSignature signature;
  private final InboundSubmitter submitter;
  private final RobotFiles files;
  private final DingtalkSettings settings;
  private volatile boolean stopped;

  /** {@code files}: null without app key (attachments are then only named in the text). */
  RobotCallbacks(ActorSystem<?> system, String channelId, String path, RobotSignature signature,
      InboundSubmitter submitter, RobotFiles files, DingtalkSettings settings) {
    this.system = system;
    this.mat = Materializer.matFromSystem(system);
    this.channelId = channelId;
    this.path = path;
    this.signature = signature;
    this.submitter = submitter;
    this.files = files;
    this.settings = settings;
  }

  void stop() {
    stopped = true;
  }

  CompletionStage<HttpResponse> handle(HttpRequest request) {
    if (!request.method().equals(HttpMethods.POST) || !request.getUri().path().equals(path)) {
      request.discardEntityBytes(mat);
      return done(text(404, "not found"));
    }
    String timestamp = request.getHeader("timestamp").map(h -> h.value()).orElse(null);
    String sign = request.getHeader("sign").map(h -> h.value()).orElse(null);
    if (!signature.verify(timestamp, sign, System.currentTimeMillis())) {
      request.discardEntityBytes(mat);
      LOG.warn("dingtalk_robot {}: callback with a missing, stale or wrong signature refused (403)", channelId);
      return done(text(403, "invalid signature"));
    }
    return request.entity().withSizeLimit(MAX_BODY_BYTES).toStrict(settings.requestTimeout().toMillis(), mat)
        .thenCompose(strict -> onBody(strict.getData().decodeString(StandardCharsets.UTF_8)))
        .exceptionally(e -> {
          Throwable cause = Retries.unwrap(e);
          if (cause instanceof EntityStreamSizeException) return text(413, "request too large");
          LOG.warn("dingtalk_robot {}: callback body not readable: {}", channelId, cause.toString());
          return text(400, "invalid request");
        });
  }

  private CompletionStage<HttpResponse> onBody(String body) {
    JsonNode json;
    try {
      json = Json.parse(body);
    } catch (Exception e) {
      json = null;
    }
    if (json == null || !json.isObject()) return done(text(400, "invalid json"));
    Optional<BotCallback> parsed = BotCallback.parse(json, BotCallback.Wording.ROBOT);
    if (parsed.isEmpty()) return done(text(400, "invalid request"));
    BotCallback cb = parsed.get();
    String id = "dingtalk-robot-" + (cb.msgId() != null ? cb.msgId()
        : cb.createAt() != null ? cb.createAt() : UUID.randomUUID().toString());
    CompletionStage<HttpResponse> accepted = attachments(id, cb)
        .thenCompose(a -> submitter.submit(id, cb, a.text(), a.paths(), () -> stopped))
        .handle((ok, error) -> {
          if (error == null) return json(200, "{\"success\":true}");
          Throwable cause = Retries.unwrap(error);
          if (cause instanceof StatusReply.ErrorMessage) {
            LOG.warn("dingtalk_robot {}: message {} refused by its conversation: {}", channelId, id, cause.getMessage());
            return json(200, "{\"success\":true}");
          }
          LOG.warn("dingtalk_robot {}: message {} not handled: {}", channelId, id, cause.toString());
          return text(503, "try again later");
        });
    return accepted.toCompletableFuture()
        .completeOnTimeout(null, settings.callbackTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .thenApply(r -> {
          if (r != null) return r;
          LOG.warn("dingtalk_robot {}: conversation of message {} did not acknowledge within {} s; answered 503",
              channelId, id, settings.callbackTimeout().toSeconds());
          return text(503, "try again later");
        });
  }

  private record Attachments(String text, List<String> paths) {}

  /** Downloads the message's files into its workspace; a file that fails becomes a note in the text. */
  private CompletionStage<Attachments> attachments(String messageId, BotCallback cb) {
    if (cb.downloads().isEmpty() || files == null || cb.robotCode() == null) {
      return CompletableFuture.completedFuture(new Attachments(cb.text(), List.of()));
    }
    return submitter.workspaceOf(cb, () -> stopped).thenCompose(root -> {
      CompletionStage<Attachments> chain = CompletableFuture.completedFuture(new Attachments(cb.text(), new ArrayList<>()));
      for (int i = 0; i < cb.downloads().size(); i++) {
        BotCallback.Download d = cb.downloads().get(i);
        // Stable per message and file: a retried callback overwrites the same file instead of adding one.
        String uuid = UUID.nameUUIDFromBytes((channelId + "|" + messageId + "|" + i).getBytes(StandardCharsets.UTF_8))
            .toString();
        String relative = "upload/" + uuid + "-" + InboundFile.sanitize(d.fileName(), "file.bin");
        Path target = root.resolve(relative);
        chain = chain.thenCompose(acc -> files.download(d, cb.robotCode(), target).thenApply(size -> {
          acc.paths().add(relative);
          return acc;
        }).exceptionally(e -> {
          String why = Retries.unwrap(e).getMessage();
          LOG.warn("dingtalk_robot {}: file {} of message {} could not be downloaded: {}", channelId, d.fileName(),
              messageId, why);
          return new Attachments(acc.text() + "\n[The attached file " + d.fileName()
              + " could not be downloaded from DingTalk (" + why + "); ask the user to send it again.]", acc.paths());
        }));
      }
      return chain;
    });
  }

  private static CompletionStage<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }

  private static HttpResponse text(int status, String body) {
    return HttpResponse.create().withStatus(StatusCodes.get(status))
        .withEntity(ContentTypes.TEXT_PLAIN_UTF8, body.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse json(int status, String body) {
    return HttpResponse.create().withStatus(StatusCodes.get(status))
        .withEntity(ContentTypes.APPLICATION_JSON, body.getBytes(StandardCharsets.UTF_8));
  }
}
