package partyclaw.channels.web;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.japi.Pair;
import akka.stream.BoundedSourceQueue;
import akka.stream.Materializer;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import partyclaw.actors.outbox.TextDelta;
import partyclaw.core.json.Json;
import partyclaw.core.util.Failures;

/**
 * The OpenAI-compatible endpoint on the web channel's listener and token: {@code POST /v1/chat/completions} sends
 * the request's last user message to the conversation named by {@code user} ({@code web-default} when absent) and
 * answers with that turn's final answer, as one {@code chat.completion} or, with {@code "stream": true}, as SSE
 * {@code chat.completion.chunk}s while the model writes, then {@code [DONE]}. The conversation keeps its own
 * history: only the last user message of the request is used (the client's copy of the history is not replayed).
 * Requests to one conversation are answered one after another, so each gets the answer to its own message.
 */
final class OpenAiEndpoint {
  /** Longest wait for a turn's answer; a longer turn still runs, and its answer shows in the browser. */
  static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(30);
  /** Events buffered for one SSE client; deltas are coalesced upstream, so this is far more than a turn needs. */
  static final int SSE_BUFFER = 4096;

  /** Sends a user message to a conversation: completes once it journaled it. */
  interface Submitter {
    CompletionStage<Void> submit(String conversationKey, String text);
  }

  /** One request waiting for its turn's answer; touched by the HTTP side and the channel actor, so synchronized. */
  static final class Pending {
    final String key;
    final String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    final long created = System.currentTimeMillis() / 1000;
    final String model;
    final BoundedSourceQueue<String> sse;
    final CompletableFuture<String> answer = new CompletableFuture<>();
    private final StringBuilder tells = new StringBuilder();
    private String streamKey;
    private boolean streamedAny;
    private boolean active;

    Pending(String key, String model, BoundedSourceQueue<String> sse) {
      this.key = key;
      this.model = model;
      this.sse = sse;
    }

    synchronized void activate() {
      active = true;
    }

    synchronized void delta(TextDelta d) {
      if (!active || sse == null || answer.isDone()) return;
      String k = d.turnId() + "#" + d.round();
      String text = d.text();
      if (streamKey != null && !streamKey.equals(k) && streamedAny) text = "\n\n" + text; // a new round's text
      streamKey = k;
      streamedAny = true;
      sse.offer(chunk(this, text, null));
    }

    /** A delivered outbox entry of the conversation: a tell is kept, anything else is the answer. */
    synchronized void delivered(String kind, String text) {
      if (!active || answer.isDone()) return;
      if ("tell".equals(kind)) {
        if (tells.length() > 0) tells.append("\n\n");
        tells.append(text);
        if (sse != null) {
          sse.offer(chunk(this, (streamedAny ? "\n\n" : "") + text, null));
          streamedAny = true;
          streamKey = null;
        }
        return;
      }
      String full = tells.length() == 0 ? text : tells + "\n\n" + text;
      if (sse != null) {
        // What streamed already stands; only an answer that did not stream (a command, an error) is sent whole.
        if (!streamedAny || "error".equals(kind) || "notice".equals(kind) || "command".equals(kind)) {
          sse.offer(chunk(this, (streamedAny ? "\n\n" : "") + text, null));
        }
        sse.offer(chunk(this, null, "stop"));
        sse.offer("[DONE]");
        sse.complete();
      }
      answer.complete(full);
    }

    synchronized void fail(String message) {
      if (answer.isDone()) return;
      if (sse != null) {
        ObjectNode err = Json.object();
        err.putObject("error").put("message", message).put("type", "server_error");
        sse.offer(Json.write(err));
        sse.offer("[DONE]");
        sse.complete();
      }
      answer.completeExceptionally(new IllegalStateException(message));
    }
  }

  private final ActorSystem<?> system;
  private final Materializer mat;
  private final List<String> models;
  private final Submitter submitter;
  /** The request of each conversation now being answered. */
  private final Map<String, Pending> active = new ConcurrentHashMap<>();
  /** Per conversation, the tail of its requests: each starts when the previous one was answered. */
  private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

  OpenAiEndpoint(ActorSystem<?> system, List<String> models, Submitter submitter) {
    this.system = system;
    this.mat = Materializer.matFromSystem(system);
    this.models = List.copyOf(models);
    this.submitter = submitter;
  }

  HttpResponse models() {
    ObjectNode body = Json.object();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    for (String m : models) {
      data.addObject().put("id", m).put("object", "model").put("created", 0).put("owned_by", "partyclaw");
    }
    return HttpReplies.json(200, body);
  }

  /** Called by the channel actor for each streamed delta of a conversation. */
  void onDelta(String key, TextDelta d) {
    Pending p = active.get(key);
    if (p != null) p.delta(d);
  }

  /** Called by the channel actor for each newly delivered outbox entry of a conversation. */
  void onDelivered(String key, String kind, String text) {
    Pending p = active.get(key);
    if (p != null) p.delivered(kind, text);
  }

