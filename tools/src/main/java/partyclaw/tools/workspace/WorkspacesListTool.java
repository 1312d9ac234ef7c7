package partyclaw.tools.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.core.workdir.Workdir;
import partyclaw.core.workspace.WorkspaceRecord;
import partyclaw.core.workspace.WorkspaceRegistry;
import partyclaw.tools.support.Schema;

/**
 * {@code workspaces_list} (tools.md §4.1): the caller's earlier workspaces, most recently used first. Only
 * workspaces this conversation owns are listed (see {@link WorkspaceAccess}), never its current one, and archived
 * ones only on request.
 */
public final class WorkspacesListTool implements Tool {
  private final WorkspaceAccess access;

  public WorkspacesListTool() {
    this(WorkspaceRegistry::shared);
  }

  public WorkspacesListTool(Function<Workdir, WorkspaceRegistry> registries) {
    this.access = new WorkspaceAccess(registries);
  }

  @Override
  public String name() {
    return "workspaces_list";
  }

  @Override
  public String description() {
    return "List this conversation's earlier workspaces (not the current one), most recently used first, with "
        + "their titles and summaries. Use workspace_content_list to look inside one, workspace_mount to read it, "
        + "workspace_content_move to bring files over.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("query", "Case-insensitive text to find in the workspace id, title or summary.")
        .bool("include_archived", "Also list archived workspaces (unused for 30 days). Default false.")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    Optional<String> query = WorkspaceAccess.optNonEmpty(args, "query").map(q -> q.toLowerCase(Locale.ROOT));
    boolean includeArchived = WorkspaceAccess.lenientBool(args, "include_archived", false);
    String current = WorkspaceAccess.currentId(ctx);
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("workspaces");
    for (WorkspaceRecord r : access.registry(ctx).list()) {
      if (!r.ownedBy(ctx.conversationId()) || r.id().equals(current)) continue;
      if (r.archived() && !includeArchived) continue;
      if (query.isPresent() && !matches(r, query.get())) continue;
      if (!access.filesExist(ctx, r.id())) continue;
      list.addObject()
          .put("workspace_id", r.id())
          .put("title", r.title())
          .put("summary", r.summary())
          .put("state", r.state())
          .put("updated_at", r.updatedAt().toString())
          .put("last_content_modified_at", r.lastContentModifiedAt().toString());
    }
    return out;
  }

  private static boolean matches(WorkspaceRecord r, String query) {
    return r.id().toLowerCase(Locale.ROOT).contains(query)
        || r.title().toLowerCase(Locale.ROOT).contains(query)
        || r.summary().toLowerCase(Locale.ROOT).contains(query);
  }
}
