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
import java.util.function.Consumer;
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

  public OpenAiChatClient(ActorSystem<?> system) {
    this.system = system;
    this.http = Http.get(system.classicSystem());
  }

  @Override
  public LlmAttempt attempt(LlmEndpoint endpoint, ChatRequest request, Consumer<String> onTextDelta) {
    Duration timeout = timeoutOf(endpoint);
    HttpRequest httpRequest;
    try {
      httpRequest = httpRequest(endpoint, request);
    } catch (RuntimeException invalid) {
      return ChatCompletionAttempt.failed(AttemptFailure.fatal("the request cannot be built: "
          + Excerpts.redact(invalid.getMessage(), endpoint.apiKey()) + " — check the model's api_endpoint and headers"));
    }
    ChatCompletionAttempt attempt = new ChatCompletionAttempt(system, http, poolSettings(timeout), endpoint, timeout,
        httpRequest, request, onTextDelta);
    attempt.begin();
    return attempt;
  }

  static Duration timeoutOf(LlmEndpoint endpoint) {
    Duration timeout = endpoint.timeout();
    return timeout == null || timeout.isZero() || timeout.isNegative() ? DEFAULT_TIMEOUT : timeout;
  }

  private static HttpRequest httpRequest(LlmEndpoint endpoint, ChatRequest request) {
    String url = endpoint.url();
    String scheme = url == null ? null : URI.create(url).getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      throw new IllegalArgumentException("URL '" + url + "' must start with http:// or https://");
    }
    byte[] body = ChatCompletionsRequestEncoder.encode(endpoint, request);
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
