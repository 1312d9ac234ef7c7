package partyclaw.tools.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import partyclaw.core.json.Json;
import partyclaw.core.llm.MediaParts;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.TurnSignal;
import partyclaw.core.transcript.ContentPart;

/**
 * One-shot, non-streamed calls to helper models (Chat Completions or Responses), waited for on the tool's thread
 * with the turn's signal watched: an interrupt abandons the call ({@code null} reply), the helper's own timeout
 * ends it with an error. The key never appears in an error.
 */
final class HelperClient {
  private static final Set<String> MANAGED = Set.of("content-type", "content-length", "host", "connection",
      "transfer-encoding", "authorization");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
      .followRedirects(HttpClient.Redirect.NEVER).build();

  /** A question with media: the helper's answer text, or null when the turn was interrupted first. */
  String ask(HelperModel helper, String system, String question, List<ContentPart> media, int maxTokens,
      TurnSignal signal, String tool) throws ToolException, InterruptedException {
    ArrayNode content = Json.array();
    content.addObject().put("type", helper.responses() ? "input_text" : "text").put("text", question);
    for (ContentPart part : media) {
      try {
        content.add(MediaParts.encodedPart(part, Path.of(part.path()), helper.responses()));
      } catch (IOException e) {
        throw new ToolException("cannot read " + part.path() + ": " + e.getMessage());
      }
    }
    ObjectNode body = Json.object();
    body.put("model", helper.model());
    if (helper.responses()) {
      body.put("instructions", system);
      ObjectNode user = body.putArray("input").addObject();
      user.put("type", "message").put("role", "user").set("content", content);
      body.put("max_output_tokens", maxTokens).put("store", false);
    } else {
      ArrayNode messages = body.putArray("messages");
      messages.addObject().put("role", "system").put("content", system);
      messages.addObject().put("role", "user").set("content", content);
      body.put("max_completion_tokens", maxTokens);
    }
    JsonNode reply = post(helper, body, signal, tool);
    if (reply == null) return null;
    return helper.responses() ? responsesText(reply) : chatText(reply, tool);
  }

  /** POSTs {@code body} to the helper; the parsed JSON reply, or null when the turn was interrupted first. */
  JsonNode post(HelperModel helper, ObjectNode body, TurnSignal signal, String tool)
      throws ToolException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(helper.url()))
        .timeout(helper.timeout())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
    if (helper.apiKey() != null && !helper.apiKey().isBlank()) {
      request.header("Authorization", "Bearer " + helper.apiKey());
    }
    helper.headers().forEach((k, v) -> {
      if (!MANAGED.contains(k.toLowerCase(Locale.ROOT))) request.header(k, v);
    });
    // a question cancelled while it was being prepared (files read, images encoded) is never sent: it may be paid
    if (signal.isInterrupted()) return null;
    CompletableFuture<HttpResponse<String>> pending =
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    try {
      while (!pending.isDone()) {
        if (signal.isInterrupted()) {
          pending.cancel(true);
          return null;
        }
        signal.await(Duration.ofMillis(100));
      }
      HttpResponse<String> response = pending.get();
      String text = redact(response.body(), helper.apiKey());
      if (response.statusCode() / 100 != 2) {
        throw new ToolException(tool + " upstream failed with " + response.statusCode() + ": " + excerpt(text));
      }
      JsonNode root = Json.parse(text);
      JsonNode error = root.path("error");
      if (error.isObject() || error.isTextual()) {
        throw new ToolException(tool + " upstream error: " + excerpt(error.isTextual() ? error.asText()
            : error.path("message").asText(error.toString())));
      }
      return root;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof java.net.http.HttpTimeoutException) {
        throw new ToolException(tool + " timed out after " + helper.timeout().toSeconds() + " s waiting for model '"
            + helper.alias() + "'");
      }
      throw new ToolException(tool + " could not reach model '" + helper.alias() + "': "
          + redact(String.valueOf(cause.getMessage()), helper.apiKey()));
    } catch (IOException e) {
      throw new ToolException(tool + " got a reply that is not JSON from model '" + helper.alias() + "'");
    }
  }

  private static String chatText(JsonNode reply, String tool) throws ToolException {
    JsonNode content = reply.path("choices").path(0).path("message").path("content");
    if (content.isTextual()) return content.asText();
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) if (part.path("text").isTextual()) sb.append(part.path("text").asText());
      return sb.toString();
    }
    throw new ToolException(tool + ": the helper model's reply had no text");
  }

  static String responsesText(JsonNode reply) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode item : reply.path("output")) {
      if (!"message".equals(item.path("type").asText())) continue;
      for (JsonNode part : item.path("content")) {
        if ("output_text".equals(part.path("type").asText())) sb.append(part.path("text").asText(""));
      }
    }
    return sb.toString();
  }

  private static String redact(String text, String secret) {
    if (text == null) return "";
    return secret == null || secret.isBlank() ? text : text.replace(secret, "[REDACTED]");
  }

  private static String excerpt(String text) {
    String t = text.strip();
    return t.length() <= 500 ? t : t.substring(0, 500) + "…";
  }
}
