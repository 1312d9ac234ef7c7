package partyclaw.core.llm;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.headers.Authorization;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.model.headers.UserAgent;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.http.javadsl.model.ws.WebSocketRequest;
import akka.http.javadsl.model.ws.WebSocketUpgradeResponse;
import akka.japi.Pair;
import akka.stream.Materializer;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.json.Json;
import partyclaw.core.util.Failures;

/**
 * One {@code codex-subscription} call (runtime.md §3.4): a WebSocket to the {@code wss} form of the model's URL, one
 * {@code response.create} frame (the Responses body, streamed, {@code tool_choice:auto}, no token cap, reasoning
 * reduced to its effort), then the events until {@code response.completed} or a failure. A socket per call: the
 * reference keeps one per persistent child, which only saves the handshake. Protocol pings are answered by Akka.
 */
final class CodexAttempt implements LlmAttempt {
  private static final Logger log = LoggerFactory.getLogger(OpenAiChatClient.class);
  private static final Set<String> MANAGED = Set.of("content-type", "content-length", "transfer-encoding", "host",
      "connection", "authorization", "user-agent", "upgrade", "sec-websocket-key", "sec-websocket-version");

  /** Ends the reason of a refused handshake: the caller refreshes the token and tries once more. */
  static final String TOKEN_REFUSED = " — the ChatGPT token was refused; sign in again with the Codex CLI if this"
      + " persists";

  private final CompletableFuture<ChatResponse> result = new CompletableFuture<>();
  private volatile CompletableFuture<Optional<Message>> closer;

  @Override
  public CompletionStage<ChatResponse> result() {
    return result;
  }

  @Override
  public void abort() {
    result.completeExceptionally(AttemptFailure.fatal("the attempt was aborted"));
  }

  /** The {@code response.create} frame for a request. */
  static String frame(LlmEndpoint endpoint, ChatRequest request, ModelTraits traits) {
    ObjectNode body;
    try {
      body = (ObjectNode) Json.parse(new String(ResponsesRequestEncoder.encode(endpoint, request, traits, null, 0),
          StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    ObjectNode frame = Json.object().put("type", "response.create");
    frame.setAll(body);
    frame.remove("max_output_tokens");
    frame.remove("max_completion_tokens");
    JsonNode effort = body.path("reasoning").path("effort");
    frame.remove("reasoning");
    if (effort.isTextual()) frame.putObject("reasoning").put("effort", effort.asText());
    frame.put("stream", true).put("tool_choice", "auto");
    if (!frame.has("instructions")) frame.put("instructions", "");
    return Json.write(frame);
  }

  static String webSocketUrl(String url) {
    if (url.startsWith("https://")) return "wss://" + url.substring("https://".length());
    if (url.startsWith("http://")) return "ws://" + url.substring("http://".length());
    return url;
  }

  void begin(ActorSystem<?> system, LlmEndpoint endpoint, Duration timeout, CodexAuth.Tokens tokens, String frame,
      ChatRequest request, Consumer<String> onTextDelta) {
    Materializer mat = Materializer.matFromSystem(system);
    List<HttpHeader> headers = new ArrayList<>();
    headers.add(Authorization.oauth2(tokens.accessToken()));
    if (tokens.accountId() != null) headers.add(RawHeader.create("chatgpt-account-id", tokens.accountId()));
    headers.add(RawHeader.create("openai-beta", "responses_websockets=2026-02-06"));
    headers.add(UserAgent.create("codex-cli"));
    headers.add(RawHeader.create("x-client-request-id", UUID.randomUUID().toString()));
    headers.add(RawHeader.create("session_id", UUID.randomUUID().toString()));
    endpoint.headers().forEach((k, v) -> {
      if (!MANAGED.contains(k.toLowerCase(Locale.ROOT))) headers.add(RawHeader.create(k, v));
    });
    ResponsesAssembler assembler = new ResponsesAssembler(onTextDelta);
    Sink<Message, CompletionStage<Done>> in = Flow.<Message>create()
        .idleTimeout(timeout)
        .mapAsync(1, m -> m.isText() ? m.asTextMessage().toStrict(timeout.toMillis(), mat)
            .thenApply(TextMessage::getStrictText)
            : m.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), mat).thenApply(d -> ""))
        .toMat(Sink.foreach(text -> onEvent(assembler, text)), Keep.right());
    Source<Message, CompletableFuture<Optional<Message>>> out =
        Source.<Message>single(TextMessage.create(frame)).concatMat(Source.maybe(), Keep.right());
    Flow<Message, Message, Pair<CompletionStage<Done>, CompletableFuture<Optional<Message>>>> flow =
        Flow.fromSinkAndSourceMat(in, out, Keep.both());
    Pair<CompletionStage<WebSocketUpgradeResponse>, Pair<CompletionStage<Done>, CompletableFuture<Optional<Message>>>>
        started;
    try {
      Http http = Http.get(system.classicSystem());
      WebSocketRequest wsRequest = WebSocketRequest.create(webSocketUrl(endpoint.url()));
      for (HttpHeader header : headers) wsRequest = wsRequest.addHeader(header);
      started = http.singleWebSocketRequest(wsRequest, flow, mat);
    } catch (RuntimeException e) {
      result.completeExceptionally(AttemptFailure.fatal("cannot open the WebSocket to " + endpoint.url() + ": "
          + e.getMessage()));
      return;
    }
    closer = started.second().second();
    result.whenComplete((r, e) -> closer.complete(Optional.empty()));
    started.first().whenComplete((upgrade, error) -> {
      if (error != null) {
        result.completeExceptionally(AttemptFailure.retryable("cannot connect to " + endpoint.url() + ": "
            + Failures.unwrap(error).getMessage()));
      } else if (!upgrade.isValid()) {
        int status = upgrade.response().status().intValue();
        upgrade.response().discardEntityBytes(mat);
        String reason = "WebSocket handshake refused: HTTP " + status;
        result.completeExceptionally(status == 401 || status == 403
            ? AttemptFailure.fatal(reason + TOKEN_REFUSED)
            : status == 429 || status >= 500 ? AttemptFailure.retryable(reason) : AttemptFailure.fatal(reason));
      }
    });
    CompletionStage<WebSocketUpgradeResponse> upgraded = started.first();
    // the stream may end before the handshake's answer is looked at: a refused handshake speaks for itself
    started.second().first().whenComplete((done, error) -> upgraded.whenComplete((upgrade, upgradeError) -> {
      if (result.isDone() || upgradeError != null || !upgrade.isValid()) return;
      Throwable cause = error == null ? null : Failures.unwrap(error);
      if (cause instanceof AttemptFailure f) {
        result.completeExceptionally(f);
      } else if (cause instanceof TimeoutException) {
        result.completeExceptionally(AttemptFailure.timeout("the stream stalled: no event for " + timeout.toSeconds()
            + " s"));
      } else {
        result.completeExceptionally(AttemptFailure.retryable("the WebSocket closed before response.completed"
            + (cause == null ? "" : ": " + cause.getMessage())));
      }
    }));
    log.debug("llm request start alias={} model={} messages={} tools={} transport=websocket", endpoint.alias(),
        endpoint.model(), request.messages().size(), request.tools().size());
  }

  private void onEvent(ResponsesAssembler assembler, String text) {
    if (result.isDone() || text.isBlank()) return;
    try {
      assembler.acceptData(text);
    } catch (AttemptFailure f) {
      result.completeExceptionally(f);
      return;
    }
    if (assembler.complete()) result.complete(assembler.response());
  }

}
