package partyclaw.tools.exec;

import com.fasterxml.jackson.databind.JsonNode;
import partyclaw.core.tool.ToolException;
import partyclaw.tools.support.Args;

/** How much output a snapshot shows (tools.md §3.2): the line window, the char cap, and whether at all. */
record OutputOptions(boolean includeStdout, long start, long limit, int maxChars) {
  static final long DEFAULT_LIMIT = 20;
  static final int MAX_CHARS = 1000;

  static OutputOptions parse(JsonNode args) throws ToolException {
    boolean include = Args.optBoolean(args, "include_stdout", true);
    long start = Args.optNonNegativeInt(args, "start", 0);
    long limit = Args.optNonNegativeInt(args, "limit", DEFAULT_LIMIT);
    long max = Args.optNonNegativeInt(args, "max_output_chars", MAX_CHARS);
    if (max > MAX_CHARS) {
      throw new ToolException("max_output_chars must be between 0 and " + MAX_CHARS + "; the full output is in "
          + "stdout_path/stderr_path, read it with file_read");
    }
    return new OutputOptions(include, start, limit, (int) max);
  }
}
