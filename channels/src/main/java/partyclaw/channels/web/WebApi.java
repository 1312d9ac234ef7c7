package partyclaw.channels.web;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.Query;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.model.ws.WebSocket;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.stream.Materializer;
import akka.stream.javadsl.FileIO;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.json.Json;
import partyclaw.core.util.Failures;

/**
 * Every route of the web channel's listener (spec 2.5, plus the OpenAI-compatible {@code /v1} routes): the embedded
 * client, {@code /api/*} behind the bearer token, {@code /ws}, {@code /v1/*}. Blocking file work runs on the
 * channel I/O pool.
 */
final class WebApi {
  private static final Logger LOG = LoggerFactory.getLogger(WebApi.class);
  static final long MAX_API_BODY = 1024 * 1024;
  static final long MAX_OPENAI_BODY = 16L * 1024 * 1024;
  static final int MAX_PAGE = 200;
  static final int MAX_DETAIL_SPAN = 200;
  /** The page may load only its own scripts and styles; model output can never run script even if it got in. */
  static final String PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
      + " media-src 'self'; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  /** What the routes need of the conversations behind the channel. */
  interface Conversations {
    /** Submits a user message; completes once the conversation journaled it. */
    CompletionStage<Void> submit(String key, String messageId, String text);

    /** The conversation's workspace root. */
    CompletionStage<Path> workspace(String key);

    /** Closes the conversation (its session, cron tasks, background agents). */
    CompletionStage<Void> close(String key, String reason);
  }

  private final ActorSystem<?> system;
  private final Materializer mat;
  private final String channelId;
  private final WebAuth auth;
  private final WebTranscripts transcripts;
  private final WebEvents events;
  private final Conversations conversations;
  private final OpenAiEndpoint openAi;
  private final Executor blocking;
  private final Map<String, Asset> assets;

  private record Asset(ContentType type, byte[] bytes) {}

  WebApi(ActorSystem<?> system, String channelId, WebAuth auth, WebTranscripts transcripts, WebEvents events,
      Conversations conversations, java.util.List<String> models, Executor blocking) {
    this.system = system;
    this.mat = Materializer.matFromSystem(system);
    this.channelId = channelId;
    this.auth = auth;
    this.transcripts = transcripts;
    this.events = events;
    this.conversations = conversations;
    this.blocking = blocking;
    this.openAi = new OpenAiEndpoint(system, models, (key, text) -> submitUser(key, text).thenApply(x -> null));
    this.assets = Map.of(
        "/", new Asset(ContentTypes.TEXT_HTML_UTF8, resource("index.html")),
        "/index.html", new Asset(ContentTypes.TEXT_HTML_UTF8, resource("index.html")),
        "/assets/app.js", new Asset(ContentTypes.create(MediaTypes.APPLICATION_JAVASCRIPT,
            akka.http.javadsl.model.HttpCharsets.UTF_8), resource("app.js")),
        "/assets/markdown.js", new Asset(ContentTypes.create(MediaTypes.APPLICATION_JAVASCRIPT,
            akka.http.javadsl.model.HttpCharsets.UTF_8), resource("markdown.js")),
        "/assets/style.css", new Asset(ContentTypes.create(MediaTypes.TEXT_CSS,
            akka.http.javadsl.model.HttpCharsets.UTF_8), resource("style.css")));
  }

  OpenAiEndpoint openAi() {
    return openAi;
  }

