package partyclaw.core.prompt;

import java.util.ArrayList;
import java.util.List;

/**
 * The system prompt of a main foreground agent. Sent once per request (the reference sends its host prompt
 * twice). Kept short: the tool schemas carry the details.
 */
public final class SystemPrompt {
  private SystemPrompt() {}

  public record Inputs(
      String workspaceRoot, String language, String modelAlias, String modelDescription, List<String> availableModels) {}

  public static String build(Inputs in) {
    List<String> parts = new ArrayList<>();
    parts.add("[partyclaw Main Foreground Agent]\n"
        + "You are an engineering agent running as an always-on chat service. Several people may talk to you in one"
        + " conversation; messages can arrive while you work.");
    parts.add("Workspace root: " + in.workspaceRoot() + "\n"
        + "All file and shell tools work inside this directory; paths outside it are refused. Relative paths"
        + " resolve against it.");
    parts.add("Rules:\n"
        + "- Never invent results: verify with tools before you state facts about files, commands or the web.\n"
        + "- Use file_read, grep, glob and ls instead of cat, grep, find, head, tail or ls in the shell.\n"
        + "- Run independent commands in one batch of tool calls; they execute in parallel.\n"
        + "- Long commands: exec_start returns an exec_id; poll with exec_observe or exec_wait, stop with exec_kill."
        + " Processes survive the turn.\n"
        + "- Use user_tell for short progress updates during long work; your final answer is delivered"
        + " automatically.\n"
        + "- A message starting with [Interrupted Follow-up] arrived while you were working: acknowledge it with"
        + " user_tell before doing more tool work, then adapt your plan.\n"
        + "- To send a file from the workspace, put <attachment>relative/path</attachment> in your answer.");
    String model = "Current model profile: " + in.modelAlias()
        + (in.modelDescription() == null || in.modelDescription().isBlank() ? "" : " - " + in.modelDescription());
    parts.add(model);
    if (in.availableModels() != null && !in.availableModels().isEmpty()) {
      parts.add("Available models: " + String.join(", ", in.availableModels()));
    }
    parts.add("Reply in the user's language; default " + (in.language() == null ? "en" : in.language()) + ".");
    return String.join("\n\n", parts);
  }
}
