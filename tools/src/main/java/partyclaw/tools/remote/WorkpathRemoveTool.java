package partyclaw.tools.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Schema;

/** {@code workpath_remove}: forget this conversation's remote workpath on a host (tools.md §4.1). */
public final class WorkpathRemoveTool implements Tool {
  @Override
  public String name() {
    return "workpath_remove";
  }

  @Override
  public String description() {
    return "Remove this conversation's remote workpath on a host; relative remote paths there then resolve in the "
        + "remote home directory.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("host", "SSH host alias of the workpath.")
        .required("host")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    String host = WorkpathAddTool.hostArg(args);
    WorkpathStore.of(ctx.workdir(), ctx.conversationId()).remove(host)
        .orElseThrow(() -> new ToolException("remote workpath not found for " + host));
    ObjectNode out = Json.object();
    out.put("ok", true);
    out.put("removed", true);
    out.put("host", host);
    out.put("chat_version_rotated", true);
    return out;
  }
}
