package partyclaw.tools.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import partyclaw.core.tool.ToolException;
import partyclaw.tools.support.Args;

/** The budgets of one job (tools.md §3.3); exceeding one fails the job with its name. */
record DslLimits(long maxRuntimeSeconds, long maxLlmCalls, long maxToolCalls, long maxEmitCalls) {
  static final long DEFAULT_RUNTIME_SECONDS = 600;
  static final long DEFAULT_LLM_CALLS = 20;
  static final long DEFAULT_TOOL_CALLS = 50;
  static final long DEFAULT_EMIT_CALLS = 20;
  /** Not in the reference, which let a job run for as long as asked: a day is far past any sensible script. */
  static final long MAX_RUNTIME_SECONDS = 86_400;

  static DslLimits parse(JsonNode args) throws ToolException {
    long runtime = Args.optNonNegativeInt(args, "max_runtime_seconds", DEFAULT_RUNTIME_SECONDS);
    if (runtime == 0) throw new ToolException("max_runtime_seconds must be at least 1");
    if (runtime > MAX_RUNTIME_SECONDS) {
      throw new ToolException("max_runtime_seconds must be at most " + MAX_RUNTIME_SECONDS + " (one day)");
    }
    return new DslLimits(runtime, Args.optNonNegativeInt(args, "max_llm_calls", DEFAULT_LLM_CALLS),
        Args.optNonNegativeInt(args, "max_tool_calls", DEFAULT_TOOL_CALLS),
        Args.optNonNegativeInt(args, "max_emit_calls", DEFAULT_EMIT_CALLS));
  }
}
