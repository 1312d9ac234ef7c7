package partyclaw.tools.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.core.util.SecretRedaction;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/**
 * {@code web_search}: asks the configured search model (tools.md §3.4) — one Chat-Completions call with a system
 * message asking it to search the web and cite its sources.
 */
public final class WebSearchTool implements Tool {
  static final long DEFAULT_MAX_RESULTS = 8;
  static final int ERROR_BODY_CHARS = 2000;
  static final String SYSTEM_PROMPT = "You are a web search assistant. Search the web for the user's query and answer "
      + "with the relevant, up-to-date facts you find, concisely. Cite your sources with their URLs.";

  private final WebClient web;
  private final WebSearchBackends backends;

  public WebSearchTool(WebClient web, WebSearchBackends backends) {
    this.web = web;
    this.backends = backends;
  }

  @Override
  public String name() {
    return "web_search";
  }

  @Override
  public String description() {
    return "Search the web: the configured search model answers the query and cites its sources. Returns answer and "
        + "citations (at most max_results, default 8). timeout_seconds bounds the whole search. Use web_fetch to read "
        + "a page it cites.";
  }

  @Override
  public ObjectNode parameters() {
    return PARAMETERS;
  }

  /** With {@code images} only where the search model takes images (tools.md §3.4). */
  @Override
  public ObjectNode parametersFor(String modelAlias) {
    boolean images = modelAlias != null && backends.forModel(modelAlias).map(SearchBackend::acceptsImages).orElse(false);
    return images ? PARAMETERS_WITH_IMAGES : null;
  }

  private static final ObjectNode PARAMETERS = schema(false);
  private static final ObjectNode PARAMETERS_WITH_IMAGES = schema(true);

  private static ObjectNode schema(boolean images) {
    ObjectNode schema = Schema.object()
        .string("query", "What to search for.")
        .number("timeout_seconds", "Limit for the whole search, in seconds.")
        .integer("max_results", "Most citations to return (default 8).")
        .required("query", "timeout_seconds")
        .build();
    if (images) {
      ObjectNode prop = ((ObjectNode) schema.path("properties")).putObject("images");
      prop.put("type", "array").put("description",
          "Workspace paths of images to send with the query (the search model looks at them).");
      prop.putObject("items").put("type", "string");
    }
    return schema;
  }

  @Override
  public ToolMode mode() {
    return ToolMode.INTERRUPTIBLE;
  }

