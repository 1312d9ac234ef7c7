package partyclaw.actors.conversation;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import partyclaw.actors.outbox.ReplyOption;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.ModelCatalog;
import partyclaw.actors.SandboxPolicy;
import partyclaw.actors.conversation.ConversationState.Settings;
import partyclaw.core.sandbox.SandboxMode;

/**
 * Decides what a slash command does, as data: a pure function of the conversation's state and a few facts of the
 * node. The entity turns a {@link Decision} into events and effects. Commands never reach the model.
 */
final class SlashCommands {
  static final List<String> EFFORTS = List.of("low", "medium", "high");

  private SlashCommands() {}

  /** What the node knows beyond the state: running work, and whether the sender may act on other conversations. */
  record Facts(String conversationId, ConversationRuntime rt, int runningTools, long runningProcesses,
      boolean operator, ContextRunner.Estimate estimate) {}

  sealed interface Decision {}

  /** Only an answer. */
  record Reply(String text, List<ReplyOption> options) implements Decision {
    Reply(String text) {
      this(text, List.of());
    }
  }

  /** A journaled setting change ({@code value} null = back to the default), then the answer. */
  record ChangeSetting(String key, String value, String text) implements Decision {}

  /** Cancel the running turn for real. */
  record StopTurn() implements Decision {}

  /** Resume the last turn that did not complete. */
  record ContinueTurn() implements Decision {}

  /** {@code /compact}: a compaction now (or at the running turn's next safe boundary), then the answer. */
  record Compact(String text) implements Decision {}

  /** {@code /mount <folder> [ro|rw]}: resolved and checked on the blocking pool, then journaled. */
  record MountFolder(String folder, boolean readOnly) implements Decision {}

  record UnmountFolder(String path) implements Decision {}

  /** {@code /agent} to another model; {@code compactWith}: compact first with this (the previous) model. */
  record SwitchModel(String alias, String compactWith, String text) implements Decision {}

  /** {@code /subscribe}, {@code /unsubscribe}: a journaled topic subscription change, then the answer. */
  record ChangeSubscription(String topic, boolean subscribed, String text) implements Decision {}

  /** {@code /background stop}: {@code agentId} null stops every running one. */
  record StopBackground(String agentId) implements Decision {}

  /** Snapshot commands: file I/O on the blocking pool, answered when it is done. */
  sealed interface SnapshotIo extends Decision {}

  record SaveSnapshot(String name) implements SnapshotIo {}

  /** {@code fromConversation} is this conversation unless an operator named another one. */
  record LoadSnapshot(String name, String fromConversation) implements SnapshotIo {}

  /** {@code all}: every conversation's snapshots (operators only). */
  record ListSnapshots(boolean all) implements SnapshotIo {}

  static Decision decide(ConversationState s, SlashCommand c, Facts facts) {
    ModelCatalog.Entry model = facts.rt().models().resolve(s.settings().modelAlias()).orElse(null);
    return switch (c.name()) {
      case "help" -> new Reply(SlashCommand.help());
      case "status" -> new Reply(status(s, facts, model));
      case "stop" -> s.turn() == null ? new Reply("Nothing is running.") : new StopTurn();
      case "continue" -> s.resumable() ? new ContinueTurn()
          : new Reply("There is no interrupted turn to continue right now.");
      case "agent", "model" -> agent(s, c, model, facts);
      case "compact" -> compact(s, model, facts);
      case "compact_mode" -> compactMode(s, c, facts.rt());
      case "think" -> think(s, c, model);
      case "queue" -> queue(s, c, facts.rt());
      case "set_api_timeout" -> apiTimeout(s, c, model, facts.conversationId());
      case "snapsave", "snapload", "snaplist" -> snapshot(s, c, facts.operator());
      case "sandbox" -> sandbox(s, c, facts);
      case "mount" -> mount(s, c);
      case "subscribe" -> BackgroundCommands.subscribe(s, c, true);
      case "unsubscribe" -> BackgroundCommands.subscribe(s, c, false);
      case "background" -> BackgroundCommands.background(s, c);
      default -> new Reply("Unknown command. Use `/help` to see available commands.\n\n" + SlashCommand.help());
    };
  }

  static QueueMode queueMode(Settings s, ConversationRuntime rt) {
    return s.queueMode() != null ? s.queueMode() : rt.defaultQueueMode();
  }

