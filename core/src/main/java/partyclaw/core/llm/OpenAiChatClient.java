package partyclaw.core.llm;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.Authorization;
import akka.http.javadsl.settings.ClientConnectionSettings;
import akka.http.javadsl.settings.ConnectionPoolSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import akka.actor.typed.DispatcherSelector;
import partyclaw.core.json.Json;

/**
 * OpenAI-compatible Chat Completions over Akka HTTP: streams SSE (or accepts a plain JSON answer), assembles
 * text and tool calls. Each {@link #attempt} is one request, ended by its own timeouts or an abort; retrying
 * transient failures per the endpoint's {@link RetryPolicy} is up to the caller. One instance per actor system;
 * attempts are independent and may run concurrently.
 */
public final class OpenAiChatClient implements ChatClient {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

  /** Headers the HTTP layer derives itself; setting them by hand only produces warnings or broken requests. */
  private static final Set<String> MANAGED_HEADERS =
      Set.of("content-type", "content-length", "transfer-encoding", "host", "connection");

  private final ActorSystem<?> system;
  private final Http http;
  private final Map<Duration, ConnectionPoolSettings> poolSettings = new ConcurrentHashMap<>();
  private final Function<String, ModelTraits> traits;
  private final ResponsesContinuations continuations = new ResponsesContinuations();
  /** Reading and encoding media files blocks: it runs here, never on the caller's (actor) thread. */
  private final Executor blocking;

  public OpenAiChatClient(ActorSystem<?> system) {
    this(system, alias -> ModelTraits.TEXT_ONLY);
  }

