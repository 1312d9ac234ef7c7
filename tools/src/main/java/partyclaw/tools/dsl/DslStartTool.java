package partyclaw.tools.dsl;

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

/** {@code dsl_start}: validate a restricted-Python script, run it as a job and wait for it (tools.md §3.3). */
public final class DslStartTool implements Tool {
  private final DslRuntime runtime;

  public DslStartTool(DslRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public String name() {
    return "dsl_start";
  }

  @Override
  public String description() {
    return "Run a short restricted-Python script that chains LLM and tool calls without extra model rounds. "
        + "Top-level await; globals emit(text), quit(value), LLM() (.system(text), .config(**options), .fork(), "
        + "await .gen(prompt, **fmt), await .json(prompt, **fmt), await .select(prompt, choices)) and "
        + "await tool({\"name\": ..., \"args\": {...}}). Builtins: abs all any bool dict enumerate float int len list "
        + "max min range round sorted str sum tuple type zip. No loops, comprehensions, import, def/class/lambda, "
        + "with, try, return/yield, global/nonlocal/del or names starting with _; such code is refused before it "
        + "runs. The result is quit(value), else the emitted lines, else 0. Waits up to wait_timeout_seconds "
        + "(default 270); the job keeps running after an interruption or a timeout with on_timeout \"continue\".";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("code", "The script (at most 20000 characters).")
        .string("label", "Short name for the job.")
        .bool("return_immediate", "Return right after starting instead of waiting.")
        .number("wait_timeout_seconds", "How long to wait for the job (default 270).")
        .stringEnum("on_timeout", "What to do when the wait times out (default continue).",
            "continue", "kill", "CONTINUE", "KILL")
        .integer("max_output_chars", "Character cap of result_text, stdout and stderr (0..1000, default 1000).")
        .integer("max_runtime_seconds", "Wall-time budget of the job (default 600).")
        .integer("max_llm_calls", "Budget of LLM calls (default 20).")
        .integer("max_tool_calls", "Budget of tool calls (default 50).")
        .integer("max_emit_calls", "Budget of emit calls (default 20).")
        .required("code")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.INTERRUPTIBLE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String code = Args.requireString(args, "code");
    if (code.isBlank()) throw new ToolException("code must not be empty");
    Optional<String> label = Args.optString(args, "label");
    boolean returnImmediate = Args.optBoolean(args, "return_immediate", false);
    double timeout = WaitArgs.timeoutSeconds(args);
    WaitArgs.OnTimeout onTimeout = WaitArgs.OnTimeout.parse(args);
    int maxChars = DslOutput.maxChars(args);
    DslLimits limits = DslLimits.parse(args);
    if (ctx.signal().isCancelled()) throw new ToolException("the turn was cancelled before the script started");
    DslJob job = runtime.start(ctx, code, label.map(String::strip).filter(s -> !s.isEmpty()).orElse(null), limits);
    if (returnImmediate) return DslSnapshot.of(job, maxChars, ctx.workspaceRoot());
    return DslWait.await(job, timeout, onTimeout, maxChars, ctx.signal(), ctx.workspaceRoot());
  }
}