  private static Decision agent(ConversationState s, SlashCommand c, ModelCatalog.Entry model, Facts facts) {
    ConversationRuntime rt = facts.rt();
    String current = model == null ? null : model.alias();
    String arg = c.args().startsWith("agent_frame") ? c.args().substring("agent_frame".length()).strip() : c.args();
    List<String> available = rt.models().available();
    if (arg.isEmpty()) return agentPicker("", current, available);
    if (!available.contains(arg)) return agentPicker("Unknown model `" + arg + "`. ", current, available);
    if (arg.equals(current)) return new Reply("Conversation model is already `" + arg + "`. No change was made.");
    String text = "Conversation model updated to `" + arg + "`.";
    ModelCatalog.Entry next = rt.models().models().get(arg);
    boolean tooBig = model != null && next != null && facts.estimate() != null
        && rt.context().compressionFor(s.settings().compaction()) && s.context().pending() == null
        && facts.estimate().tokens() >= rt.context().budget(next.contextWindowTokens()).threshold();
    if (!tooBig) return new ChangeSetting("model", arg, text);
    return new SwitchModel(arg, model.alias(), text + " The context (~" + facts.estimate().tokens()
        + " tokens) is too large for its window, so `" + model.alias() + "` compacts it first.");
  }

  /**
   * A chat may make its sandbox stricter; only an operator may run a conversation with less isolation than the
   * config's mode (in a group, anyone could otherwise turn the sandbox off and read the host).
   */
  private static Decision sandbox(ConversationState s, SlashCommand c, Facts facts) {
    SandboxPolicy policy = facts.rt().sandbox();
    String current = s.settings().sandboxMode();
    String arg = c.args().toLowerCase(Locale.ROOT);
    if (arg.isEmpty()) {
      List<String> modes = policy.bubblewrapAvailable() ? List.of("subprocess", "bubblewrap", "default")
          : List.of("subprocess", "default");
      return new Reply("Current conversation sandbox mode: `" + policy.effective(current).wire() + "`\n"
          + policy.describe(current) + "\nChoose a mode below or send `/sandbox <subprocess|bubblewrap|default>`.",
          ReplyOption.commands("/sandbox", modes));
    }
    String value;
    if (arg.equals("default")) {
      value = null;
    } else {
      Optional<SandboxMode> mode = SandboxMode.parse(arg);
      if (mode.isEmpty()) return new Reply("Unknown sandbox mode `" + c.args() + "`. Send `/sandbox <subprocess|bubblewrap|default>`.");
      value = mode.get().wire();
      if (mode.get() == SandboxMode.BUBBLEWRAP && !policy.bubblewrapAvailable()) {
        return new Reply("Sandbox mode `bubblewrap` is not available on this host: " + policy.unavailableReason() + ".");
      }
    }
    boolean weaker = policy.effective(value) == SandboxMode.SUBPROCESS
        && policy.effective(null) == SandboxMode.BUBBLEWRAP;
    if (weaker && !facts.operator()) {
      return new Reply("Only an operator may run this conversation with less isolation than the configured sandbox"
          + " (`bubblewrap`).");
    }
    return new ChangeSetting("sandbox", value,
        "Conversation sandbox mode updated to `" + policy.effective(value).wire() + "`.");
  }

  private static Decision mount(ConversationState s, SlashCommand c) {
    String[] words = c.args().split("\\s+");
    if (c.args().isEmpty()) {
      String list = s.settings().mounts().isEmpty() ? "No folders are mounted."
          : "Mounted: " + String.join(", ", s.settings().mounts().stream()
              .map(m -> "`" + m.path() + "` (" + (m.readOnly() ? "read-only" : "read-write") + ")").toList());
      return new Reply(list + "\nUsage: `/mount <folder> [ro|rw]` (read-only unless rw), `/mount remove <folder>`.");
    }
    if (words[0].equals("remove")) {
      String path = c.args().substring("remove".length()).strip();
      boolean mounted = s.settings().mounts().stream().anyMatch(m -> m.path().equals(path));
      return mounted ? new UnmountFolder(path) : new Reply("`" + path + "` is not mounted.");
    }
    String last = words[words.length - 1];
    boolean mode = words.length > 1 && (last.equals("ro") || last.equals("rw"));
    String folder = mode ? c.args().substring(0, c.args().length() - last.length()).strip() : c.args();
    return new MountFolder(folder, !(mode && last.equals("rw")));
  }

