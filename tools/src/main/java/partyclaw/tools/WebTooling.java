package partyclaw.tools;

import java.util.ArrayList;
import java.util.List;
import partyclaw.core.tool.Tool;
import partyclaw.tools.download.Downloads;
import partyclaw.tools.download.FileDownloadCancelTool;
import partyclaw.tools.download.FileDownloadProgressTool;
import partyclaw.tools.download.FileDownloadStartTool;
import partyclaw.tools.download.FileDownloadWaitTool;
import partyclaw.tools.web.WebClient;
import partyclaw.tools.web.WebFetchTool;
import partyclaw.tools.web.WebSearchBackends;
import partyclaw.tools.web.WebSearchTool;

/**
 * The node's network tools and what they share: one HTTP client, the download pool, and the search backends the
 * config names ({@code search} null: web_search is not offered).
 */
public record WebTooling(WebClient web, Downloads downloads, WebSearchBackends search) implements AutoCloseable {

  public static WebTooling create(WebSearchBackends search) {
    WebClient web = WebClient.create();
    return new WebTooling(web, Downloads.create(web), search);
  }

  /**
   * web_fetch and the four download tools always; web_search only when some model of the config resolves a search
   * backend (tools.md §2).
   */
  List<Tool> tools() {
    List<Tool> tools = new ArrayList<>(List.of(new WebFetchTool(web),
        new FileDownloadStartTool(downloads), new FileDownloadProgressTool(downloads),
        new FileDownloadWaitTool(downloads), new FileDownloadCancelTool(downloads)));
    if (search != null && search.anyConfigured()) tools.add(new WebSearchTool(web, search));
    return tools;
  }

  @Override
  public void close() {
    downloads.close();
  }
}
