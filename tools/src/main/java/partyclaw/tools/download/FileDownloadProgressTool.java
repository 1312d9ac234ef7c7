package partyclaw.tools.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/** {@code file_download_progress}: the current snapshot of a download, without waiting (tools.md §3.4). */
public final class FileDownloadProgressTool implements Tool {
  private final Downloads downloads;

  public FileDownloadProgressTool(Downloads downloads) {
    this.downloads = downloads;
  }

  @Override
  public String name() {
    return "file_download_progress";
  }

  @Override
  public String description() {
    return "Show how far a download started with file_download_start has got: bytes_downloaded, total_bytes, percent "
        + "(null while the size is unknown) and whether it completed, failed or was cancelled.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("download_id", "Id returned by file_download_start.")
        .required("download_id")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    return downloads.registry(ctx).require(Args.requireString(args, "download_id")).snapshot();
  }
}
