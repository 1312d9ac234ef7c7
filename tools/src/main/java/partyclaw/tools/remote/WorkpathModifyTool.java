package partyclaw.tools.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/** {@code workpath_modify}: change the description of a registered remote workpath (tools.md §4.1). */
public final class WorkpathModifyTool implements Tool {
  @Override
  public String name() {
    return "workpath_modify";
  }

  @Override
  public String description() {
    return "Change the description of this conversation's remote workpath on a host.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("host", "SSH host alias of the workpath.")
        .string("description", "New description.")
        .required("host", "description")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    String host = WorkpathAddTool.hostArg(args);
    String description = Args.requireNonEmpty(args, "description");
    WorkpathStore store = WorkpathStore.of(ctx.workdir(), ctx.conversationId());
    Workpath old = store.find(host).orElseThrow(() -> new ToolException("remote workpath not found for " + host));
    Workpath w = store.put(host, old.path(), description);
    ObjectNode out = Json.object();
    out.put("ok", true);
    out.put("host", w.host());
    out.put("path", w.path());
    out.put("description", w.description());
    out.put("chat_version_rotated", true);
    return out;
  }
}