  /** Compacts even when automatic compaction is off, once the context reaches {@code idle_compaction.min_ratio}. */
  private static Decision compact(ConversationState s, ModelCatalog.Entry model, Facts facts) {
    if (model == null) return new Reply("Choose a model for this conversation with `/agent` before using `/compact`.");
    if (s.context().pending() != null) return new Reply("A compaction of this conversation is already under way.");
    ContextRunner.Estimate e = facts.estimate();
    long minimum = facts.rt().context().budget(model.contextWindowTokens())
        .minimumFor(facts.rt().context().idle().minRatio());
    if (s.transcript().isEmpty() || e == null || e.tokens() < minimum) {
      return new Reply(ContextCommands.NOT_NEEDED + " (~" + (e == null ? 0 : e.tokens()) + " tokens; `/compact` acts"
          + " from ~" + minimum + ".)");
    }
    return new Compact("Compacting the current conversation context" + (s.turn() != null
        ? " at the running turn's next safe point." : "; this may take a moment."));
  }

  private static Decision compactMode(ConversationState s, SlashCommand c, ConversationRuntime rt) {
    String arg = c.args().toLowerCase(Locale.ROOT);
    boolean enabled = rt.context().compressionFor(s.settings().compaction());
    return switch (arg) {
      case "" -> new Reply("Automatic context compaction for this conversation is currently `"
          + (enabled ? "enabled" : "disabled") + "`.\nChoose a mode below or send `/compact_mode <on|off>`.\n"
          + "You can always trigger a one-off compaction with `/compact`.",
          List.of(new ReplyOption("enabled", "/compact_mode on"), new ReplyOption("disabled", "/compact_mode off")));
      case "on", "enable", "enabled" -> new ChangeSetting("compaction", "true",
          "Automatic context compaction is now `enabled` for this conversation.");
      case "off", "disable", "disabled" -> new ChangeSetting("compaction", "false",
          "Automatic context compaction is now `disabled` for this conversation.");
      default -> new Reply("Unknown compaction mode `" + c.args() + "`. Send `/compact_mode <on|off>`.");
    };
  }

  private static Decision think(ConversationState s, SlashCommand c, ModelCatalog.Entry model) {
    String arg = c.args().toLowerCase(Locale.ROOT);
    String current = effort(s.settings(), model);
    if (arg.isEmpty()) return thinkPicker("", current);
    if (!arg.equals("default") && !EFFORTS.contains(arg)) {
      return thinkPicker("Unknown reasoning effort `" + c.args() + "`. ", current);
    }
    String value = arg.equals("default") ? null : arg;
    return new ChangeSetting("reasoning_effort", value, "Conversation reasoning effort updated to `"
        + effort(s.settings().with("reasoning_effort", value), model) + "`.");
  }

  private static Decision queue(ConversationState s, SlashCommand c, ConversationRuntime rt) {
    if (c.args().isEmpty()) return new Reply(queueUsage(queueMode(s.settings(), rt)));
    return QueueMode.parse(c.args())
        .<Decision>map(m -> new ChangeSetting("queue_mode", m.wire(),
            "Queue mode for this conversation is now `" + m.wire() + "`."))
        .orElseGet(() -> new Reply("Unknown queue mode `" + c.args() + "`. "
            + queueUsage(queueMode(s.settings(), rt))));
  }

