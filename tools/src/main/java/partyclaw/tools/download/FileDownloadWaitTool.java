package partyclaw.tools.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;
import partyclaw.tools.support.WaitArgs;

/** {@code file_download_wait}: wait for a download to finish (tools.md §3.4). */
public final class FileDownloadWaitTool implements Tool {
  private final Downloads downloads;

  public FileDownloadWaitTool(Downloads downloads) {
    this.downloads = downloads;
  }

  @Override
  public String name() {
    return "file_download_wait";
  }

  @Override
  public String description() {
    return "Wait for a download started with file_download_start, up to wait_timeout_seconds (default 270; 0 = look "
        + "now). Returns the same snapshot shapes as file_download_start.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("download_id", "Id returned by file_download_start.")
        .number("wait_timeout_seconds", "How long to wait (default 270).")
        .stringEnum("on_timeout", "What to do when the wait times out (default continue).",
            "continue", "kill", "CONTINUE", "KILL")
        .required("download_id")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.INTERRUPTIBLE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String id = Args.requireString(args, "download_id");
    double timeout = WaitArgs.timeoutSeconds(args);
    WaitArgs.OnTimeout onTimeout = WaitArgs.OnTimeout.parse(args);
    DownloadRegistry registry = downloads.registry(ctx);
    return DownloadWait.await(registry, registry.require(id), timeout, onTimeout, ctx.signal());
  }
}
