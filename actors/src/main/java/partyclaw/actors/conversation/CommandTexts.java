package partyclaw.actors.conversation;

import java.util.List;
import java.util.Locale;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.ModelCatalog;
import partyclaw.actors.conversation.ConversationState.Settings;

/** The replies of the slash commands that only read or change settings: pure functions of the state. */
final class CommandTexts {
  static final List<String> QUEUE_MODES = List.of("steer", "followup", "collect", "interrupt");
  static final List<String> EFFORTS = List.of("low", "medium", "high");

  private CommandTexts() {}

  static String queueMode(Settings s, ConversationRuntime rt) {
    return s.queueMode() != null ? s.queueMode() : rt.defaultQueueMode();
  }

  static String effort(Settings s, ModelCatalog.Entry model) {
    if (s.reasoningEffort() != null) return s.reasoningEffort();
    if (model != null && model.endpoint().reasoning() != null && model.endpoint().reasoning().hasNonNull("effort")) {
      return model.endpoint().reasoning().get("effort").asText();
    }
    return "default";
  }

  static double effectiveTimeout(Settings s, ModelCatalog.Entry model) {
    if (s.apiTimeoutSeconds() != null) return s.apiTimeoutSeconds();
    return model == null ? 0 : model.endpoint().timeout().toMillis() / 1000.0;
  }

  static String agentPicker(String current, List<String> available) {
    return "Current conversation model: `" + (current == null ? "<not selected>" : current) + "`\n"
        + "Available models: " + String.join(", ", available.stream().sorted().toList()) + "\n"
        + "Send `/agent <model>` to switch.";
  }

  static String thinkUsage(String current) {
    return "Current conversation reasoning effort: `" + current + "`\n"
        + "Send `/think <low|medium|high|default>`.";
  }

  static String queueUsage(String current) {
    return "Messages you send while the agent works are handled in `" + current + "` mode.\n"
        + "- steer: the agent yields at the next safe point and sees your message (default)\n"
        + "- followup: answered after the current turn\n"
        + "- collect: everything sent during the turn becomes one follow-up\n"
        + "- interrupt: the running turn is cancelled and your message starts a new one\n"
        + "Send `/queue <steer|followup|collect|interrupt>`.";
  }

  static String unavailable(String name) {
    return "`/" + name + "` is not available in this version of partyclaw yet.";
  }

  static String timeoutText(String sessionId, double seconds, boolean override) {
    return String.format(Locale.ROOT, "API timeout %s for session %s. Effective timeout is now %.1fs (%s).",
        override ? "updated" : "reset", sessionId, seconds, override ? "session override" : "model default");
  }

  static String status(String conversationId, ConversationState s, ConversationRuntime rt, ModelCatalog.Entry model,
      long runningProcesses, int runningTools) {
    Settings st = s.settings();
    StringBuilder sb = new StringBuilder();
    sb.append("Conversation: ").append(conversationId).append('\n');
    sb.append("Workspace: ").append(s.workspaceId() == null ? "<not created yet>" : s.workspaceId()).append('\n');
    sb.append("Model: ").append(model == null ? "<none>" : model.alias() + " (" + model.endpoint().model() + ")")
        .append('\n');
    sb.append(String.format(Locale.ROOT, "API timeout: %.1fs (%s)%n", effectiveTimeout(st, model),
        st.apiTimeoutSeconds() != null ? "session override" : "model default"));
    sb.append("Reasoning effort: ").append(effort(st, model)).append('\n');
    sb.append("Queue mode: ").append(queueMode(st, rt)).append('\n');
    sb.append("Sandbox: ").append(rt.sandboxMode()).append('\n');
    sb.append("Turns: ").append(s.turnCount()).append(s.turn() != null ? " (one running)" : "").append('\n');
    sb.append("Running tools: ").append(runningTools).append(", running processes: ").append(runningProcesses)
        .append('\n');
    sb.append("Queued messages: ").append(s.inbox().size()).append(", undelivered replies: ")
        .append(s.outbox().size()).append('\n');
    long prompt = s.usage().promptTokens();
    long cached = s.usage().cachedTokens();
    sb.append("Tokens: input ").append(prompt).append(", output ").append(s.usage().completionTokens())
        .append(", cache hits ").append(cached)
        .append(prompt > 0 ? String.format(Locale.ROOT, " (%.1f%%)", 100.0 * cached / prompt) : "")
        .append(", model calls ").append(s.usage().llmCalls()).append('\n');
    sb.append("Cost estimate: n/a (no prices are configured for this model)");
    return sb.toString();
  }
}
