package partyclaw.tools.dsl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import partyclaw.core.json.Json;
import partyclaw.core.util.SecretRedaction;

/** One non-streaming Chat-Completions call of a script's {@code LLM()} handle. */
final class DslLlmCall {
  /** Request keys a script's {@code .config()} may not set: the runtime owns them. */
  private static final Set<String> RESERVED = Set.of("model", "messages", "stream", "tools", "tool_choice", "n");
  private static final int ERROR_BODY_CHARS = 500;

  private DslLlmCall() {}

  /** The assistant's text; throws with a message safe to show the script (no key, body cut short). */
  static String complete(HttpClient http, DslModels.Endpoint e, JsonNode messages, JsonNode config)
      throws DslCallException, InterruptedException {
    ObjectNode body = Json.object();
    if (config != null && config.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = config.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> f = it.next();
        if (RESERVED.contains(f.getKey())) throw new DslCallException("LLM().config() may not set " + f.getKey());
        body.set(f.getKey(), f.getValue());
      }
    }
    body.put("model", e.model());
    body.set("messages", messages);
    body.put("stream", false);
    HttpRequest.Builder req;
    try {
      req = HttpRequest.newBuilder(URI.create(e.url()));
    } catch (IllegalArgumentException bad) {
      throw new DslCallException("model " + e.alias() + " has an invalid endpoint url");
    }
    req.timeout(Duration.ofMillis((long) (e.timeoutSeconds() * 1000)))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
    if (e.apiKey() != null && !e.apiKey().isBlank()) req.header("Authorization", "Bearer " + e.apiKey());
    e.headers().forEach(req::header);
    HttpResponse<String> response;
    try {
      response = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException io) {
      throw new DslCallException("LLM call to model " + e.alias() + " failed: " + io.getClass().getSimpleName()
          + (io.getMessage() == null ? "" : " " + SecretRedaction.redact(io.getMessage())));
    }
    String text = response.body() == null ? "" : response.body();
    if (response.statusCode() / 100 != 2) {
      String shown = SecretRedaction.redact(text);
      if (e.apiKey() != null && !e.apiKey().isBlank()) shown = shown.replace(e.apiKey(), "[REDACTED]");
      if (shown.length() > ERROR_BODY_CHARS) shown = shown.substring(0, ERROR_BODY_CHARS) + "…";
      throw new DslCallException("LLM call to model " + e.alias() + " failed with " + response.statusCode() + ": "
          + shown);
    }
    JsonNode json;
    try {
      json = Json.parse(text);
    } catch (JsonProcessingException bad) {
      throw new DslCallException("model " + e.alias() + " returned a response that is not JSON");
    }
    JsonNode content = json.path("choices").path(0).path("message").path("content");
    if (content.isTextual()) return content.asText();
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) sb.append(part.path("text").asText(""));
    return sb.toString();
  }

  /** A failed call the script sees as an exception (and the job as its error, unless the script goes on). */
  static final class DslCallException extends Exception {
    DslCallException(String message) {
      super(message);
    }
  }
}
