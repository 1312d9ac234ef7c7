package partyclaw.tools.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/**
 * {@code file_download_cancel}: stop a download (tools.md §3.4). Unlike the reference, which leaves the partial
 * {@code .part} file behind, the partial file is removed.
 */
public final class FileDownloadCancelTool implements Tool {
  private final Downloads downloads;

  public FileDownloadCancelTool(Downloads downloads) {
    this.downloads = downloads;
  }

  @Override
  public String name() {
    return "file_download_cancel";
  }

  @Override
  public String description() {
    return "Cancel a download started with file_download_start and delete its partial file. A download that already "
        + "finished is left as it is.";
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
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    DownloadRegistry registry = downloads.registry(ctx);
    Download d = registry.require(Args.requireString(args, "download_id"));
    if (!registry.cancel(d)) {
      return d.snapshot().put("note", "the download had already " + (d.phase() == Download.Phase.COMPLETED
          ? "completed" : "ended") + "; nothing was cancelled");
    }
    ObjectNode out = Json.object();
    out.put("download_id", d.id);
    out.put("url", d.url);
    out.put("path", d.path.toString());
    out.put("running", false);
    out.put("completed", false);
    out.put("cancelled", true);
    out.put("failed", false);
    out.put("partial_file_removed", true);
    return out;
  }
}