  private static byte[] resource(String name) {
    try (InputStream in = WebApi.class.getResourceAsStream("/partyclaw/web/" + name)) {
      if (in == null) throw new IllegalStateException("the web client's " + name + " is missing from the jar");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  CompletionStage<HttpResponse> handle(HttpRequest request) {
    String path = request.getUri().path();
    HttpMethod method = request.method();
    try {
      if (path.equals("/ws")) return CompletableFuture.completedFuture(webSocket(request));
      Asset asset = assets.get(path);
      if (asset != null) {
        request.discardEntityBytes(mat);
        if (!method.equals(HttpMethods.GET) && !method.equals(HttpMethods.HEAD)) return done(notAllowed());
        HttpResponse r = HttpResponse.create().withEntity(HttpEntities.create(asset.type(), asset.bytes()))
            .addHeader(RawHeader.create("X-Content-Type-Options", "nosniff"))
            .addHeader(RawHeader.create("Cache-Control", "no-cache"));
        if (asset.type().equals(ContentTypes.TEXT_HTML_UTF8)) {
          r = r.addHeader(RawHeader.create("Content-Security-Policy", PAGE_CSP))
              .addHeader(RawHeader.create("Referrer-Policy", "no-referrer"));
        }
        return done(r);
      }
      if (path.equals("/api/health")) {
        request.discardEntityBytes(mat);
        return done(HttpReplies.text(200, "ok"));
      }
      if (path.startsWith("/v1/")) return openAiRoute(request, path, method);
      if (path.startsWith("/api/")) return apiRoute(request, path, method);
      request.discardEntityBytes(mat);
      return done(HttpReplies.error(404, "not found"));
    } catch (RuntimeException e) {
      LOG.error("web {}: {} {} failed: {}", channelId, method.value(), path, e.toString());
      request.discardEntityBytes(mat);
      return done(HttpReplies.error(500, "internal error"));
    }
  }

  private CompletionStage<HttpResponse> apiRoute(HttpRequest request, String path, HttpMethod method) {
    boolean attachment = path.equals("/api/attachment");
    if (!(attachment ? auth.headerOrQueryOk(request) : auth.headerOk(request))) {
      request.discardEntityBytes(mat);
      return done(HttpReplies.error(401, "unauthorized"));
    }
    Query q = request.getUri().query();
    switch (path) {
      case "/api/conversations":
        if (!method.equals(HttpMethods.GET)) return drainThen(request, notAllowed());
        request.discardEntityBytes(mat);
        return io(() -> {
          var list = Json.array();
          transcripts.summaries().forEach(list::add);
          return HttpReplies.json(200, list);
        });
      case "/api/conversation":
        if (method.equals(HttpMethods.POST)) return body(request, MAX_API_BODY).thenCompose(this::createConversation);
        if (method.equals(HttpMethods.DELETE)) return body(request, MAX_API_BODY).thenCompose(this::deleteConversation);
        return drainThen(request, notAllowed());
      case "/api/send":
        if (!method.equals(HttpMethods.POST)) return drainThen(request, notAllowed());
        return body(request, MAX_API_BODY).thenCompose(this::send);
      case "/api/transcript":
        if (!method.equals(HttpMethods.GET)) return drainThen(request, notAllowed());
        request.discardEntityBytes(mat);
        return transcriptPage(q);
      case "/api/transcript/detail":
        if (!method.equals(HttpMethods.GET)) return drainThen(request, notAllowed());
        request.discardEntityBytes(mat);
        return transcriptDetail(q);
      case "/api/attachment":
        if (!method.equals(HttpMethods.GET)) return drainThen(request, notAllowed());
        request.discardEntityBytes(mat);
        return attachment(q);
      default:
        request.discardEntityBytes(mat);
        return done(HttpReplies.error(404, "not found"));
    }
  }

  private CompletionStage<HttpResponse> openAiRoute(HttpRequest request, String path, HttpMethod method) {
    if (!auth.headerOk(request)) {
      request.discardEntityBytes(mat);
      return done(HttpReplies.openAiError(401, "invalid_request_error", "invalid_api_key",
          "Incorrect API key provided: use the web channel's token as the bearer token."));
    }
    if (path.equals("/v1/models")) {
      request.discardEntityBytes(mat);
      return done(method.equals(HttpMethods.GET) ? openAi.models()
          : HttpReplies.openAiError(405, "invalid_request_error", null, "use GET /v1/models"));
    }
    if (path.equals("/v1/chat/completions")) {
      if (!method.equals(HttpMethods.POST)) {
        request.discardEntityBytes(mat);
        return done(HttpReplies.openAiError(405, "invalid_request_error", null, "use POST /v1/chat/completions"));
      }
      return request.entity().toStrict(10_000, MAX_OPENAI_BODY, mat)
          .thenCompose(strict -> openAi.chatCompletions(strict.getData().decodeString(StandardCharsets.UTF_8)))
          .exceptionally(e -> Failures.unwrap(e) instanceof EntityStreamSizeException
              ? HttpReplies.openAiError(413, "invalid_request_error", null, "the request body is too large")
              : HttpReplies.openAiError(400, "invalid_request_error", null, "the request body could not be read"));
    }
    request.discardEntityBytes(mat);
    return done(HttpReplies.openAiError(404, "invalid_request_error", "unknown_url",
        "Unknown request URL: " + request.method().value() + " " + path + ". This endpoint serves /v1/chat/completions"
            + " and /v1/models."));
  }

  /** The JSON body as an object (an empty body is {}), or a 400/413 response. */
  private CompletionStage<Object> body(HttpRequest request, long max) {
    return request.entity().toStrict(10_000, max, mat).<Object>thenApply(strict -> {
      String text = strict.getData().decodeString(StandardCharsets.UTF_8);
      if (text.isBlank()) return Json.object();
      try {
        JsonNode n = Json.parse(text);
        return n != null && n.isObject() ? n : HttpReplies.error(400, "the body must be a JSON object");
      } catch (Exception e) {
        return HttpReplies.error(400, "the body is not valid JSON");
      }
    }).exceptionally(e -> Failures.unwrap(e) instanceof EntityStreamSizeException
        ? HttpReplies.error(413, "the body is larger than " + max + " bytes")
        : HttpReplies.error(400, "the body could not be read"));
  }

  private CompletionStage<HttpResponse> createConversation(Object parsed) {
    if (parsed instanceof HttpResponse r) return done(r);
    JsonNode body = (JsonNode) parsed;
    String key = body.hasNonNull("conversation_key") ? body.get("conversation_key").asText() : ConversationKeys.fresh();
    Optional<String> problem = ConversationKeys.problem(key);
    if (problem.isPresent()) return done(HttpReplies.error(400, problem.get()));
    return io(() -> HttpReplies.json(200, transcripts.ensure(key)));
  }

  private CompletionStage<HttpResponse> deleteConversation(Object parsed) {
    if (parsed instanceof HttpResponse r) return done(r);
    JsonNode body = (JsonNode) parsed;
    String key = body.path("conversation_key").asText(null);
    Optional<String> problem = ConversationKeys.problem(key);
    if (problem.isPresent()) return done(HttpReplies.error(400, problem.get()));
    // The conversation is closed first (while the key still names it), then its record goes and the key's next
    // use starts a new conversation.
    return CompletableFuture.supplyAsync(() -> transcripts.exists(key), blocking).thenCompose(exists -> {
      CompletionStage<Void> closed = exists ? conversations.close(key, "deleted in the web client")
          : CompletableFuture.completedFuture(null);
      return closed.handle((x, e) -> {
        if (e != null) {
          LOG.warn("web {}: conversation {} is removed from the list but could not be closed: {}", channelId, key,
              Failures.rootMessage(e));
        }
        return null;
      }).thenApplyAsync(x -> {
        boolean deleted = transcripts.delete(key);
        ObjectNode out = Json.object();
        out.put("conversation_key", key);
        out.put("deleted", deleted);
        events.publish(WebEvents.event("conversation_deleted", key));
        return HttpReplies.json(200, out);
      }, blocking);
    });
  }

  private CompletionStage<HttpResponse> send(Object parsed) {
    if (parsed instanceof HttpResponse r) return done(r);
    JsonNode body = (JsonNode) parsed;
    String text = body.path("text").isTextual() ? body.get("text").asText().strip() : "";
    if (text.isEmpty()) return done(HttpReplies.error(400, "text must not be empty"));
    String key = body.hasNonNull("conversation_key") ? body.get("conversation_key").asText() : ConversationKeys.DEFAULT;
    Optional<String> problem = ConversationKeys.problem(key);
    if (problem.isPresent()) return done(HttpReplies.error(400, problem.get()));
    return submitUser(key, text).handle((entry, e) -> {
      if (e != null) {
        return HttpReplies.error(503, "the message did not reach the agent: " + Failures.rootMessage(e));
      }
      ObjectNode out = Json.object();
      out.put("status", "sent");
      out.put("conversation_key", key);
      return HttpReplies.json(200, out);
    });
  }

  /**
   * Records the user's message, shows it to every client, and submits it; a message the conversation did not take
   * gets an error entry under it, so the user sees it never arrived.
   */
  CompletionStage<ObjectNode> submitUser(String key, String text) {
    String messageId = "web-" + UUID.randomUUID();
    return CompletableFuture.supplyAsync(() -> {
      transcripts.ensure(key);
      return transcripts.appendLocal(key, "user", text);
    }, blocking).thenCompose(entry -> {
      publishAppend(key, entry);
      return conversations.submit(key, messageId, text).thenApply(x -> entry);
    }).whenComplete((entry, e) -> {
      if (e == null) return;
      LOG.warn("web {}: message to conversation {} not accepted: {}", channelId, key, Failures.rootMessage(e));
      CompletableFuture.runAsync(() -> {
        publishAppend(key, transcripts.appendLocal(key, "error",
            "This message did not reach the agent: " + Failures.rootMessage(e)));
      }, blocking);
    });
  }

  void publishAppend(String key, ObjectNode entry) {
    ObjectNode ev = WebEvents.event("transcript_append", key);
    ev.set("entry", entry);
    events.publish(ev);
  }

  private CompletionStage<HttpResponse> transcriptPage(Query q) {
    String key = q.get("conversation_key").orElse(ConversationKeys.DEFAULT);
    Optional<String> problem = ConversationKeys.problem(key);
    if (problem.isPresent()) return done(HttpReplies.error(400, problem.get()));
    int offset;
    int limit;
    try {
      offset = Integer.parseInt(q.get("offset").orElse("0"));
      limit = Integer.parseInt(q.get("limit").orElse("50"));
    } catch (NumberFormatException e) {
      return done(HttpReplies.error(400, "offset and limit must be integers"));
    }
    if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
      return done(HttpReplies.error(400, "offset must be >= 0 and limit 1.." + MAX_PAGE));
    }
    return io(() -> HttpReplies.json(200, transcripts.page(key, offset, limit)));
  }

  private CompletionStage<HttpResponse> transcriptDetail(Query q) {
    String key = q.get("conversation_key").orElse(ConversationKeys.DEFAULT);
    ObjectNode req = Json.object();
    req.put("conversation_key", key);
    req.put("seq_start", q.get("seq_start").orElse(""));
    req.put("seq_end", q.get("seq_end").orElse(""));
    return detail(req).thenApply(ev -> {
      if (ev.path("type").asText().equals("transcript_detail")) {
        ObjectNode out = Json.object();
        out.put("conversation_key", key);
        out.set("entries", ev.get("entries"));
        return HttpReplies.json(200, out);
      }
      return HttpReplies.error(ev.path("status").asInt(400), ev.path("message").asText());
    });
  }

  /** A {@code transcript_detail} event, or a {@code transcript_error} one with an HTTP {@code status}. */
  CompletionStage<ObjectNode> detail(JsonNode req) {
    String key = req.hasNonNull("conversation_key") ? req.get("conversation_key").asText() : ConversationKeys.DEFAULT;
    String requestId = req.hasNonNull("request_id") ? req.get("request_id").asText() : null;
    long start;
    long end;
    try {
      start = Long.parseLong(req.path("seq_start").asText());
      end = Long.parseLong(req.path("seq_end").asText());
    } catch (NumberFormatException e) {
      return done(detailError(requestId, key, 400, "seq_start and seq_end must be integers"));
    }
    Optional<String> problem = ConversationKeys.problem(key);
    if (problem.isPresent()) return done(detailError(requestId, key, 400, problem.get()));
    if (end < start || end - start + 1 > MAX_DETAIL_SPAN) {
      return done(detailError(requestId, key, 400, "seq_end must be >= seq_start and the span at most "
          + MAX_DETAIL_SPAN));
    }
    return CompletableFuture.supplyAsync(() -> transcripts.detail(key, start, end), blocking).thenApply(found -> {
      if (found.isEmpty()) return detailError(requestId, key, 404, "no such conversation");
      ObjectNode ev = WebEvents.event("transcript_detail", key);
      if (requestId != null) ev.put("request_id", requestId);
      var arr = ev.putArray("entries");
      found.get().forEach(arr::add);
      return ev;
    });
  }

  private static ObjectNode detailError(String requestId, String key, int status, String message) {
    ObjectNode ev = WebEvents.event("transcript_error", key);
    if (requestId != null) ev.put("request_id", requestId);
    ev.put("message", message);
    ev.put("status", status);
    return ev;
  }

  private CompletionStage<HttpResponse> attachment(Query q) {
    String key = q.get("conversation_key").orElse(ConversationKeys.DEFAULT);
    String source = q.get("source").orElse("workspace");
    String rel = q.get("path").orElse("");
    if (ConversationKeys.problem(key).isPresent() || !"workspace".equals(source) || !Attachments.isSafeRelative(rel)) {
      // "session": partyclaw keeps no per-session directory; outgoing files stay in the workspace
      return done(HttpReplies.error(404, "not found"));
    }
    return CompletableFuture.supplyAsync(() -> transcripts.exists(key), blocking).thenCompose(exists -> {
      if (!exists) return done(HttpReplies.error(404, "not found"));
      return conversations.workspace(key).thenApplyAsync(root -> {
        Optional<Path> file = Attachments.resolve(root, rel);
        if (file.isEmpty()) return HttpReplies.error(404, "not found");
        try {
          long size = Files.size(file.get());
          ContentType type = Attachments.contentType(file.get().getFileName().toString());
          return HttpResponse.create()
              .withEntity(HttpEntities.create(type, size, FileIO.fromPath(file.get())))
              .addHeader(RawHeader.create("X-Content-Type-Options", "nosniff"))
              // a file the agent wrote (HTML, SVG) must never run script in the page's origin
              .addHeader(RawHeader.create("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self';"
                  + " media-src 'self'; style-src 'unsafe-inline'"))
              .addHeader(RawHeader.create("Cache-Control", "private, max-age=60"));
        } catch (IOException e) {
          return HttpReplies.error(404, "not found");
        }
      }, blocking);
    }).exceptionally(e -> HttpReplies.error(503, "the conversation did not answer: " + Failures.rootMessage(e)));
  }

  private HttpResponse webSocket(HttpRequest request) {
    Optional<String> queryToken = request.getUri().query().get("token");
    if (queryToken.isPresent() && !auth.matches(queryToken.get())) {
      request.discardEntityBytes(mat);
      return HttpReplies.error(401, "unauthorized");
    }
    boolean authenticated = queryToken.isPresent() || auth.headerOk(request);
    boolean upgrade = request.getHeader("Upgrade").map(h -> h.value().equalsIgnoreCase("websocket")).orElse(false);
    if ((WebAuth.bearer(request).isPresent() && !auth.headerOk(request)) || (!upgrade && !authenticated)) {
      request.discardEntityBytes(mat);
      return HttpReplies.error(401, "unauthorized");
    }
    return WebSocket.handleWebSocketRequestWith(request,
        WebSocketSession.flow(system, events, auth, authenticated, this::detail));
  }

  private CompletionStage<HttpResponse> io(java.util.function.Supplier<HttpResponse> work) {
    return CompletableFuture.supplyAsync(work, blocking).exceptionally(e -> {
      LOG.error("web {}: {}", channelId, Failures.rootMessage(e));
      return HttpReplies.error(500, "internal error: " + Failures.rootMessage(e));
    });
  }

  private CompletionStage<HttpResponse> drainThen(HttpRequest request, HttpResponse response) {
    request.discardEntityBytes(mat);
    return done(response);
  }

  private static HttpResponse notAllowed() {
    return HttpReplies.error(405, "method not allowed");
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