  /** A model whose config routes no search backend (or searches natively) is not offered web_search. */
  @Override
  public boolean offeredTo(String modelAlias) {
    return modelAlias == null || backends.forModel(modelAlias).isPresent();
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String query = Args.requireString(args, "query");
    if (query.isBlank()) throw new ToolException("query must not be empty");
    double timeout = Waiting.timeoutSeconds(Args.requireNumber(args, "timeout_seconds"));
    long maxResults = Args.optNonNegativeInt(args, "max_results", DEFAULT_MAX_RESULTS);
    SearchBackend backend = backends.forModel(ctx.currentModel()).orElseThrow(() -> new ToolException(
        "web search is not configured for " + (ctx.currentModel() == null ? "this conversation's model"
            : "model " + ctx.currentModel()) + ": set tooling.web_search to a model alias with the web_search "
            + "capability, or give the model a web_search entry"));
    String key = backends.apiKey(backend).orElseThrow(() -> new ToolException("web search backend '" + backend.name()
        + "' has no API key: set the environment variable " + backend.apiKeyEnv() + " or api_key in the config"));
    URI uri;
    try {
      uri = HttpUrls.check(URI.create(backend.url()));
    } catch (IllegalArgumentException e) {
      throw new ToolException("web search backend '" + backend.name() + "' has an invalid endpoint url");
    }
    List<ObjectNode> images = images(args, ctx, backend);
    if (ctx.signal().isInterrupted()) return stopped(query, "interrupted");

    HttpRequest.Builder req = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofMillis((long) Math.ceil(timeout * 1000)))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body(backend, query, maxResults, images))));
    for (Map.Entry<String, String> h : backend.headers().entrySet()) req.header(h.getKey(), h.getValue());
    long deadline = System.nanoTime() + (long) (timeout * 1e9);
    CompletableFuture<HttpResponse<String>> call = web.http().sendAsync(req.build(), HttpResponse.BodyHandlers.ofString());
    Waiting.Outcome outcome = Waiting.await(call, ctx.signal(), deadline);
    if (outcome != Waiting.Outcome.DONE) {
      call.cancel(true);
      return stopped(query, outcome == Waiting.Outcome.TIMED_OUT ? "timed_out" : "interrupted");
    }
    HttpResponse<String> response;
    try {
      response = call.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof HttpTimeoutException) return stopped(query, "timed_out");
      throw new ToolException("web search upstream failed: " + WebErrors.describe(e.getCause(), uri));
    }
    if (response.statusCode() / 100 != 2) {
      String text = SecretRedaction.redact(response.body() == null ? "" : response.body()).replace(key, "[REDACTED]");
      if (text.length() > ERROR_BODY_CHARS) text = text.substring(0, ERROR_BODY_CHARS) + "…";
      throw new ToolException("web search upstream failed with " + response.statusCode() + ": " + text);
    }
    return result(query, response.body(), maxResults);
  }

  /** The {@code images} argument as image parts (base64 data URLs), checked against the search model. */
  private static List<ObjectNode> images(JsonNode args, ToolContext ctx, SearchBackend backend) throws ToolException {
    JsonNode given = args.path("images");
    if (given.isMissingNode() || given.isNull() || (given.isArray() && given.isEmpty())) return List.of();
    if (!given.isArray()) throw new ToolException("images must be an array of workspace paths");
    if (!backend.acceptsImages()) {
      throw new ToolException("the search model of '" + backend.name() + "' does not take images; search without them");
    }
    List<ObjectNode> parts = new java.util.ArrayList<>();
    for (JsonNode p : given) {
      if (!p.isTextual() || p.asText().isBlank()) throw new ToolException("images must be an array of workspace paths");
      java.nio.file.Path file = partyclaw.tools.support.WorkspacePaths.resolve(ctx, p.asText());
      if (!java.nio.file.Files.isRegularFile(file)) throw new ToolException("image " + p.asText() + " does not exist");
      try {
        parts.add(partyclaw.core.llm.MediaParts.encodedPart(partyclaw.core.transcript.ContentPart.image(p.asText()),
            file, false));
      } catch (java.io.IOException e) {
        throw new ToolException("image " + p.asText() + " cannot be read: " + e.getMessage());
      }
    }
    return parts;
  }

  static ObjectNode body(SearchBackend backend, String query, long maxResults) {
    return body(backend, query, maxResults, List.of());
  }

  static ObjectNode body(SearchBackend backend, String query, long maxResults, List<ObjectNode> images) {
    ObjectNode body = Json.object();
    if (backend.payload() != null && backend.payload().isObject()) body.setAll((ObjectNode) backend.payload().deepCopy());
    body.put("model", backend.model());
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", SYSTEM_PROMPT + " Cite at most " + maxResults + " sources.");
    if (images.isEmpty()) {
      messages.addObject().put("role", "user").put("content", query);
    } else {
      ArrayNode content = messages.addObject().put("role", "user").putArray("content");
      content.addObject().put("type", "text").put("text", query);
      images.forEach(content::add);
    }
    body.put("stream", false);
    return body;
  }

  static ObjectNode result(String query, String raw, long maxResults) throws ToolException {
    JsonNode json;
    try {
      json = Json.parse(raw);
    } catch (JsonProcessingException e) {
      throw new ToolException("web search upstream returned a response that is not JSON");
    }
    JsonNode message = json.path("choices").path(0).path("message");
    ObjectNode out = Json.object();
    out.put("query", query);
    out.put("answer", text(message.path("content")));
    ArrayNode citations = out.putArray("citations");
    // Perplexity-style top-level citations (the reference's source); else OpenAI/OpenRouter url annotations.
    JsonNode top = json.path("citations");
    if (top.isArray()) {
      for (JsonNode c : top) {
        if (citations.size() >= maxResults) break;
        citations.add(c);
      }
    } else {
      for (JsonNode a : message.path("annotations")) {
        if (citations.size() >= maxResults) break;
        String url = a.path("url_citation").path("url").asText("");
        if (!url.isEmpty()) citations.add(url);
      }
    }
    return out;
  }

  /** Content as a string, or as a list of parts whose text is joined. */
  private static String text(JsonNode content) {
    if (content.isTextual()) return content.asText();
    StringBuilder sb = new StringBuilder();
    Iterator<JsonNode> parts = content.elements();
    while (parts.hasNext()) sb.append(parts.next().path("text").asText(""));
    return sb.toString();
  }

  private static ObjectNode stopped(String query, String flag) {
    ObjectNode out = Json.object();
    out.put("query", query);
    out.put(flag, true);
    out.put("cancelled", true);
    return out;
  }
}
