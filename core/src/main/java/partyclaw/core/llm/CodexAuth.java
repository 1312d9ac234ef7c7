package partyclaw.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import partyclaw.core.json.Json;
import partyclaw.core.util.AtomicFiles;

/**
 * The ChatGPT subscription tokens of a {@code codex-subscription} model (runtime.md §3.4): read from
 * {@code <codex_home>/auth.json} as the Codex CLI writes it, refreshed through the OpenAI OAuth endpoint with the
 * Codex client id when the access token is about to expire (or was refused), and written back. Blocking: call it
 * off the actor threads. Tokens never reach a log or an error.
 */
final class CodexAuth {
  static final String CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann";
  static final String DEFAULT_OAUTH_URL = "https://auth.openai.com/oauth/token";
  /** Tests point the refresh at a fake: a system property, else this environment variable. */
  static final String OAUTH_URL_PROPERTY = "partyclaw.codex.oauth-url";
  static final String OAUTH_URL_ENV = "PARTYCLAW_CODEX_OAUTH_URL";
  private static final Duration EARLY = Duration.ofMinutes(2);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build();

  record Tokens(String accessToken, String accountId) {
    @Override
    public String toString() {
      return "CodexAuth.Tokens[account " + accountId + "]";
    }
  }

  private CodexAuth() {}

  /** The tokens to use now; {@code force} refreshes even a token that has not expired (the server refused it). */
  static synchronized Tokens tokens(String alias, String codexHome, String storeMode, boolean force) {
    if ("keyring".equals(storeMode)) {
      throw AttemptFailure.fatal("model '" + alias + "': auth_credentials_store_mode 'keyring' is not supported;"
          + " use 'file' (tokens in codex_home/auth.json)");
    }
    if (codexHome == null || codexHome.isBlank()) {
      throw AttemptFailure.fatal("model '" + alias + "' uses codex-subscription and needs codex_home");
    }
    Path file = Path.of(codexHome).resolve("auth.json");
    ObjectNode auth;
    try {
      JsonNode read = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
      if (!read.isObject()) throw new IOException("not a JSON object");
      auth = (ObjectNode) read;
    } catch (IOException e) {
      throw AttemptFailure.fatal("model '" + alias + "': cannot read " + file + " (" + e.getClass().getSimpleName()
          + "); sign in with the Codex CLI (codex login) so it holds ChatGPT tokens");
    }
    JsonNode tokens = auth.path("tokens");
    String access = tokens.path("access_token").asText("");
    String refresh = tokens.path("refresh_token").asText("");
    if (access.isEmpty() && refresh.isEmpty()) {
      throw AttemptFailure.fatal("model '" + alias + "': " + file + " holds no ChatGPT tokens; sign in with the"
          + " Codex CLI (codex login)");
    }
    if (force || access.isEmpty() || expiresSoon(access)) {
      if (refresh.isEmpty()) {
        throw AttemptFailure.fatal("model '" + alias + "': the access token expired and " + file
            + " has no refresh_token; sign in again with the Codex CLI");
      }
      access = refresh(alias, file, auth, refresh);
    }
    String account = tokens.path("account_id").asText("");
    if (account.isEmpty()) account = claim(access, "https://api.openai.com/auth", "chatgpt_account_id");
    return new Tokens(access, account.isEmpty() ? null : account);
  }

  private static String refresh(String alias, Path file, ObjectNode auth, String refreshToken) {
    String url = System.getProperty(OAUTH_URL_PROPERTY, System.getenv().getOrDefault(OAUTH_URL_ENV, DEFAULT_OAUTH_URL));
    ObjectNode body = Json.object().put("client_id", CLIENT_ID).put("grant_type", "refresh_token")
        .put("refresh_token", refreshToken).put("scope", "openid profile email");
    HttpResponse<String> response;
    try {
      response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw AttemptFailure.retryable("model '" + alias + "': refreshing the ChatGPT token failed: "
          + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw AttemptFailure.fatal("model '" + alias + "': refreshing the ChatGPT token was interrupted");
    }
    if (response.statusCode() / 100 != 2) {
      boolean transientStatus = response.statusCode() == 429 || response.statusCode() >= 500;
      String reason = "model '" + alias + "': refreshing the ChatGPT token failed with HTTP " + response.statusCode()
          + (transientStatus ? "" : "; sign in again with the Codex CLI (codex login)");
      throw transientStatus ? AttemptFailure.retryable(reason) : AttemptFailure.fatal(reason);
    }
    JsonNode fresh;
    try {
      fresh = Json.parse(response.body());
    } catch (IOException e) {
      throw AttemptFailure.retryable("model '" + alias + "': the token refresh answered no JSON");
    }
    String access = fresh.path("access_token").asText("");
    if (access.isEmpty()) throw AttemptFailure.fatal("model '" + alias + "': the token refresh returned no access token");
    ObjectNode tokens = auth.with("tokens");
    tokens.put("access_token", access);
    if (fresh.path("refresh_token").isTextual()) tokens.put("refresh_token", fresh.path("refresh_token").asText());
    if (fresh.path("id_token").isTextual()) tokens.put("id_token", fresh.path("id_token").asText());
    auth.put("last_refresh", Instant.now().toString());
    try {
      AtomicFiles.write(file, Json.pretty(auth).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the fresh token still serves this call; the next start refreshes again
    }
    return access;
  }

  /** Whether a JWT access token expires within {@link #EARLY}; a token that is not a readable JWT is used as is. */
  static boolean expiresSoon(String jwt) {
    JsonNode payload = payload(jwt);
    if (payload == null || !payload.path("exp").canConvertToLong()) return false;
    return Instant.ofEpochSecond(payload.path("exp").asLong()).isBefore(Instant.now().plus(EARLY));
  }

  static String claim(String jwt, String object, String field) {
    JsonNode payload = payload(jwt);
    return payload == null ? "" : payload.path(object).path(field).asText("");
  }

  private static JsonNode payload(String jwt) {
    String[] pieces = jwt.split("\\.");
    if (pieces.length < 2) return null;
    try {
      return Json.parse(new String(Base64.getUrlDecoder().decode(pieces[1]), StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }
}
