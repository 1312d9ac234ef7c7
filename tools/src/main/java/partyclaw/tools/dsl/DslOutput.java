package partyclaw.tools.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import partyclaw.core.tool.ToolException;
import partyclaw.tools.support.Args;

/** {@code max_output_chars} of the DSL tools: 0..1000, default 1000 (tools.md §3.3). */
final class DslOutput {
  static final int MAX_CHARS = 1000;

  private DslOutput() {}

  static int maxChars(JsonNode args) throws ToolException {
    long v = Args.optNonNegativeInt(args, "max_output_chars", MAX_CHARS);
    if (v > MAX_CHARS) throw new ToolException("max_output_chars must be between 0 and " + MAX_CHARS);
    return (int) v;
  }

  /** First 40% and last 60% of {@code max} characters, joined without a marker, as exec output is. */
  static String headAndTail(String text, int max) {
    if (text.length() <= max) return text;
    int head = (int) (max * 0.4);
    return text.substring(0, head) + text.substring(text.length() - (max - head));
  }
}
