package partyclaw.tools.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolInvoker;
import partyclaw.core.tool.ToolMode;
import partyclaw.core.tool.ToolResult;
import partyclaw.core.tool.TurnSignal;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/**
 * {@code dsl_kill}: kill a DSL job's worker and what it started; with {@code kill_children} also the execs,
 * downloads and image jobs its tool calls started (tools.md §3.3).
 */
public final class DslKillTool implements Tool {
  private static final Map<String, String> KILL_TOOL = Map.of("exec_id", "exec_kill", "download_id",
      "file_download_cancel", "image_id", "image_cancel");
  private final java.util.function.Supplier<Map<String, Tool>> tools;

  /** {@code tools}: where exec_kill and file_download_cancel are found for {@code kill_children}. */
  public DslKillTool(java.util.function.Supplier<Map<String, Tool>> tools) {
    this.tools = tools;
  }

  @Override
  public String name() {
    return "dsl_kill";
  }

  @Override
  public String description() {
    return "Kill a running DSL job. kill_children:true also stops the exec processes, downloads and image jobs its "
        + "tool calls started. Returns the job's snapshot with killed (whether it was running).";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("dsl_id", "Id returned by dsl_start.")
        .bool("kill_children", "Also stop the execs, downloads and image jobs the script started (default false).")
        .integer("max_output_chars", "Character cap of result_text, stdout and stderr (0..1000, default 1000).")
        .required("dsl_id")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String id = Args.requireString(args, "dsl_id").strip();
    boolean killChildren = Args.optBoolean(args, "kill_children", false);
    int maxChars = DslOutput.maxChars(args);
    DslJob job = DslRegistry.of(ctx).get(id);
    boolean wasRunning = DslRuntime.kill(job, null);
    ObjectNode snap = DslSnapshot.of(job, maxChars, ctx.workspaceRoot());
    snap.put("killed", wasRunning);
    if (killChildren) {
      ArrayNode results = snap.putArray("children_kill_results");
      DslToolContext childCtx = new DslToolContext(ctx, new TurnSignal());
      for (DslJob.Child c : job.view().children()) {
        String toolName = KILL_TOOL.get(c.idField());
        Tool tool = toolName == null ? null : tools.get().get(toolName);
        ObjectNode r = results.addObject().put("tool", toolName == null ? c.tool() : toolName).put("id", c.id());
        if (tool == null) {
          r.put("status", "failed_to_kill").put("error", "no tool stops a " + c.idField() + " here");
          continue;
        }
        ToolResult res = ToolInvoker.invoke(tool, toolName, Json.write(Json.object().put(c.idField(), c.id())),
            childCtx);
        if (res.errored()) {
          String error;
          try {
            error = Json.parse(res.content()).path("error").asText(res.content());
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            error = res.content();
          }
          r.put("status", "failed_to_kill").put("error", error);
        } else {
          r.put("status", "killed");
        }
      }
    }
    return snap;
  }
}
