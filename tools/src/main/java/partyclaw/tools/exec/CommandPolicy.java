package partyclaw.tools.exec;

import java.util.Map;
import partyclaw.core.tool.ToolException;

/**
 * The reference's refusal of shell commands that duplicate a dedicated tool (tools.md §3.2). Only the
 * first word is looked at, so {@code git grep} or {@code cd x && cat y} pass, as in the reference.
 */
final class CommandPolicy {
  private static final Map<String, String> ADVICE = Map.of(
      "cat", "use the file_read tool to read files instead of cat",
      "head", "use the file_read tool (offset/limit) instead of head",
      "tail", "use the file_read tool (offset/limit) instead of tail",
      "grep", "use the grep tool to search file contents instead of grep",
      "find", "use the glob tool to find files instead of find",
      "ls", "use the ls tool to list directories instead of ls",
      "ssh", "manual ssh commands are rejected; remote hosts are reached only through the tools' remote argument");

  private CommandPolicy() {}

  static void check(String command) throws ToolException {
    String first = firstWord(command);
    String advice = ADVICE.get(first);
    if (advice != null) {
      throw new ToolException("direct read/search shell command rejected by tool policy: " + advice);
    }
  }

  /** First whitespace-separated token with quotes removed, reduced to its basename ({@code /bin/cat} → cat). */
  static String firstWord(String command) {
    String trimmed = command.strip();
    int end = 0;
    while (end < trimmed.length() && !Character.isWhitespace(trimmed.charAt(end))) end++;
    String token = trimmed.substring(0, end).replace("\"", "").replace("'", "");
    int slash = token.lastIndexOf('/');
    return slash >= 0 ? token.substring(slash + 1) : token;
  }
}
