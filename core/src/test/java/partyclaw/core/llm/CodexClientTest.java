package partyclaw.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.RecordedRequest;
import partyclaw.testkit.Step;

/** codex-subscription over the fake's WebSocket, with auth.json tokens and their refresh (runtime.md §3.4). */
class CodexClientTest {
  private static ActorSystem<Void> system;
  private static FakeLlmServer server;

  @TempDir Path home;
  private OpenAiChatClient client;

  @BeforeAll
  static void startAll() {
    system = ActorSystem.create(Behaviors.empty(), "codex-client-test",
        ConfigFactory.parseString("akka.loglevel = WARNING\nakka.log-dead-letters = off")
            .withFallback(ConfigFactory.load()));
    server = FakeLlmServer.start();
    System.setProperty(CodexAuth.OAUTH_URL_PROPERTY, server.oauthUrl());
  }

  @AfterAll
  static void stopAll() {
    System.clearProperty(CodexAuth.OAUTH_URL_PROPERTY);
    server.close();
    system.terminate();
  }

  @BeforeEach
  void setUp() {
    server.reset();
    client = new OpenAiChatClient(system, alias -> new ModelTraits(ModelTraits.CODEX, Set.of("chat"), Map.of(), null,
        null, null, home.toString(), alias.equals("keyring") ? "keyring" : "auto"));
  }

  private static String jwt(Instant exp) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String payload = "{\"exp\":" + exp.getEpochSecond()
        + ",\"https://api.openai.com/auth\":{\"chatgpt_account_id\":\"acct-from-jwt\"}}";
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".sig";
  }

  private void auth(String access) throws Exception {
    Files.writeString(home.resolve("auth.json"), "{\"OPENAI_API_KEY\":null,\"tokens\":{\"access_token\":\"" + access
        + "\",\"refresh_token\":\"r0\",\"id_token\":\"i0\"},\"last_refresh\":\"2026-01-01T00:00:00Z\"}");
  }

  private ChatResponse call(String alias) throws Exception {
    LlmEndpoint endpoint = new LlmEndpoint(alias, server.baseUrl() + "/responses", "gpt-5-codex", null,
        Map.of("X-Extra", "yes"), Duration.ofSeconds(5), RetryPolicy.NONE, Json.object().put("effort", "high")
            .put("summary", "auto"));
    ChatRequest request = new ChatRequest(List.of(ChatMessage.system("be brief"), ChatMessage.user("hi")), List.of(),
        null, 500);
    return client.attempt(endpoint, request, d -> {}).result().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  @Test
  void aCallIsOneResponseCreateFrameOverTheWebSocket() throws Exception {
    String token = jwt(Instant.now().plus(Duration.ofHours(1)));
    auth(token);
    server.enqueue(Step.text("hello from codex"));

    assertEquals("hello from codex", call("codex").message().content());

    RecordedRequest r = server.requests().get(0);
    assertTrue(r.socket());
    assertEquals("Bearer " + token, r.header("authorization"));
    assertEquals("acct-from-jwt", r.header("chatgpt-account-id"));
    assertEquals("responses_websockets=2026-02-06", r.header("openai-beta"));
    assertEquals("codex-cli", r.header("user-agent"));
    assertEquals("yes", r.header("x-extra"));
    assertTrue(r.header("session_id") != null && r.header("x-client-request-id") != null);
    JsonNode frame = r.body();
    assertEquals("response.create", frame.path("type").asText());
    assertEquals("be brief", frame.path("instructions").asText());
    assertEquals(true, frame.path("stream").asBoolean());
    assertEquals("auto", frame.path("tool_choice").asText());
    assertEquals("{\"effort\":\"high\"}", frame.path("reasoning").toString());
    assertFalse(frame.has("max_output_tokens"));
    assertEquals(0, server.oauthRefreshes());
  }

  @Test
  void anExpiredTokenIsRefreshedAndWrittenBack() throws Exception {
    auth(jwt(Instant.now().minus(Duration.ofMinutes(5))));
    server.enqueue(Step.text("ok"));
    int n = server.oauthRefreshes() + 1;

    assertEquals("ok", call("codex").message().content());

    assertEquals(n, server.oauthRefreshes());
    assertEquals("Bearer fresh-access-" + n, server.requests().get(0).header("authorization"));
    JsonNode saved = Json.parse(Files.readString(home.resolve("auth.json")));
    assertEquals("fresh-access-" + n, saved.path("tokens").path("access_token").asText());
    assertEquals("fresh-refresh-" + n, saved.path("tokens").path("refresh_token").asText());
  }

  @Test
  void aRefusedHandshakeRefreshesTheTokenAndTriesOnceMore() throws Exception {
    auth(jwt(Instant.now().plus(Duration.ofHours(1))));
    server.refuseHandshakes(1, 401);
    server.enqueue(Step.text("after refresh"));
    int before = server.oauthRefreshes();

    assertEquals("after refresh", call("codex").message().content());
    assertEquals(before + 1, server.oauthRefreshes());
    assertEquals(1, server.requests().size());
  }

  @Test
  void theKeyringStoreIsRefusedWithAClearError() throws Exception {
    auth(jwt(Instant.now().plus(Duration.ofHours(1))));
    try {
      call("keyring");
      fail("expected a failure");
    } catch (ExecutionException e) {
      AttemptFailure f = assertInstanceOf(AttemptFailure.class, e.getCause());
      assertEquals("model 'keyring': auth_credentials_store_mode 'keyring' is not supported; use 'file' (tokens in"
          + " codex_home/auth.json)", f.reason());
    }
  }
}
