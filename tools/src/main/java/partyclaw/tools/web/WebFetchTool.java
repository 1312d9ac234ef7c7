package partyclaw.tools.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;
import partyclaw.tools.support.WorkspacePaths;

/** {@code web_fetch}: GET a URL and return readable text (tools.md §3.4). */
public final class WebFetchTool implements Tool {
  static final long DEFAULT_MAX_CHARS = 20_000;

  private final WebClient web;
  private final WebFetchLimits limits;

  public WebFetchTool(WebClient web) {
    this(web, WebFetchLimits.DEFAULT);
  }

  public WebFetchTool(WebClient web, WebFetchLimits limits) {
    this.web = web;
    this.limits = limits;
  }

  @Override
  public String name() {
    return "web_fetch";
  }

  @Override
  public String description() {
    return "Fetch a URL (http or https GET, up to " + WebClient.DEFAULT_MAX_REDIRECTS + " redirects) and return its "
        + "readable text: HTML becomes plain text with its paragraphs and list items on their own lines; other text "
        + "is returned as is. Non-text content (PDF, images, archives) up to " + (limits.maxBinaryBytes() >> 20)
        + " MiB is saved into the workspace under " + FetchedFiles.DIR + "/ and its path is returned. "
        + "timeout_seconds bounds the whole fetch; content is cut to max_chars (default 20000). A non-2xx status is "
        + "returned as status, not as an error. Use file_download_start for large files.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("url", "The http(s) URL to fetch.")
        .number("timeout_seconds", "Limit for the whole fetch, in seconds.")
        .integer("max_chars", "Most characters of content to return (default 20000).")
        .object("headers", "Extra request headers (string values).")
        .required("url", "timeout_seconds")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.INTERRUPTIBLE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String rawUrl = Args.requireString(args, "url");
    double timeout = Waiting.timeoutSeconds(Args.requireNumber(args, "timeout_seconds"));
    long maxChars = Args.optNonNegativeInt(args, "max_chars", DEFAULT_MAX_CHARS);
    Map<String, String> headers = RequestHeaders.parse(args);
    URI uri = HttpUrls.parse(rawUrl);
    Path root = WorkspacePaths.realRoot(ctx);
    if (ctx.signal().isInterrupted()) return stopped(rawUrl, "interrupted", null, maxChars);

    long deadline = System.nanoTime() + (long) (timeout * 1e9);
    FetchTransfer transfer = new FetchTransfer(web, uri, headers, limits,
        Duration.ofMillis((long) Math.ceil(timeout * 1000)));
    CompletableFuture<FetchTransfer.Body> result = transfer.start(web.workers());
    Waiting.Outcome outcome = Waiting.await(result, ctx.signal(), deadline);
    if (outcome != Waiting.Outcome.DONE) {
      transfer.cancel();
      ObjectNode out = stopped(rawUrl, outcome == Waiting.Outcome.TIMED_OUT ? "timed_out" : "interrupted", transfer,
          maxChars);
      if (outcome == Waiting.Outcome.TIMED_OUT) out.put("timeout_seconds", timeout);
      return out;
    }
    FetchTransfer.Body body;
    try {
      body = result.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ToolException te) throw te;
      if (cause instanceof HttpTimeoutException) {
        return stopped(rawUrl, "timed_out", transfer, maxChars).put("timeout_seconds", timeout);
      }
      throw new ToolException(WebErrors.describe(cause, uri));
    }
    return render(body, root, maxChars);
  }

  private static ObjectNode render(FetchTransfer.Body b, Path root, long maxChars) throws ToolException {
    ObjectNode out = Json.object();
    out.put("status", b.status());
    out.put("url", b.finalUri().toString());
    out.put("content_type", b.contentType());
    if (isText(b.contentType(), b.bytes())) {
      String text = text(b.contentType(), b.bytes(), b.finalUri().toString());
      boolean cut = text.length() > maxChars;
      out.put("content", cut ? text.substring(0, (int) maxChars) : text);
      out.put("truncated", cut || b.cut());
      return out;
    }
    Path saved;
    try {
      saved = FetchedFiles.save(root, b.finalUri(), b.contentType(), b.bytes());
    } catch (IOException e) {
      throw new ToolException("could not save the fetched content into the workspace under " + FetchedFiles.DIR + "/");
    }
    out.put("content", "[non-text content (" + (b.contentType() == null ? "no content type" : b.contentType()) + ", "
        + b.bytes().length + " bytes) saved to " + saved + "]");
    out.put("truncated", false);
    out.put("path", saved.toString());
    out.put("size_bytes", b.bytes().length);
    return out;
  }

  /**
   * The spec's {@code {url, interrupted|timed_out:true, cancelled:true}}, plus the status and the text that had
   * arrived by then, so a slow page still gives the model something to go on.
   */
  private static ObjectNode stopped(String url, String flag, FetchTransfer transfer, long maxChars) {
    ObjectNode out = Json.object();
    out.put("url", url);
    out.put(flag, true);
    out.put("cancelled", true);
    WebClient.Opened opened = transfer == null ? null : transfer.opened();
    if (opened == null) return out;
    String contentType = opened.header("Content-Type").orElse(null);
    out.put("status", opened.status());
    out.put("content_type", contentType);
    byte[] partial = transfer.partial();
    if (partial.length > 0 && isText(contentType, partial)) {
      String text = text(contentType, partial, opened.finalUri().toString());
      out.put("content", text.length() > maxChars ? text.substring(0, (int) maxChars) : text);
      out.put("truncated", true);
    } else {
      out.put("bytes_received", partial.length);
    }
    return out;
  }

  private static boolean isText(String contentType, byte[] body) {
    Boolean text = ContentTypes.isText(contentType);
    return text != null ? text : !ContentTypes.looksBinary(body);
  }

  private static String text(String contentType, byte[] body, String baseUri) {
    Charset charset = ContentTypes.charset(contentType).orElse(null);
    if (ContentTypes.isHtml(contentType)) return HtmlText.readable(body, charset, baseUri);
    return new String(body, charset == null ? StandardCharsets.UTF_8 : charset);
  }
}
