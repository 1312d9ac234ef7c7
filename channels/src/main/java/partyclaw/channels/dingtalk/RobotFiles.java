package partyclaw.channels.dingtalk;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import partyclaw.core.json.Json;
import partyclaw.core.util.SecretRedaction;

/**
 * Downloads a robot message's files (spec 2.3): an access token from {@code POST /v1.0/oauth2/accessToken}
 * ({@code appKey}, {@code appSecret}), cached and renewed when less than a minute of it is left; then
 * {@code POST /v1.0/robot/messageFiles/download} ({@code downloadCode}, {@code robotCode}) for a download URL, which
 * is streamed into the workspace through a {@code .part} file moved into place when complete. Tokens are
 * registered with {@link SecretRedaction} and download URLs are never logged.
 */
final class RobotFiles {
  static final long RENEW_BEFORE_MILLIS = 60_000;

  private record Token(String value, long expiresAtMillis) {}

  private final DingtalkHttp http;
  private final DingtalkSettings settings;
  private final String base;
  private final String appKey;
  private final String appSecret;
  private final Executor blocking;
  private CompletableFuture<Token> token;

  RobotFiles(ActorSystem<?> system, DingtalkHttp http, DingtalkSettings settings, String apiBaseUrl, String appKey,
      String appSecret) {
    this.http = http;
    this.settings = settings;
    this.base = apiBaseUrl.endsWith("/") ? apiBaseUrl.substring(0, apiBaseUrl.length() - 1) : apiBaseUrl;
    this.appKey = appKey;
    this.appSecret = appSecret;
    this.blocking = partyclaw.actors.BlockingPools.channelIo(system);
  }

  /** Fetches {@code download} into {@code target}; the size when done. */
  CompletionStage<Long> download(BotCallback.Download download, String robotCode, Path target) {
    Path part = target.resolveSibling(target.getFileName() + ".part");
    return CompletableFuture.runAsync(() -> createParent(target), blocking)
        .thenCompose(x -> accessToken())
        .thenCompose(t -> {
          ObjectNode body = Json.object().put("downloadCode", download.downloadCode()).put("robotCode", robotCode);
          return http.postJson("file download lookup", base + "/v1.0/robot/messageFiles/download", body,
              Map.of("x-acs-dingtalk-access-token", t.value()), settings.requestTimeout());
        })
        .thenCompose(a -> {
          String url = a.body().path("downloadUrl").asText("");
          if (!a.ok() || url.isBlank()) {
            if (a.status() == 401 || a.status() == 403) forgetToken();
            throw new DingtalkHttpException("file download lookup: HTTP " + a.status()
                + (a.ok() ? " without downloadUrl" : ""), a.status(), null);
          }
          return http.download("file download", url, part, settings.downloadTimeout());
        })
        .thenApplyAsync(size -> {
          move(part, target);
          return size;
        }, blocking)
        .whenCompleteAsync((size, error) -> {
          if (error != null) deleteQuietly(part);
        }, blocking);
  }

  private synchronized CompletionStage<Token> accessToken() {
    Token known = token != null && token.isDone() && !token.isCompletedExceptionally() ? token.join() : null;
    if (token != null && !token.isDone()) return token;
    if (known != null && known.expiresAtMillis() - System.currentTimeMillis() > RENEW_BEFORE_MILLIS) {
      return CompletableFuture.completedFuture(known);
    }
    CompletableFuture<Token> fetching = new CompletableFuture<>();
    token = fetching;
    ObjectNode body = Json.object().put("appKey", appKey).put("appSecret", appSecret);
    http.postJson("access token", base + "/v1.0/oauth2/accessToken", body, Map.of(), settings.requestTimeout())
        .whenComplete((a, e) -> {
          if (e != null) {
            fetching.completeExceptionally(e);
          } else if (!a.ok() || a.body().path("accessToken").asText("").isBlank()) {
            String hint = a.status() >= 400 && a.status() < 500 ? " (check app_key / app_secret)" : "";
            fetching.completeExceptionally(new DingtalkHttpException("access token: HTTP " + a.status() + hint,
                a.status(), null));
          } else {
            String value = a.body().path("accessToken").asText();
            SecretRedaction.register(value);
            long expireIn = Math.max(0, a.body().path("expireIn").asLong(7200));
            fetching.complete(new Token(value, System.currentTimeMillis() + expireIn * 1000));
          }
        });
    return fetching;
  }

  private synchronized void forgetToken() {
    token = null;
  }

  private static void createParent(Path target) {
    try {
      Files.createDirectories(target.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the upload folder in the workspace", e);
    }
  }

  private static void move(Path part, Path target) {
    try {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target.getFileName() + " into the workspace", e);
    }
  }

  private static void deleteQuietly(Path part) {
    try {
      Files.deleteIfExists(part);
    } catch (IOException e) {
      // a leftover .part file is overwritten by the next try
    }
  }
}
