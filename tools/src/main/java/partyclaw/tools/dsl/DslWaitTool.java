package partyclaw.tools.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;
import partyclaw.tools.support.WaitArgs;

/** {@code dsl_wait}: wait for a DSL job, or observe it now with a timeout of 0 (tools.md §3.3). */
public final class DslWaitTool implements Tool {
  @Override
  public String name() {
    return "dsl_wait";
  }

  @Override
  public String description() {
    return "Wait for a DSL job started by dsl_start, up to wait_timeout_seconds (default 270; 0 observes it now). "
        + "Returns its snapshot: status running|completed|failed|killed, result_text, usage. The job keeps running "
        + "after an interruption or a timeout with on_timeout \"continue\"; \"kill\" stops it.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("dsl_id", "Id returned by dsl_start.")
        .number("wait_timeout_seconds", "How long to wait (default 270; 0 = observe now).")
        .stringEnum("on_timeout", "What to do when the wait times out (default continue).",
            "continue", "kill", "CONTINUE", "KILL")
        .integer("max_output_chars", "Character cap of result_text, stdout and stderr (0..1000, default 1000).")
        .required("dsl_id")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.INTERRUPTIBLE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String id = Args.requireString(args, "dsl_id").strip();
    double timeout = WaitArgs.timeoutSeconds(args);
    WaitArgs.OnTimeout onTimeout = WaitArgs.OnTimeout.parse(args);
    int maxChars = DslOutput.maxChars(args);
    DslJob job = DslRegistry.of(ctx).get(id);
    return DslWait.await(job, timeout, onTimeout, maxChars, ctx.signal(), ctx.workspaceRoot());
  }
}
