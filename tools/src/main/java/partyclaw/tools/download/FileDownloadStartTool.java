package partyclaw.tools.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;
import partyclaw.tools.support.WaitArgs;
import partyclaw.tools.support.WorkspacePaths;
import partyclaw.tools.web.HttpUrls;
import partyclaw.tools.web.RequestHeaders;

/** {@code file_download_start}: stream an HTTP GET into a workspace file in the background (tools.md §3.4). */
public final class FileDownloadStartTool implements Tool {
  private final Downloads downloads;

  public FileDownloadStartTool(Downloads downloads) {
    this.downloads = downloads;
  }

  @Override
  public String name() {
    return "file_download_start";
  }

  @Override
  public String description() {
    return "Download a URL (http or https GET) into a file of the workspace, in the background, and wait for it up to "
        + "wait_timeout_seconds (default 270). The file appears at path only once complete (it is written to a hidden "
        + ".part file first). Returns a snapshot with download_id, bytes_downloaded, total_bytes and percent; after a "
        + "timeout (on_timeout \"continue\") the download goes on: use file_download_progress / file_download_wait / "
        + "file_download_cancel with its download_id. Downloads survive a daemon restart and resume where the server "
        + "allows it. At most " + (downloads.limits().maxBytes() >> 20) + " MiB per file.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("url", "The http(s) URL to download.")
        .string("path", "Destination file (relative to the workspace).")
        .object("headers", "Extra request headers (string values).")
        .bool("overwrite", "Replace an existing file at path (default false).")
        .bool("return_immediate", "Return right after starting instead of waiting.")
        .number("wait_timeout_seconds", "How long to wait for the download (default 270).")
        .stringEnum("on_timeout", "What to do when the wait times out (default continue).",
            "continue", "kill", "CONTINUE", "KILL")
        .required("url", "path")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.INTERRUPTIBLE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String url = Args.requireString(args, "url");
    String rawPath = Args.requireString(args, "path");
    Map<String, String> headers = RequestHeaders.parse(args);
    boolean overwrite = Args.optBoolean(args, "overwrite", false);
    boolean returnImmediate = Args.optBoolean(args, "return_immediate", false);
    // Validated before starting (the reference started the download first and then rejected a bad timeout).
    double timeout = WaitArgs.timeoutSeconds(args);
    WaitArgs.OnTimeout onTimeout = WaitArgs.OnTimeout.parse(args);
    URI uri = HttpUrls.parse(url);
    if (rawPath.isBlank()) throw new ToolException("path must not be empty");
    Path path = WorkspacePaths.resolve(ctx, rawPath);
    if (path.equals(WorkspacePaths.realRoot(ctx)) || Files.isDirectory(path)) {
      throw new ToolException(path + " is a directory; give the path of the file to create");
    }
    if (!overwrite && Files.exists(path)) {
      throw new ToolException("destination already exists and overwrite=false: " + path);
    }
    try {
      Files.createDirectories(path.getParent());
    } catch (IOException e) {
      throw new ToolException("failed to create " + path.getParent());
    }
    if (ctx.signal().isCancelled()) {
      throw new ToolException("the turn was cancelled before the download started; it was not started");
    }
    DownloadRegistry registry = downloads.registry(ctx);
    Download d = registry.start(url, uri, path, headers, overwrite);
    if (returnImmediate) return d.snapshot();
    return DownloadWait.await(registry, d, timeout, onTimeout, ctx.signal());
  }
}