  CompletionStage<HttpResponse> chatCompletions(String body) {
    JsonNode req;
    try {
      req = Json.parse(body);
    } catch (Exception e) {
      return done(HttpReplies.openAiError(400, "invalid_request_error", null, "the body is not valid JSON"));
    }
    if (req == null || !req.isObject()) {
      return done(HttpReplies.openAiError(400, "invalid_request_error", null, "the body must be a JSON object"));
    }
    JsonNode messages = req.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      return done(HttpReplies.openAiError(400, "invalid_request_error", null, "'messages' must be a non-empty array"));
    }
    String text = null;
    for (int i = messages.size() - 1; i >= 0 && text == null; i--) {
      JsonNode m = messages.get(i);
      if ("user".equals(m.path("role").asText())) text = contentText(m.path("content"));
    }
    if (text == null || text.isBlank()) {
      return done(HttpReplies.openAiError(400, "invalid_request_error", null,
          "'messages' has no user message with text content"));
    }
    String key = req.hasNonNull("user") ? req.get("user").asText() : ConversationKeys.DEFAULT;
    var problem = ConversationKeys.problem(key);
    if (problem.isPresent()) {
      return done(HttpReplies.openAiError(400, "invalid_request_error", null, "'user': " + problem.get()));
    }
    String model = req.hasNonNull("model") ? req.get("model").asText() : (models.isEmpty() ? "partyclaw" : models.get(0));
    boolean stream = req.path("stream").asBoolean(false);
    String message = text.strip();
    if (!stream) {
      Pending p = new Pending(key, model, null);
      return run(p, message).handle((answer, error) -> error == null ? completion(p, answer) : failure(error));
    }
    Pair<BoundedSourceQueue<String>, Source<String, NotUsed>> q = Source.<String>queue(SSE_BUFFER).preMaterialize(mat);
    Pending p = new Pending(key, model, q.first());
    p.sse.offer(chunkRole(p));
    run(p, message).whenComplete((a, e) -> {
      if (e != null) p.fail(describe(e));
    });
    Source<ByteString, NotUsed> events = q.second().map(data -> ByteString.fromString("data: " + data + "\n\n"))
        .keepAlive(Duration.ofSeconds(15), () -> ByteString.fromString(": keep-alive\n\n"));
    return done(HttpResponse.create().withStatus(200)
        .withEntity(HttpEntities.createChunked(MediaTypes.TEXT_EVENT_STREAM.toContentType(), events))
        .addHeader(akka.http.javadsl.model.headers.RawHeader.create("Cache-Control", "no-store")));
  }

  /** Waits for the conversation's previous request, then submits and waits for this one's answer. */
  private CompletionStage<String> run(Pending p, String message) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> previous = tails.put(p.key, mine);
    CompletableFuture<Void> start = previous == null ? CompletableFuture.completedFuture(null)
        : previous.handle((x, e) -> null);
    CompletionStage<String> answered = start.thenCompose(x -> {
      active.put(p.key, p);
      p.activate();
      return submitter.submit(p.key, message);
    }).thenCompose(x -> p.answer.orTimeout(ANSWER_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
    return answered.whenComplete((a, e) -> {
      if (e != null) p.fail(describe(e));
      active.remove(p.key, p);
      tails.remove(p.key, mine);
      mine.complete(null);
    });
  }

  private static String describe(Throwable e) {
    Throwable t = Failures.unwrap(e);
    if (t instanceof TimeoutException) return "no answer within " + ANSWER_TIMEOUT.toMinutes() + " minutes";
    return String.valueOf(t.getMessage());
  }

  private static HttpResponse failure(Throwable e) {
    Throwable t = Failures.unwrap(e);
    if (t instanceof TimeoutException) {
      return HttpReplies.openAiError(504, "server_error", "timeout", describe(t));
    }
    return HttpReplies.openAiError(503, "server_error", null, "the agent could not answer: " + describe(t));
  }

  private static HttpResponse completion(Pending p, String answer) {
    ObjectNode body = Json.object();
    body.put("id", p.id);
    body.put("object", "chat.completion");
    body.put("created", p.created);
    body.put("model", p.model);
    ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", answer);
    choice.put("finish_reason", "stop");
    // Token counts of a whole agent turn (several model calls, tools) do not map onto one completion.
    body.putObject("usage").put("prompt_tokens", 0).put("completion_tokens", 0).put("total_tokens", 0);
    return HttpReplies.json(200, body);
  }

  private static String chunkRole(Pending p) {
    ObjectNode c = chunkBase(p);
    ObjectNode choice = c.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("delta").put("role", "assistant").put("content", "");
    choice.putNull("finish_reason");
    return Json.write(c);
  }

  static String chunk(Pending p, String content, String finishReason) {
    ObjectNode c = chunkBase(p);
    ObjectNode choice = c.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode delta = choice.putObject("delta");
    if (content != null) delta.put("content", content);
    if (finishReason == null) choice.putNull("finish_reason");
    else choice.put("finish_reason", finishReason);
    return Json.write(c);
  }

  private static ObjectNode chunkBase(Pending p) {
    ObjectNode c = Json.object();
    c.put("id", p.id);
    c.put("object", "chat.completion.chunk");
    c.put("created", p.created);
    c.put("model", p.model);
    return c;
  }

  /** A message's text: a string, or the text parts of a content array joined by newlines. */
  static String contentText(JsonNode content) {
    if (content.isTextual()) return content.asText();
    if (!content.isArray()) return null;
    StringBuilder b = new StringBuilder();
    for (JsonNode part : content) {
      if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
        if (b.length() > 0) b.append('\n');
        b.append(part.get("text").asText());
      }
    }
    return b.length() == 0 ? null : b.toString();
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
