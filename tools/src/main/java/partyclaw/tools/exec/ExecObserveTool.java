package partyclaw.tools.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/** {@code exec_observe}: the current snapshot of a command, without waiting (tools.md §3.2). */
public final class ExecObserveTool implements Tool {
  private final ExecRun run;

  /** The exec tools of the daemon run {@code run}: their processes are recorded and marked as that run's. */
  public ExecObserveTool(ExecRun run) {
    this.run = run;
  }

  @Override
  public String name() {
    return "exec_observe";
  }

  @Override
  public String description() {
    return "Show the current status and latest output window of a command started with exec_start, "
        + "without waiting.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("exec_id", "Id returned by exec_start.")
        .integer("start", "Output lines to skip from the end (default 0).")
        .integer("limit", "Output lines to show (default 20).")
        .integer("max_output_chars", "Character cap per stream (0..1000, default 1000).")
        .required("exec_id")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    String execId = Args.requireString(args, "exec_id");
    OutputOptions opts = OutputOptions.parse(args);
    return ExecSnapshot.of(ExecRegistry.of(ctx, run).require(execId), opts);
  }
}
