package partyclaw.tools.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;
import partyclaw.tools.support.WaitArgs;

/** {@code exec_wait}: optionally write to a command's stdin, then wait for it (tools.md §3.2). */
public final class ExecWaitTool implements Tool {
  private final ExecRun run;

  /** The exec tools of the daemon run {@code run}: their processes are recorded and marked as that run's. */
  public ExecWaitTool(ExecRun run) {
    this.run = run;
  }

  @Override
  public String name() {
    return "exec_wait";
  }

  @Override
  public String description() {
    return "Wait for a command started with exec_start, up to wait_timeout_seconds. input is written to its "
        + "stdin first, verbatim (add \\n yourself). Returns the same snapshot shapes as exec_start.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("exec_id", "Id returned by exec_start.")
        .number("wait_timeout_seconds", "How long to wait (0 = just write input and observe).")
        .string("input", "Text written to the command's stdin before waiting (no newline added).")
        .bool("include_stdout", "Include stdout/stderr text in the result (default true).")
        .integer("start", "Output lines to skip from the end (default 0).")
        .integer("limit", "Output lines to show (default 20).")
        .stringEnum("on_timeout", "What to do when the wait times out (default continue).",
            "continue", "kill", "CONTINUE", "KILL")
        .integer("max_output_chars", "Character cap per stream (0..1000, default 1000).")
        .required("exec_id", "wait_timeout_seconds")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.INTERRUPTIBLE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String execId = Args.requireString(args, "exec_id");
    double timeout = WaitArgs.timeoutSeconds(Args.requireNumber(args, "wait_timeout_seconds"));
    Optional<String> input = Args.optString(args, "input");
    WaitArgs.OnTimeout onTimeout = WaitArgs.OnTimeout.parse(args);
    OutputOptions opts = OutputOptions.parse(args);
    ExecRegistry registry = ExecRegistry.of(ctx, run);
    ExecProcess p = registry.require(execId);
    if (input.isPresent()) p.writeInput(input.get(), registry.stdinWriters());
    return ExecWait.await(p, timeout, onTimeout, opts, ctx.signal());
  }
}
