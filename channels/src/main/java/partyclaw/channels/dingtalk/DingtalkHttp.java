package partyclaw.channels.dingtalk;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.stream.Materializer;
import akka.stream.javadsl.FileIO;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import partyclaw.core.json.Json;

/**
 * JSON over Akka HTTP for the DingTalk channels, each call with its own deadline. Errors are
 * {@link DingtalkHttpException}s that name what was called ({@code what}), never the URL: session webhooks and
 * robot webhooks carry access tokens in their query.
 */
final class DingtalkHttp {
  /** A robot file is downloaded into the workspace up to this size. */
  static final long MAX_DOWNLOAD_BYTES = 512L * 1024 * 1024;

  private final ActorSystem<?> system;
  private final Http http;
  private final Materializer mat;

  DingtalkHttp(ActorSystem<?> system) {
    this.system = system;
    this.http = Http.get(system);
    this.mat = Materializer.matFromSystem(system);
  }

  /** A JSON answer with its HTTP status; the body is an empty object when it was no JSON. */
  record Answer(int status, JsonNode body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** POSTs {@code body} as JSON; completes with any HTTP answer, fails only when there was none in time. */
  CompletionStage<Answer> postJson(String what, String url, JsonNode body, Map<String, String> headers,
      Duration timeout) {
    HttpRequest request;
    try {
      request = HttpRequest.POST(url).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
          Json.write(body).getBytes(StandardCharsets.UTF_8)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new DingtalkHttpException(what + ": invalid URL", 400, null));
    }
    for (Map.Entry<String, String> h : headers.entrySet()) request = request.addHeader(RawHeader.create(h.getKey(), h.getValue()));
    return execute(what, request, timeout).thenApply(r -> {
      JsonNode json;
      try {
        json = Json.parse(new String(r.bytes, StandardCharsets.UTF_8));
      } catch (Exception e) {
        json = null;
      }
      return new Answer(r.status, json == null || !json.isObject() ? Json.object() : json);
    });
  }

  /** GETs {@code url} into {@code target} as a stream, at most {@link #MAX_DOWNLOAD_BYTES}; the size when done. */
  CompletionStage<Long> download(String what, String url, Path target, Duration timeout) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    var cancel = system.scheduler().scheduleOnce(timeout, () -> result.completeExceptionally(
        new DingtalkHttpException(what + ": no answer within " + timeout.toSeconds() + " s", 0, null)),
        system.executionContext());
    result.whenComplete((n, e) -> cancel.cancel());
    CompletionStage<HttpResponse> response;
    try {
      response = http.singleRequest(HttpRequest.GET(url));
    } catch (RuntimeException e) {
      result.completeExceptionally(new DingtalkHttpException(what + ": invalid URL", 400, null));
      return result;
    }
    response.whenComplete((r, e) -> {
      if (e != null) {
        result.completeExceptionally(transport(what, e));
      } else if (r.status().intValue() != 200 || result.isDone()) {
        r.discardEntityBytes(mat);
        result.completeExceptionally(new DingtalkHttpException(what + ": HTTP " + r.status().intValue(),
            r.status().intValue(), null));
      } else {
        r.entity().withSizeLimit(MAX_DOWNLOAD_BYTES).getDataBytes().completionTimeout(timeout)
            .runWith(FileIO.toPath(target), mat)
            .whenComplete((io, err) -> {
              if (err != null) result.completeExceptionally(transport(what, err));
              else result.complete(io.getCount());
            });
      }
    });
    return result;
  }

  private record Raw(int status, byte[] bytes) {}

  private CompletionStage<Raw> execute(String what, HttpRequest request, Duration timeout) {
    CompletableFuture<Raw> result = new CompletableFuture<>();
    var cancel = system.scheduler().scheduleOnce(timeout, () -> result.completeExceptionally(
        new DingtalkHttpException(what + ": no answer within " + timeout.toSeconds() + " s", 0, null)),
        system.executionContext());
    result.whenComplete((b, e) -> cancel.cancel());
    CompletionStage<HttpResponse> response;
    try {
      response = http.singleRequest(request);
    } catch (RuntimeException e) {
      result.completeExceptionally(transport(what, e));
      return result;
    }
    response.whenComplete((r, e) -> {
      if (e != null) {
        result.completeExceptionally(transport(what, e));
        return;
      }
      if (result.isDone()) {
        r.discardEntityBytes(mat);
        return;
      }
      r.entity().toStrict(Math.max(1000, timeout.toMillis()), mat).whenComplete((strict, err) -> {
        if (err != null) result.completeExceptionally(transport(what, err));
        else result.complete(new Raw(r.status().intValue(), strict.getData().toArray()));
      });
    });
    return result;
  }

  /** Query strings are cut from the message: a URL Akka HTTP quotes may carry a token there. */
  private static DingtalkHttpException transport(String what, Throwable e) {
    Throwable t = partyclaw.core.util.Failures.unwrap(e);
    if (t instanceof DingtalkHttpException d) return d;
    String message = t.getMessage() == null ? "" : ": " + QUERY.matcher(t.getMessage()).replaceAll("?[query removed]");
    return new DingtalkHttpException(what + ": " + t.getClass().getSimpleName() + message, 0, null);
  }

  private static final java.util.regex.Pattern QUERY = java.util.regex.Pattern.compile("\\?[^\\s]*");
}