  private static Decision apiTimeout(ConversationState s, SlashCommand c, ModelCatalog.Entry model,
      String conversationId) {
    String arg = c.args();
    if (arg.isEmpty()) {
      return new Reply("Usage: /set_api_timeout <seconds|default>\nExamples:\n/set_api_timeout 300\n/set_api_timeout default");
    }
    if (arg.equals("default") || arg.equals("reset") || arg.equals("0")) {
      double seconds = effectiveTimeout(s.settings().with("api_timeout_seconds", null), model);
      return new ChangeSetting("api_timeout_seconds", null, timeoutText(conversationId, seconds, false));
    }
    double seconds;
    try {
      seconds = Double.parseDouble(arg);
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (!(seconds > 0) || seconds > 86_400) {
      return new Reply("`" + arg + "` is not a valid timeout: give seconds between 0 and 86400, or `default`.");
    }
    return new ChangeSetting("api_timeout_seconds", Double.toString(seconds), timeoutText(conversationId, seconds, true));
  }

  /**
   * Snapshots belong to their conversation. An operator may list every conversation's ({@code /snaplist all}) and
   * load another's by naming it: {@code /snapload <name> from <conversation id>}.
   */
  private static Decision snapshot(ConversationState s, SlashCommand c, boolean operator) {
    String args = c.args();
    if (c.name().equals("snaplist") || (c.name().equals("snapload") && args.isEmpty())) {
      boolean all = args.equals("all");
      if (all && !operator) return new Reply("Only an operator may list the snapshots of every conversation.");
      return new ListSnapshots(all);
    }
    String name = args;
    String from = null;
    int fromAt = args.indexOf(" from ");
    if (c.name().equals("snapload") && fromAt > 0) {
      name = args.substring(0, fromAt).strip();
      from = args.substring(fromAt + " from ".length()).strip();
      if (!operator) return new Reply("Only an operator may load another conversation's snapshot.");
      if (from.isEmpty()) return new Reply("Usage: `/snapload <name> from <conversation id>`");
    }
    if (name.isEmpty()) return new Reply("Usage: `/" + c.name() + " <name>`\nExample: `/" + c.name() + " demo`");
    String invalid = NamedSnapshots.invalidName(name);
    if (invalid != null) return new Reply("Invalid snapshot name: " + invalid + ".");
    if (s.turn() != null) return new Reply("A turn is running; wait for it to finish or /stop it first.");
    return c.name().equals("snapsave") ? new SaveSnapshot(name) : new LoadSnapshot(name, from);
  }

  // ---- texts ----

  static String effort(Settings s, ModelCatalog.Entry model) {
    if (s.reasoningEffort() != null) return s.reasoningEffort();
    if (model != null && model.endpoint().reasoning() != null && model.endpoint().reasoning().hasNonNull("effort")) {
      return model.endpoint().reasoning().get("effort").asText();
    }
    return "default";
  }

  private static double effectiveTimeout(Settings s, ModelCatalog.Entry model) {
    if (s.apiTimeoutSeconds() != null) return s.apiTimeoutSeconds();
    return model == null ? 0 : model.endpoint().timeout().toMillis() / 1000.0;
  }

  private static Reply agentPicker(String intro, String current, List<String> available) {
    List<String> sorted = available.stream().sorted().toList();
    return new Reply(intro + "Current conversation model: `" + (current == null ? "<not selected>" : current) + "`\n"
        + "Available models: " + String.join(", ", sorted) + "\n"
        + "Choose a model below or send `/agent <model>`.", ReplyOption.commands("/agent", sorted));
  }

  private static Reply thinkPicker(String intro, String current) {
    return new Reply(intro + "Current conversation reasoning effort: `" + current + "`\n"
        + "Choose an option below or send `/think <low|medium|high|default>`.",
        ReplyOption.commands("/think", List.of("low", "medium", "high", "default")));
  }

  private static String queueUsage(QueueMode current) {
    return "Messages you send while the agent works are handled in `" + current.wire() + "` mode.\n"
        + "- steer: the agent yields at the next safe point and sees your message (default)\n"
        + "- followup: answered after the current turn\n"
        + "- collect: everything sent during the turn becomes one follow-up\n"
        + "- interrupt: the running turn is cancelled and your message starts a new one\n"
        + "Send `/queue <steer|followup|collect|interrupt>`.";
  }

  private static String timeoutText(String sessionId, double seconds, boolean override) {
    return String.format(Locale.ROOT, "API timeout %s for session %s. Effective timeout is now %.1fs (%s).",
        override ? "updated" : "reset", sessionId, seconds, override ? "session override" : "model default");
  }

  private static void context(StringBuilder sb, ConversationState s, Facts facts) {
    ContextRunner.Estimate e = facts.estimate();
    if (e != null) {
      sb.append(String.format(Locale.ROOT,
          "Current context estimate: %d / %d tokens (%d%% of the compaction threshold; window %d; local estimate, %s"
              + " x%.2f)%n", e.tokens(), e.threshold(), e.percentOfThreshold(), e.window(), e.encoding(), e.factor()));
    }
    ContextState c = s.context();
    sb.append("Automatic context compaction: ")
        .append(facts.rt().context().compressionFor(s.settings().compaction()) ? "enabled" : "disabled")
        .append(", compactions: ").append(c.compactions())
        .append(c.lastCompactedAt() == null ? "" : " (last " + c.lastCompactedAt() + ")")
        .append(c.pending() != null ? ", one under way (" + c.pending().reason().wire() + ")" : "").append('\n');
    if (c.lastCompactionProblem() != null) sb.append("Last compaction problem: ").append(c.lastCompactionProblem()).append('\n');
    if (c.prompt() != null) {
      StringBuilder parts = new StringBuilder();
      c.prompt().partSizes().forEach((k, v) -> parts.append(parts.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
      sb.append("System prompt: ").append(c.prompt().text().length()).append(" chars (").append(parts).append(")\n");
    }
    sb.append("Memory: ").append(facts.rt().context().memoryMode().name().toLowerCase(Locale.ROOT)).append('\n');
  }

  private static String status(ConversationState s, Facts facts, ModelCatalog.Entry model) {
    Settings st = s.settings();
    StringBuilder sb = new StringBuilder();
    sb.append("Conversation: ").append(facts.conversationId()).append('\n');
    sb.append("Workspace: ").append(s.workspaceId() == null ? "<not created yet>" : s.workspaceId()).append('\n');
    sb.append("Model: ").append(model == null ? "<none>" : model.alias() + " (" + model.endpoint().model() + ")")
        .append('\n');
    sb.append(String.format(Locale.ROOT, "API timeout: %.1fs (%s)%n", effectiveTimeout(st, model),
        st.apiTimeoutSeconds() != null ? "session override" : "model default"));
    sb.append("Reasoning effort: ").append(effort(st, model)).append('\n');
    sb.append("Queue mode: ").append(queueMode(st, facts.rt()).wire()).append('\n');
    sb.append("Sandbox: ").append(facts.rt().sandbox().describe(st.sandboxMode())).append('\n');
    if (!st.mounts().isEmpty()) {
      sb.append("Mounts: ").append(String.join(", ", st.mounts().stream()
          .map(m -> m.path() + (m.readOnly() ? " (read-only)" : " (read-write)")).toList())).append('\n');
    }
    sb.append("Turns: ").append(s.turnCount()).append(s.turn() != null ? " (one running)" : "").append('\n');
    context(sb, s, facts);
    long subAgentsRunning = s.subAgents().stream().filter(SubAgentRecord::running).count();
    if (!s.subAgents().isEmpty()) {
      sb.append("Sub-agents: ").append(subAgentsRunning).append(" running, ")
          .append(s.subAgents().size() - subAgentsRunning).append(" finished and not joined\n");
    }
    if (!s.background().agents().isEmpty()) {
      sb.append(BackgroundCommands.list(s)).append('\n');
    }
    if (!s.background().topics().isEmpty()) {
      sb.append("Subscribed topics: ").append(String.join(", ", s.background().topics())).append('\n');
    }
    if (!s.cronTasks().isEmpty()) {
      java.time.Instant now = java.time.Instant.now();
      sb.append("Cron tasks:\n");
      s.cronTasks().forEach(t -> sb.append("- ").append(t.name()).append(" (").append(t.enabled() ? "next "
          + partyclaw.core.cron.CronPlanner.nextRun(t, now).map(Object::toString).orElse("none") : "disabled")
          .append(t.lastCheckOutcome() == null ? "" : "; last check " + t.lastCheckOutcome()).append(")\n"));
    }
    if (!s.plan().steps().isEmpty()) {
      sb.append("Plan").append(s.plan().explanation().isEmpty() ? "" : " (" + s.plan().explanation() + ")")
          .append(":\n").append(String.join("\n", s.plan().lines())).append('\n');
    }
    sb.append("Running tools: ").append(facts.runningTools()).append(", running processes: ")
        .append(facts.runningProcesses()).append('\n');
    sb.append("Queued messages: ").append(s.inbox().size()).append(", undelivered replies: ")
        .append(s.outbox().size()).append('\n');
    if (s.undeliverable() > 0) {
      sb.append("Replies the platform refused: ").append(s.undeliverable()).append(" (last: ")
          .append(s.lastDeliveryFailure()).append(")\n");
    }
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