  /** {@code traits}: by model alias, the API each model speaks and the media it takes (null: text-only chat). */
  public OpenAiChatClient(ActorSystem<?> system, Function<String, ModelTraits> traits) {
    this.system = system;
    this.http = Http.get(system.classicSystem());
    this.traits = traits;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  @Override
  public LlmAttempt attempt(LlmEndpoint endpoint, ChatRequest original, Consumer<String> onTextDelta) {
    ModelTraits model = traitsOf(endpoint);
    java.util.List<partyclaw.core.transcript.ChatMessage> expanded = SyntheticMedia.expand(original.messages());
    ChatRequest request = expanded == original.messages() ? original : original.withMessages(expanded);
    StagedAttempt staged = new StagedAttempt(blocking);
    if (ModelTraits.CODEX.equals(model.api())) {
      // reading (and maybe refreshing) the tokens and encoding media block: off the caller's thread
      CompletableFuture.runAsync(() -> staged.run(() -> codex(endpoint, request, model, onTextDelta, false),
          failure -> failure.reason().endsWith(CodexAttempt.TOKEN_REFUSED)
              ? () -> codex(endpoint, request, model, onTextDelta, true) : null), blocking)
          .exceptionally(error -> {
            staged.fail(error);
            return null;
          });
      return staged;
    }
    if (!MediaParts.anyParts(request)) {
      return staged.run(() -> send(endpoint, request, model, onTextDelta, true), refused(endpoint, request, model,
          onTextDelta));
    }
    CompletableFuture.runAsync(() -> staged.run(() -> send(endpoint, request, model, onTextDelta, true),
        refused(endpoint, request, model, onTextDelta)), blocking).exceptionally(error -> {
          staged.fail(error);
          return null;
        });
    return staged;
  }

  /** One codex-subscription call; {@code refresh} renews the token first (it was refused). Blocking. */
  private LlmAttempt codex(LlmEndpoint endpoint, ChatRequest request, ModelTraits model, Consumer<String> onTextDelta,
      boolean refresh) {
    CodexAuth.Tokens tokens = CodexAuth.tokens(endpoint.alias(), model.codexHome(), model.authStoreMode(), refresh);
    String frame = CodexAttempt.frame(endpoint, request, model);
    CodexAttempt attempt = new CodexAttempt();
    attempt.begin(system, endpoint, timeoutOf(endpoint), tokens, frame, request, onTextDelta);
    return attempt;
  }

  private ModelTraits traitsOf(LlmEndpoint endpoint) {
    ModelTraits t = traits.apply(endpoint.alias());
    return t == null ? ModelTraits.TEXT_ONLY : t;
  }

  /**
   * A Responses request that continued a previous response and was refused for it (runtime.md §3.5: errors that
   * mention previous / not found / invalid response) is sent again in full, once.
   */
  private Function<AttemptFailure, java.util.function.Supplier<LlmAttempt>> refused(LlmEndpoint endpoint,
      ChatRequest request, ModelTraits model, Consumer<String> onTextDelta) {
    if (!model.responses()) return null;
    return failure -> {
      String reason = failure.reason().toLowerCase(Locale.ROOT);
      boolean aboutPrevious = reason.contains("previous") || reason.contains("not found")
          || reason.contains("invalid response") || reason.contains("response not found");
      if (!aboutPrevious || failure.isRetryable()) return null;
      return () -> send(endpoint, request, model, onTextDelta, false);
    };
  }

  /** One HTTP attempt; with {@code mayContinue} a Responses request continues the longest remembered prefix. */
  private LlmAttempt send(LlmEndpoint endpoint, ChatRequest request, ModelTraits model, Consumer<String> onTextDelta,
      boolean mayContinue) {
    Duration timeout = timeoutOf(endpoint);
    HttpRequest httpRequest;
    java.util.List<partyclaw.core.transcript.ChatMessage> conversation = null;
    String endpointKey = null;
    try {
      akka.util.ByteString body;
      if (model.responses()) {
        conversation = ResponsesRequestEncoder.conversation(request);
        endpointKey = ResponsesContinuations.endpointKey(endpoint);
        ResponsesContinuations.Continuation c = mayContinue ? continuations.find(endpointKey, conversation) : null;
        body = akka.util.ByteString.fromArrayUnsafe(ResponsesRequestEncoder.encode(endpoint, request, model,
            c == null ? null : c.previousId(), c == null ? 0 : c.from()));
      } else {
        body = ChatCompletionsRequestEncoder.encode(endpoint, request, model);
      }
      httpRequest = httpRequest(endpoint, body);
    } catch (RuntimeException invalid) {
      return ChatCompletionAttempt.failed(AttemptFailure.fatal("the request cannot be built: "
          + Excerpts.redact(invalid.getMessage(), endpoint.apiKey()) + " — check the model's api_endpoint and headers"));
    }
    ChatCompletionAttempt attempt = model.responses()
        ? new ChatCompletionAttempt(system, http, poolSettings(timeout), endpoint, timeout, httpRequest, request,
            onTextDelta, ResponsesAssembler::new)
        : new ChatCompletionAttempt(system, http, poolSettings(timeout), endpoint, timeout, httpRequest, request,
            onTextDelta);
    attempt.begin();
    if (conversation == null) return attempt;
    java.util.List<partyclaw.core.transcript.ChatMessage> sent = conversation;
    String key = endpointKey;
    // remembered before anyone hears of the reply, so the next step can already continue it
    CompletionStage<ChatResponse> remembered = attempt.result().thenApplyAsync(response -> {
      ChatResponse kept = GeneratedImages.save(response, request.mediaRoot());
      continuations.remember(key, sent, kept);
      return kept;
    }, blocking);
    return new LlmAttempt() {
      @Override
      public CompletionStage<ChatResponse> result() {
        return remembered;
      }

      @Override
      public void abort() {
        attempt.abort();
      }
    };
  }

  static Duration timeoutOf(LlmEndpoint endpoint) {
    Duration timeout = endpoint.timeout();
    return timeout == null || timeout.isZero() || timeout.isNegative() ? DEFAULT_TIMEOUT : timeout;
  }

  private static HttpRequest httpRequest(LlmEndpoint endpoint, akka.util.ByteString body) {
    String url = endpoint.url();
    String scheme = url == null ? null : URI.create(url).getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      throw new IllegalArgumentException("URL '" + url + "' must start with http:// or https://");
    }
    List<HttpHeader> headers = new ArrayList<>();
    boolean configuredAuthorization = endpoint.headers().keySet().stream()
        .anyMatch(name -> name.equalsIgnoreCase("authorization"));
    // an explicitly configured Authorization header wins over the key (e.g. a proxy with its own scheme)
    if (endpoint.apiKey() != null && !endpoint.apiKey().isBlank() && !configuredAuthorization) {
      headers.add(Authorization.oauth2(endpoint.apiKey()));
    }
    endpoint.headers().forEach((name, value) -> {
      if (!MANAGED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) headers.add(HttpHeader.parse(name, value));
    });
    return HttpRequest.POST(url).withEntity(ContentTypes.APPLICATION_JSON, body).addHeaders(headers);
  }

  /**
   * Streaming replies hold a connection for minutes, so Akka's default of 4 connections per host would queue
   * concurrent conversations; the connection idle timeout sits above the call timeout, which each attempt enforces.
   */
  private ConnectionPoolSettings poolSettings(Duration timeout) {
    return poolSettings.computeIfAbsent(timeout, t -> {
      akka.actor.ActorSystem classic = system.classicSystem();
      ClientConnectionSettings connection = ClientConnectionSettings.create(classic)
          .withIdleTimeout(scala.concurrent.duration.Duration.create(t.toMillis() + 30_000, TimeUnit.MILLISECONDS));
      return ConnectionPoolSettings.create(classic)
          .withMaxConnections(64)
          .withMaxOpenRequests(256)
          .withMaxRetries(0)
          .withConnectionSettings(connection);
    });
  }
}
